package io.leakwatch.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores for one test run, made in {@code dir} when the run starts: a broker key pair whose
 * self-signed certificate names 127.0.0.1 and localhost, a client key pair for mutual TLS, and for each side a
 * trust store holding the other's certificate. The key pairs come from the JDK's {@code keytool}, the trust
 * stores from {@link KeyStore}; certificates are valid for two days, and nothing is committed that could expire.
 * Every store is PKCS12 and shares one random password.
 *
 * @param brokerTrustStore the client certificate, which the mutual-TLS listener accepts
 * @param clientTrustStore the broker certificate, which clients need to trust the broker
 */
public record TestTls(Path brokerKeyStore, Path brokerTrustStore, Path clientKeyStore, Path clientTrustStore,
                      String password) {

    private static final String PASSWORD_VARIABLE = "LEAKWATCH_TEST_STORE_PASSWORD";

    public static TestTls create(Path dir) {
        String password = randomSecret();
        Path brokerKeys = dir.resolve("broker-keystore.p12");
        Path clientKeys = dir.resolve("client-keystore.p12");
        // two JVMs at once: key generation is most of the cost
        List<Process> keytools = new ArrayList<>();
        keytools.add(keytool(password, "-genkeypair", "-alias", "broker", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", brokerKeys.toString()));
        keytools.add(keytool(password, "-genkeypair", "-alias", "leakwatch-client", "-dname", "CN=leakwatch-client",
                "-keystore", clientKeys.toString()));
        for (Process p : keytools) {
            awaitKeytool(p);
        }
        Path brokerTrust = trustStore(dir.resolve("broker-truststore.p12"), clientKeys, "leakwatch-client", password);
        Path clientTrust = trustStore(dir.resolve("client-truststore.p12"), brokerKeys, "broker", password);
        return new TestTls(brokerKeys, brokerTrust, clientKeys, clientTrust, password);
    }

    /** What the broker's TLS listeners present and trust. */
    public EmbeddedKafka.BrokerTls broker() {
        return new EmbeddedKafka.BrokerTls(brokerKeyStore, password, brokerTrustStore, password);
    }

    /** A fresh random string, for a password the tests can look for in everything printed. */
    public static String randomSecret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "s3cret-" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "TestTls[" + brokerKeyStore.getParent() + "]";
    }

    private static Process keytool(String password, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        // the password through the environment, not the command line that any process listing shows
        command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12",
                "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        }
    }

    private static void awaitKeytool(Process p) {
        try (InputStream output = p.getInputStream()) {
            String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for keytool", e);
        }
    }

    private static Path trustStore(Path file, Path keyStore, String alias, String password) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, password.toCharArray());
            }
            Certificate certificate = keys.getCertificate(alias);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(alias, certificate);
            try (OutputStream out = Files.newOutputStream(file)) {
                trust.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write trust store " + file, e);
        }
    }
}
