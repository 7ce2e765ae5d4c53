package io.leakwatch.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.Secret;
import io.leakwatch.events.Alert;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry over HTTPS: a stand-in with a self-signed certificate for 127.0.0.1 (made by the JDK's keytool), trusted
 * through {@code leakwatch.schema-registry.ssl.truststore.*} and refused without it.
 */
class RegistryTlsTest {
    private static final String PASSWORD = "store-pw-1";

    @TempDir
    static Path dir;
    private static Path keyStore;
    private static Path trustStore;

    @BeforeAll
    static void makeCertificate() throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keyStore = dir.resolve("registry.p12");
        trustStore = dir.resolve("truststore.p12");
        Path cert = dir.resolve("registry.crt");
        keytool(keytool, "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool(keytool, "-exportcert", "-alias", "registry", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString());
        keytool(keytool, "-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
    }

    private static void keytool(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static SSLContext serverTls() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    private static SchemaRegistrySettings.Store trust(String password) {
        return new SchemaRegistrySettings.Store("leakwatch.schema-registry.ssl.truststore.location", trustStore,
                Optional.of(new Secret(password, "test")), "PKCS12");
    }

    @Test
    void shouldRegisterOverHttpsWithTheTrustStoresCertificate() throws Exception {
        try (StandInRegistry registry = StandInRegistry.startTls(1001, serverTls())) {
            RegistrySchemaResolver resolver = new RegistrySchemaResolver(
                    SchemaRegistrySettings.of(registry.url()).withTrustStore(trust(PASSWORD)));

            assertThat(resolver.idOf("alerts", Alert.getClassSchema())).isEqualTo(1001);
            assertThat(registry.url().getScheme()).isEqualTo("https");
        }
    }

    @Test
    void shouldRefuseARegistryWhoseCertificateTheJdkDoesNotTrust() throws Exception {
        try (StandInRegistry registry = StandInRegistry.startTls(1001, serverTls())) {
            RegistrySchemaResolver resolver = new RegistrySchemaResolver(SchemaRegistrySettings.of(registry.url()));

            assertThatThrownBy(() -> resolver.idOf("alerts", Alert.getClassSchema()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageStartingWith("schema registry " + registry.url() + ": TLS failed (")
                    .hasMessageEndingWith("check leakwatch.schema-registry.ssl.truststore.location");
            assertThat(registry.requests()).isEmpty();
        }
    }

    @Test
    void shouldSayTheTrustStorePasswordIsWrongWithoutShowingIt() {
        assertThatThrownBy(() -> new SchemaRegistryClient(SchemaRegistrySettings
                .of(java.net.URI.create("https://127.0.0.1:1")).withTrustStore(trust("not-the-pw"))))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("leakwatch.schema-registry.ssl.truststore.location: cannot read PKCS12 store " + trustStore
                        + " (wrong password)");
    }
}
