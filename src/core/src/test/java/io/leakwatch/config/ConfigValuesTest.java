package io.leakwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    private static final String TOKEN = "xoxb-1111-2222-planted";
    private static final String WEBHOOK = "https://hooks.slack.com/services/T0/B0/planted";
    private static final Map<String, String> ENV = Map.of("SLACK_BOT_TOKEN", TOKEN, "WINDOW", "2m", "RATE", "1",
            "KAFKA_PASSWORD", "planted-password");

    private static ConfigValues resolve(String... keysAndValues) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            raw.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return ConfigValues.resolve(raw, new SecretResolver(ENV::get));
    }

    @Test
    void shouldTreatAValueFromTheEnvironmentAsASecretWhateverItsKey() {
        ConfigValues values = resolve("slack.storm.window", "${env:WINDOW}");

        assertThat(values.get("slack.storm.window")).isEqualTo("2m");
        assertThat(values.isSecret("slack.storm.window")).isTrue();
        assertThat(values.shown("slack.storm.window")).isEqualTo("****(env:WINDOW)");
    }

    @Test
    void shouldTreatKafkaPasswordKeysAsSecretsAlsoBehindAClientPrefix() {
        ConfigValues values = resolve("ssl.key.password", "planted-password",
                "producer.sasl.jaas.config", "PlainLoginModule required password=\"planted-password\";",
                "security.protocol", "SASL_SSL");

        assertThat(values.isSecret("ssl.key.password")).isTrue();
        assertThat(values.isSecret("producer.sasl.jaas.config")).isTrue();
        assertThat(values.isSecret("security.protocol")).isFalse();
        assertThat(values.shown("ssl.key.password")).isEqualTo("****(inline in ssl.key.password)");
        assertThat(values.redactor().redact("login failed for planted-password")).isEqualTo("login failed for ****");
    }

    @Test
    void shouldTreatKeysNamedForCredentialsAsSecrets() {
        assertThat(SecretKeys.isSecret("slack.bot-token")).isTrue();
        assertThat(SecretKeys.isSecret("slack.route.finance.webhook")).isTrue();
        assertThat(SecretKeys.isSecret("basic.auth.user.info")).isTrue();
        assertThat(SecretKeys.isSecret("sasl.oauthbearer.client.credentials.client.secret")).isTrue();
        assertThat(SecretKeys.isSecret("slack.route.finance.channel")).isFalse();
        assertThat(SecretKeys.isSecret("leakwatch.late.horizon")).isFalse();
    }

    @Test
    void shouldRefuseAWebhookUrlUnderAKeyThatHoldsNoSecretWithoutShowingIt() {
        assertThatThrownBy(() -> resolve("slack.route.ops.channel", WEBHOOK))
                .isInstanceOf(BadConfigException.class)
                .hasMessageStartingWith("slack.route.ops.channel: the value looks like a Slack webhook URL or token")
                .hasMessageNotContaining("planted");
    }

    @Test
    void shouldRefuseATokenFromTheEnvironmentUnderAKeyThatHoldsNoSecretNamingTheVariable() {
        assertThatThrownBy(() -> resolve("slack.storm.window", "${env:SLACK_BOT_TOKEN}"))
                .isInstanceOf(BadConfigException.class)
                .hasMessageStartingWith("slack.storm.window: the value of env:SLACK_BOT_TOKEN looks like a Slack")
                .hasMessageNotContaining("planted");
    }

    @Test
    void shouldAcceptATokenUnderTheKeyMeantForIt() {
        ConfigValues values = resolve("slack.bot-token", "${env:SLACK_BOT_TOKEN}");

        assertThat(values.secret("slack.bot-token")).get().extracting(Secret::reveal).isEqualTo(TOKEN);
        assertThat(values.shown("slack.bot-token")).isEqualTo("****(env:SLACK_BOT_TOKEN)");
    }

    @Test
    void shouldLeaveReferencesToAKafkaConfigProviderToTheKafkaClients() {
        ConfigValues values = resolve("config.providers", "file",
                "ssl.truststore.password", "${file:/etc/kafka/secrets.properties:truststore}",
                "client.id", "${file:/etc/kafka/secrets.properties:client}");

        assertThat(values.get("ssl.truststore.password")).isEqualTo("${file:/etc/kafka/secrets.properties:truststore}");
        assertThat(values.isSecret("client.id")).isTrue();
        assertThat(values.shown("client.id")).isEqualTo("****(file:/etc/kafka/secrets.properties:client)");
    }

    @Test
    void shouldMaskWhatLooksLikeASecretEvenWhenNoneIsKnown() {
        assertThat(Redactor.none().redact("POST " + WEBHOOK + " with " + TOKEN + " failed"))
                .isEqualTo("POST **** with **** failed");
    }

    @Test
    void shouldNotMaskEveryOccurrenceOfAShortValue() {
        ConfigValues values = resolve("slack.rate.per-second", "${env:RATE}");

        assertThat(values.redactor().redact("cannot reach Kafka at 127.0.0.1:1")).isEqualTo("cannot reach Kafka at 127.0.0.1:1");
        assertThat(values.shown("slack.rate.per-second")).isEqualTo("****(env:RATE)");
    }
}
