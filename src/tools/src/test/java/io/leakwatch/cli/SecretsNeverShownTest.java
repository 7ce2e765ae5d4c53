package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * A secret planted in a config file (a token, a webhook URL, a password; inline, from {@code ${env:...}} or from
 * {@code ${file:...}}; in the key meant for it or in the wrong one) never shows in what a misconfigured command
 * prints or logs, and the one error line names the key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsNeverShownTest {
    private static final String TOKEN = "xoxb-4242-4242-plantedtoken";
    private static final String WEBHOOK = "https://hooks.slack.com/services/T042/B042/plantedwebhook";
    private static final String KAFKA_PASSWORD = "planted-kafka-password";
    private static final String FILE_SECRET = "planted-file-secret";
    private static final String INLINE_PASSWORD = "planted-inline-password";
    private static final List<String> PLANTED = List.of(TOKEN, WEBHOOK, KAFKA_PASSWORD, FILE_SECRET, INLINE_PASSWORD,
            "plantedtoken", "plantedwebhook");
    private static final Map<String, String> ENV = Map.of("SLACK_BOT_TOKEN", TOKEN, "SLACK_WEBHOOK", WEBHOOK,
            "KAFKA_PASSWORD", KAFKA_PASSWORD);

    private static final String UNREACHABLE = "bootstrap.servers=127.0.0.1:1\n";
    private static final String BRIDGE = UNREACHABLE + "slack.default.webhook=${env:SLACK_WEBHOOK}\n";
    private static final String JAAS = "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
            + " required username=\"leakwatch\" password=\"" + INLINE_PASSWORD + "\";\n";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger leakwatch = (Logger) LoggerFactory.getLogger("io.leakwatch");
    private Level leakwatchLevel;

    /**
     * @param command  the arguments before {@code --config FILE}; {@code SECRET_FILE} in {@code config} is a file
     *                 holding {@value #FILE_SECRET}
     * @param shows    what the one error line must say (the key, or the failure when no key is to blame)
     */
    record Case(String name, List<String> command, String config, int exit, String shows) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> misconfigured() {
        List<String> bridge = List.of("slack-bridge");
        List<String> dryRun = List.of("slack-bridge", "--dry-run");
        List<String> run = List.of("run");
        return Stream.of(
                new Case("slack-bridge: storm window from the bot token's variable", bridge,
                        BRIDGE + "slack.storm.window=${env:SLACK_BOT_TOKEN}\n", 2, "slack.storm.window: the value of env:SLACK_BOT_TOKEN"),
                new Case("slack-bridge: storm window from a secret file", bridge,
                        BRIDGE + "slack.storm.window=${file:SECRET_FILE}\n", 2, "slack.storm.window: ****(file:"),
                new Case("slack-bridge: a route's min-amount from the Kafka password", bridge,
                        BRIDGE + "slack.routes=ops\nslack.route.ops.webhook=${env:SLACK_WEBHOOK}\n"
                                + "slack.route.ops.min-amount=${env:KAFKA_PASSWORD}\n", 2,
                        "slack.route.ops.min-amount: ****(env:KAFKA_PASSWORD) is not an amount, or amounts by currency"),
                new Case("slack-bridge: rate per second from the Kafka password", bridge,
                        BRIDGE + "slack.rate.per-second=${env:KAFKA_PASSWORD}\n", 2,
                        "slack.rate.per-second: ****(env:KAFKA_PASSWORD) is not a number above zero"),
                new Case("slack-bridge: bootstrap servers from the Kafka password", bridge,
                        "bootstrap.servers=${env:KAFKA_PASSWORD}\nslack.default.webhook=${env:SLACK_WEBHOOK}\n", 3,
                        "cannot reach Kafka at ****"),
                new Case("slack-bridge: bootstrap servers from the bot token's variable", bridge,
                        "bootstrap.servers=${env:SLACK_BOT_TOKEN}\nslack.default.webhook=${env:SLACK_WEBHOOK}\n", 2,
                        "bootstrap.servers: the value of env:SLACK_BOT_TOKEN looks like a Slack webhook URL or token"),
                new Case("slack-bridge: a webhook URL under the default channel", bridge,
                        UNREACHABLE + "slack.bot-token=${env:SLACK_BOT_TOKEN}\nslack.default.channel=" + WEBHOOK + "\n", 2,
                        "slack.default.channel: the value looks like a Slack webhook URL or token"),
                new Case("slack-bridge --dry-run: a webhook URL under a route's channel", dryRun,
                        BRIDGE + "slack.bot-token=${env:SLACK_BOT_TOKEN}\nslack.routes=ops\nslack.route.ops.channel="
                                + WEBHOOK + "\n", 2, "slack.route.ops.channel: the value looks like a Slack webhook URL"),
                new Case("slack-bridge --dry-run: the bot token under the default channel", dryRun,
                        UNREACHABLE + "slack.bot-token=${env:SLACK_BOT_TOKEN}\nslack.default.channel=${env:SLACK_BOT_TOKEN}\n",
                        2, "slack.default.channel: the value of env:SLACK_BOT_TOKEN looks like"),
                new Case("slack-bridge --dry-run: a JAAS password inline, Kafka unreachable", dryRun,
                        BRIDGE + JAAS + "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n", 3,
                        "cannot reach Kafka at 127.0.0.1:1"),
                new Case("slack-bridge: a key password inline, a security protocol Kafka does not know", bridge,
                        BRIDGE + "ssl.key.password=" + INLINE_PASSWORD + "\nsecurity.protocol=bogus\n", 2,
                        "security.protocol: 'bogus' is not a valid value"),
                new Case("run: bootstrap servers from the Kafka password", run,
                        "bootstrap.servers=${env:KAFKA_PASSWORD}\n", 3, "cannot reach Kafka at ****"),
                new Case("run: processing guarantee from the Kafka password", run,
                        UNREACHABLE + "processing.guarantee=${env:KAFKA_PASSWORD}\n", 2,
                        "processing.guarantee: ****(env:KAFKA_PASSWORD) is not a valid value"),
                new Case("run: late-data horizon from a secret file", run,
                        UNREACHABLE + "leakwatch.late.horizon=${file:SECRET_FILE}\n", 2,
                        "leakwatch.late.horizon: ****(file:"),
                new Case("run: late-data horizon from the bot token's variable", run,
                        UNREACHABLE + "leakwatch.late.horizon=${env:SLACK_BOT_TOKEN}\n", 2,
                        "leakwatch.late.horizon: the value of env:SLACK_BOT_TOKEN looks like"),
                new Case("run: a JAAS password inline, a commit interval that is not a number", run,
                        UNREACHABLE + JAAS + "commit.interval.ms=soon\n", 2, "commit.interval.ms: 'soon' is not a valid value"),
                new Case("run: a truststore password from the environment, Kafka unreachable", run,
                        UNREACHABLE + "security.protocol=SSL\nssl.truststore.password=${env:KAFKA_PASSWORD}\n", 3,
                        "cannot reach Kafka at 127.0.0.1:1"),
                new Case("topics list: replication factor from the Kafka password", List.of("topics", "list"),
                        UNREACHABLE + "leakwatch.topics.replication-factor=${env:KAFKA_PASSWORD}\n", 2,
                        "leakwatch.topics.replication-factor: ****(env:KAFKA_PASSWORD)"),
                new Case("topics check: bootstrap servers from a secret file", List.of("topics", "check"),
                        "bootstrap.servers=${file:SECRET_FILE}\n", 3, "cannot reach Kafka at ****"),
                new Case("topics create: a webhook URL as a topic name", List.of("topics", "create"),
                        UNREACHABLE + "leakwatch.topic.alerts=" + WEBHOOK + "\n", 2,
                        "leakwatch.topic.alerts: the value looks like a Slack webhook URL"),
                new Case("backtest --config: scoring switch from the Kafka password", List.of("backtest"),
                        "leakwatch.scoring.enabled=${env:KAFKA_PASSWORD}\n", 2,
                        "leakwatch.scoring.enabled: ****(env:KAFKA_PASSWORD) is not true or false"),
                new Case("backtest --config: the bot token as the wire format", List.of("backtest"),
                        "leakwatch.wire.format=" + TOKEN + "\n", 2, "leakwatch.wire.format: the value looks like"));
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
        leakwatchLevel = leakwatch.getLevel();
        leakwatch.setLevel(Level.DEBUG);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
        leakwatch.setLevel(leakwatchLevel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misconfigured")
    void shouldNameTheKeyAndNeverShowThePlantedSecret(Case c) throws IOException {
        // Given a config file with a secret planted in it
        Path secretFile = Files.writeString(dir.resolve("secret.txt"), FILE_SECRET + "\n", StandardCharsets.UTF_8);
        Path config = Files.writeString(dir.resolve("config.properties"),
                c.config().replace("SECRET_FILE", secretFile.toString()), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(c.command());
        args.addAll(List.of("--config", config.toString()));
        if (c.command().get(0).equals("backtest")) {
            args.addAll(List.of("--input", Files.createDirectories(dir.resolve("in")).toString(),
                    "--out", dir.resolve("out").toString()));
        }

        // When the command runs
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LeakwatchTools.commandLine(ENV::get);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args.toArray(String[]::new));

        // Then it fails with one line naming what is wrong, and the secret is nowhere
        assertThat(exit).as(err.toString()).isEqualTo(c.exit());
        assertThat(err.toString().lines()).singleElement().asString().contains(c.shows());
        String logged = String.join("\n", logs.list.stream().map(SecretsNeverShownTest::text).toList());
        for (String secret : PLANTED) {
            assertThat(out.toString()).as("stdout").doesNotContain(secret);
            assertThat(err.toString()).as("stderr").doesNotContain(secret);
            assertThat(logged).as("log").doesNotContain(secret);
        }
    }

    private static String text(ILoggingEvent event) {
        return event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
}
