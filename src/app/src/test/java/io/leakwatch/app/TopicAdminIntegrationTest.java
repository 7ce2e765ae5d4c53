package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.app.TopicAdmin.TopicSettingsException;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.cli.LeakwatchCommand;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topics.TopicSettingsCheck;
import io.leakwatch.topology.TopologySettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The topic-settings check against a real broker: describeConfigs gives the effective settings (a broker default
 * included), the runner refuses to start on settings that would delete history, and {@code topics check} says so.
 * The broker has Kafka's stock default retention of 7 days, as a real cluster would.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TopicAdminIntegrationTest {
    private static final Duration SEVEN_DAYS = Duration.ofDays(7);

    private static TestBroker kafka;
    private static Admin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = TestBrokers.builder().brokerConfig("log.retention.ms", SEVEN_DAYS.toMillis()).start();
        admin = Admin.create(kafka.clientProperties());
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The bundled catalog with every topic renamed {@code prefix.<name>}, so that each test has topics of its own. */
    private static TopicCatalog catalog(String prefix) {
        return TopicCatalog.bundled().map(spec -> spec.withName(prefix + "." + spec.name()));
    }

    private static TopicAdmin topicAdmin() {
        return new TopicAdmin(admin, Duration.ofSeconds(30));
    }

    private static void createByHand(String name, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 4, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldFindNothingToRefuseOrWarnAboutOnTopicsCreatedFromTheCatalog() {
        TopicCatalog catalog = catalog("shipped");
        topicAdmin().apply(catalog);

        TopicSettingsCheck.Result result = topicAdmin().requireSafeSettings(catalog, Duration.ofDays(90));

        assertThat(result.refusals()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        Map<String, Map<String, String>> configs = topicAdmin().topicConfigs(catalog);
        assertThat(configs.get("shipped.invoices")).containsEntry("retention.ms", "-1")
                .containsEntry("message.timestamp.type", "CreateTime");
        assertThat(configs.get("shipped.alerts")).containsEntry("message.timestamp.type", "LogAppendTime");
    }

    @Test
    void shouldRefuseToStartOnContractsCompactedAsTheOldCatalogDid() throws Exception {
        TopicCatalog catalog = catalog("old");
        createByHand("old.contracts", Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "34560000000"));
        topicAdmin().apply(catalog);

        assertThatThrownBy(() -> topicAdmin().requireSafeSettings(catalog, SEVEN_DAYS))
                .isInstanceOf(TopicSettingsException.class)
                .hasMessageStartingWith("input topic 'old.contracts' has cleanup.policy=compact: ")
                .hasMessageEndingWith("set cleanup.policy=delete")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldJudgeAnInputCreatedByHandByTheBrokersDefaultRetention() throws Exception {
        TopicCatalog catalog = catalog("byhand");
        createByHand("byhand.invoices", Map.of());
        topicAdmin().apply(catalog);

        TopicSettingsCheck.Result withinHorizon = topicAdmin().requireSafeSettings(catalog, SEVEN_DAYS);

        assertThat(withinHorizon.warnings()).singleElement().asString()
                .startsWith("input topic 'byhand.invoices' has retention.ms=604800000 (P7D): ");
        assertThatThrownBy(() -> topicAdmin().requireSafeSettings(catalog, Duration.ofDays(90)))
                .isInstanceOf(TopicSettingsException.class)
                .hasMessageStartingWith("input topic 'byhand.invoices' has retention.ms=604800000 (P7D), shorter than"
                        + " the late-data horizon P90D: ");
    }

    @Test
    void shouldRefuseToRunWhenAnInputIsStampedWithLogAppendTime() throws Exception {
        TopicCatalog catalog = catalog("appendtime");
        createByHand("appendtime.payments", Map.of("message.timestamp.type", "LogAppendTime"));
        topicAdmin().apply(catalog);
        Properties props = kafka.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topic-admin-it");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());

        try (StreamsRunner runner = new StreamsRunner(props,
                TopologySettings.defaults(catalog, WireFormat.JSON, new BundledSchemaResolver()))) {
            assertThatThrownBy(runner::start)
                    .isInstanceOf(TopicSettingsException.class)
                    .hasMessageStartingWith("input topic 'appendtime.payments' has message.timestamp.type=LogAppendTime: ");
            assertThat(runner.streams()).isNull();
        }
    }

    @Test
    void shouldExitTwoFromTopicsCheckWhenRunWouldRefuse() throws Exception {
        TopicCatalog catalog = catalog("check");
        createByHand("check.usage", Map.of("retention.ms", Long.toString(Duration.ofDays(1).toMillis())));
        createByHand("check.dead-letter", Map.of("retention.ms", Long.toString(Duration.ofDays(30).toMillis())));
        topicAdmin().apply(catalog);

        StringWriter out = new StringWriter();
        int exit = topicsCheck(config("check"), out);

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString().lines()).contains(
                "refuse: input topic 'check.usage' has retention.ms=86400000 (P1D), shorter than the late-data horizon"
                        + " P90D: records still inside the horizon are deleted before they are read; set retention.ms=-1"
                        + " (or at least 7776000000)",
                "1 refusal(s), 1 warning(s) (late-data horizon P90D): 'run' would refuse to start");
        assertThat(out.toString().lines().filter(l -> l.startsWith("warn:   dead-letter topic 'check.dead-letter'")))
                .hasSize(1);
    }

    @Test
    void shouldExitZeroFromTopicsCheckOnTopicsCreatedFromTheCatalog() throws Exception {
        topicAdmin().apply(catalog("fine"));

        StringWriter out = new StringWriter();
        int exit = topicsCheck(config("fine"), out);

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString().lines()).contains("0 refusal(s), 0 warning(s) (late-data horizon P90D): 'run' would start")
                .anyMatch(l -> l.matches("contracts\\s+fine\\.contracts\\s+cleanup\\.policy=delete retention\\.ms=-1 .*"));
    }

    @Test
    void shouldExitTwoFromRunWithOneLineWhenTopicSettingsWouldDeleteHistory() throws Exception {
        createByHand("run.contracts", Map.of("cleanup.policy", "compact"));
        topicAdmin().apply(catalog("run"));

        StringWriter err = new StringWriter();
        int exit = leakwatch(new StringWriter(), err, "run", "--config", config("run").toString());

        assertThat(exit).isEqualTo(2);
        // before the error, run says whether risk scoring is on
        assertThat(err.toString().lines().filter(l -> l.startsWith("leakwatch run: "))).singleElement().asString()
                .startsWith("leakwatch run: input topic 'run.contracts' has cleanup.policy=compact: ");
    }

    /** A config file naming every catalog topic {@code prefix.<name>}, scoring off. */
    private Path config(String prefix) throws Exception {
        String topics = TopicCatalog.bundled().all().stream()
                .map(spec -> LeakwatchKeys.TOPIC_NAMES.prefix() + spec.role() + "=" + prefix + "." + spec.name())
                .collect(Collectors.joining("\n"));
        return Files.writeString(dir.resolve("leakwatch.properties"), "bootstrap.servers=" + kafka.bootstrapServers()
                + "\n" + LeakwatchKeys.SCORING_ENABLED + "=false\n" + LeakwatchKeys.HTTP_PORT + "=0\n" + topics + "\n");
    }

    private static int topicsCheck(Path config, StringWriter out) {
        return leakwatch(out, new StringWriter(), "topics", "check", "--config", config.toString());
    }

    private static int leakwatch(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = LeakwatchCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
