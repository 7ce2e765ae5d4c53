package io.leakwatch.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.events.Severity;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlackBridgeConfigTest {
    private static final Map<String, String> ENV = Map.of("SLACK_BOT_TOKEN", "xoxb-1-secret",
            "SLACK_WEBHOOK_FINANCE", "https://hooks.slack.com/services/T/B/finance-secret");

    private static SlackBridgeConfig parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader("bootstrap.servers=localhost:9092\n" + text));
        return SlackBridgeConfig.parse(p, new SecretResolver(ENV::get));
    }

    @Test
    void shouldReadTheExampleConfig() {
        SlackBridgeConfig c = SlackBridgeConfig.load(Path.of("config/slack-bridge.example.properties"), ENV::get);
        assertThat(c.router().routes()).isNotEmpty();
        assertThat(c.router().defaultRoute()).isPresent();
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void shouldReadAlertsThroughTheSchemaRegistryTheLeakwatchKeysName() throws IOException {
        SlackBridgeConfig bundled = parse("slack.default.channel=#ops\nslack.bot-token=xoxb-1-x\n"
                + "leakwatch.wire.format=avro\n");
        SlackBridgeConfig registry = parse("slack.default.channel=#ops\nslack.bot-token=xoxb-1-x\n"
                + "leakwatch.wire.format=avro\nleakwatch.schema-registry.url=https://registry.example.com\n"
                + "leakwatch.schema-registry.basic-auth.user-info=bridge:registry-secret\n");

        assertThat(bundled.schemas()).isInstanceOf(io.leakwatch.serde.BundledSchemaResolver.class);
        assertThat(registry.schemas()).isInstanceOf(io.leakwatch.registry.RegistrySchemaResolver.class);
        assertThat(registry.toString()).doesNotContain("registry-secret");
        assertThatThrownBy(() -> parse("slack.default.channel=#ops\nslack.bot-token=xoxb-1-x\n"
                + "leakwatch.wire.format=avro\nleakwatch.schema-registry.url=https://registry.example.com\n"
                + "leakwatch.schema-registry.ssl.truststore.location=/nonexistent/ts.p12\n"))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("leakwatch.schema-registry.ssl.truststore.location: cannot read PKCS12 store"
                        + " /nonexistent/ts.p12 (no such file)");
    }

    @Test
    void shouldLoadTheExampleConfigForADryRunWithNoSecretSetButRefuseItForARealRun() {
        Path example = Path.of("config/slack-bridge.example.properties");
        Map<String, String> none = Map.of();

        SlackBridgeConfig dry = SlackBridgeConfig.load(example, none::get, true);

        assertThat(dry.router().routes()).isNotEmpty();
        assertThat(dry.botToken()).isPresent();
        assertThatThrownBy(() -> SlackBridgeConfig.load(example, none::get, false))
                .isInstanceOf(BadConfigException.class).hasMessageContaining("which is not set");
    }

    @Test
    void shouldStillNeedTheKafkaSecretsInADryRun() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader("bootstrap.servers=localhost:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                + " password=\"${env:KAFKA_PASSWORD}\";\nslack.default.webhook=${env:HOOK}\n"));

        assertThatThrownBy(() -> SlackBridgeConfig.parse(p, SecretResolver.forDryRun(Map.<String, String>of()::get,
                key -> key.startsWith("slack."))))
                .hasMessageContaining("KAFKA_PASSWORD").hasMessageContaining("not set");
    }

    @Test
    void shouldNotNeedABotTokenForChannelRoutesInADryRun() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader("bootstrap.servers=localhost:9092\nslack.default.channel=#revenue-ops\n"));

        assertThat(SlackBridgeConfig.parse(p, SecretResolver.forDryRun(ENV::get, key -> key.startsWith("slack."))).router().defaultRoute()).isPresent();
        assertThatThrownBy(() -> SlackBridgeConfig.parse(p, new SecretResolver(ENV::get)))
                .hasMessageContaining("needs slack.bot-token");
    }

    @Test
    void shouldParseRoutesInListedOrderWithDefaults() throws IOException {
        SlackBridgeConfig c = parse("""
                slack.bot-token=${env:SLACK_BOT_TOKEN}
                slack.routes=critical, finance
                slack.route.finance.webhook=${env:SLACK_WEBHOOK_FINANCE}
                slack.route.finance.types=RATE_MISMATCH,CHARGE_ARITHMETIC
                slack.route.finance.min-amount=1000, JPY 100000
                slack.route.critical.channel=#revenue-critical
                slack.route.critical.min-severity=critical
                slack.default.channel=#revenue-alerts
                sasl.mechanism=PLAIN
                """);
        assertThat(c.router().routes()).extracting(Route::name).containsExactly("critical", "finance");
        assertThat(c.router().routes().get(0).minSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(c.router().routes().get(1).types()).containsExactlyInAnyOrder("RATE_MISMATCH", "CHARGE_ARITHMETIC");
        assertThat(c.kafka()).containsEntry("sasl.mechanism", "PLAIN").doesNotContainKey("slack.routes");
        assertThat(c.groupId()).isEqualTo("leakwatch-slack-bridge");
        assertThat(c.alertsTopic()).isEqualTo("alerts");
        assertThat(c.deliveredTopic()).isEqualTo("slack-delivered");
        assertThat(c.deadLetterTopic()).isEqualTo("slack-dead-letter");
        assertThat(c.ratePerSecond()).isEqualTo(1.0);
        assertThat(c.stormThreshold()).isEqualTo(10);
        assertThat(c.stormWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.toString()).doesNotContain("finance-secret").doesNotContain("xoxb-1-secret");
        assertThat(c.redactor().redact("x https://hooks.slack.com/services/T/B/finance-secret y")).isEqualTo("x **** y");
    }

    @Test
    void shouldRejectMistakesWithOneLine() {
        assertRejected("slack.default.channel=#x\n", "slack.default.channel posts with chat.postMessage, which needs slack.bot-token");
        assertRejected("slack.default.webhook=https://h\nslack.route.x.channel=#x\n",
                "route 'x' is configured but not listed in slack.routes");
        assertRejected("slack.default.webhook=https://h\nslack.routes=x\n", "route 'x' needs slack.route.x.channel or slack.route.x.webhook");
        assertRejected("slack.default.webhook=https://h\nslack.floor.min-severity=HUGE\n",
                "slack.floor.min-severity: 'HUGE' is not one of INFO, LOW, MEDIUM, HIGH, CRITICAL");
        assertRejected("slack.default.webhook=https://h\nslack.storm.window=soon\n",
                "slack.storm.window: 'soon' is not a duration above zero such as 500ms, 30s, 5m, 1h, 90d, PT30S or P90D");
        assertRejected("slack.default.webhook=https://h\nslack.defualt.channel=#x\n", "slack.defualt.channel is not a Slack bridge setting; did you mean slack.default.channel? (see docs/slack.md)");
        assertRejected("slack.default.webhook=${env:MISSING}\n", "slack.default.webhook refers to environment variable MISSING, which is not set");
        assertRejected("", "no destination: set slack.default.channel or slack.default.webhook, or list routes in slack.routes");
    }

    @Test
    void shouldNameTheFileWhenItCannotBeRead(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> SlackBridgeConfig.load(missing)).isInstanceOf(BadConfigException.class)
                .hasMessage("cannot read config file " + missing + " (NoSuchFileException)");
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "slack.default.webhook=https://h\n");
        assertThatThrownBy(() -> SlackBridgeConfig.load(bad)).isInstanceOf(BadConfigException.class)
                .hasMessage("config " + bad + ": bootstrap.servers is not set");
    }

    private static void assertRejected(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(BadConfigException.class).hasMessage(message);
    }
}
