package io.leakwatch.registry;

import static io.leakwatch.config.LeakwatchKeys.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.ConfigValues;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.serde.BundledSchemaResolver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {
    private static ConfigValues values(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return ConfigValues.resolve(map, new SecretResolver(Map.of("REGISTRY_TOKEN", "tok-from-env")::get));
    }

    private static java.util.Optional<SchemaRegistrySettings> settings(ConfigValues values) {
        return SchemaRegistryConfig.settings(DEFINITION.parse(values), values);
    }

    @Test
    void shouldUseTheBundledIdsWithoutARegistryUrl() {
        ConfigValues none = values(WIRE_FORMAT, "avro");

        assertThat(settings(none)).isEmpty();
        assertThat(SchemaRegistryConfig.resolver(DEFINITION.parse(none), none)).isInstanceOf(BundledSchemaResolver.class);
    }

    @Test
    void shouldReadEveryRegistrySetting() {
        ConfigValues file = values(WIRE_FORMAT, "avro",
                REGISTRY_URL, "https://registry.example.com:8081/apis/ccompat/v7",
                REGISTRY_BEARER_TOKEN, "${env:REGISTRY_TOKEN}",
                REGISTRY_AUTO_REGISTER, "false",
                REGISTRY_SUBJECT_NAMING, "topic-record",
                REGISTRY_TIMEOUT, "3s");

        SchemaRegistrySettings s = settings(file).orElseThrow();

        assertThat(s.url()).isEqualTo(URI.create("https://registry.example.com:8081/apis/ccompat/v7"));
        assertThat(s.auth()).isInstanceOf(SchemaRegistrySettings.Auth.Bearer.class);
        assertThat(s.auth().header()).contains("Bearer tok-from-env");
        assertThat(s.auth().toString()).doesNotContain("tok-from-env");
        assertThat(s.autoRegister()).isFalse();
        assertThat(s.naming()).isEqualTo(SubjectNaming.TOPIC_RECORD);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(SchemaRegistryConfig.resolver(DEFINITION.parse(file), file))
                .isInstanceOf(RegistrySchemaResolver.class);
    }

    @Test
    void shouldRefuseAUrlWithCredentialsInItWithoutShowingThem() {
        assertThatThrownBy(() -> settings(values(WIRE_FORMAT, "avro", REGISTRY_URL, "https://bob:hunter2@registry:8081")))
                .isInstanceOf(BadConfigException.class)
                .hasMessageStartingWith(REGISTRY_URL + ": ")
                .hasMessageContaining("is not an http(s) URL without credentials");
    }

    @Test
    void shouldRefuseARegistryForTheJsonWireFormat() {
        assertThatThrownBy(() -> settings(values(REGISTRY_URL, "http://registry:8081")))
                .isInstanceOf(BadConfigException.class)
                .hasMessage(REGISTRY_URL + " is set but " + WIRE_FORMAT + " is json: only the avro wire format uses a"
                        + " schema registry");
    }

    @Test
    void shouldRefuseBasicAndBearerCredentialsTogether() {
        assertThatThrownBy(() -> settings(values(WIRE_FORMAT, "avro", REGISTRY_URL, "http://registry:8081",
                REGISTRY_USER_INFO, "u:p", REGISTRY_BEARER_TOKEN, "t")))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("set " + REGISTRY_USER_INFO + " or " + REGISTRY_BEARER_TOKEN + ", not both");
    }

    @Test
    void shouldRefuseUserInfoWithoutAColonWithoutShowingIt() {
        assertThatThrownBy(() -> settings(values(WIRE_FORMAT, "avro", REGISTRY_URL, "http://registry:8081",
                REGISTRY_USER_INFO, "just-a-password")))
                .isInstanceOf(BadConfigException.class)
                .hasMessageContaining(REGISTRY_USER_INFO)
                .hasMessageNotContaining("just-a-password");
    }

    @Test
    void shouldRefuseTlsSettingsForAPlainHttpRegistry() {
        assertThatThrownBy(() -> settings(values(WIRE_FORMAT, "avro", REGISTRY_URL, "http://registry:8081",
                REGISTRY_TRUSTSTORE, "/etc/ssl/registry.p12")))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("leakwatch.schema-registry.ssl.* is set but " + REGISTRY_URL + " is not https");
    }

    @Test
    void shouldSayInOneLineWhenTheTrustStoreCannotBeReadWithoutShowingItsPassword(@org.junit.jupiter.api.io.TempDir
                                                                                 Path dir) throws Exception {
        Path notAStore = java.nio.file.Files.writeString(dir.resolve("truststore.p12"), "not a key store");
        ConfigValues file = values(WIRE_FORMAT, "avro", REGISTRY_URL, "https://registry:8081",
                REGISTRY_TRUSTSTORE, notAStore.toString(), REGISTRY_TRUSTSTORE_PASSWORD, "changeit-secret");

        assertThatThrownBy(() -> SchemaRegistryConfig.resolver(DEFINITION.parse(file), file))
                .isInstanceOf(BadConfigException.class)
                .hasMessageStartingWith(REGISTRY_TRUSTSTORE + ": cannot read PKCS12 store " + notAStore + " (")
                .hasMessageNotContaining("changeit-secret")
                .message().doesNotContain("\n");
    }
}
