package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.app.LeakwatchConfig.ConfigException;
import io.leakwatch.events.Severity;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topics.TopicSpec;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One deployment config: Kafka keys pass through, leakwatch.* keys configure Leakwatch, mistakes name the key. */
class LeakwatchConfigTest {
    private static final String BOOTSTRAP = "bootstrap.servers";

    @TempDir
    Path dir;

    private static LeakwatchConfig config(String... keyValues) {
        LeakwatchConfig cfg = new LeakwatchConfig(Map.of(BOOTSTRAP, "broker:9092"));
        for (int i = 0; i < keyValues.length; i += 2) {
            cfg = cfg.with(keyValues[i], keyValues[i + 1]);
        }
        return cfg;
    }

    @Test
    void shouldNotPassLeakwatchKeysToKafka() {
        Properties kafka = config(LeakwatchConfig.HORIZON, "P1D", "leakwatch.topic.invoices", "prod.invoices",
                "security.protocol", "SASL_SSL").kafkaProperties();

        assertThat(kafka.stringPropertyNames()).noneMatch(k -> k.startsWith("leakwatch."));
        assertThat(kafka).containsEntry(BOOTSTRAP, "broker:9092").containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldDefaultToExactlyOnceV2() {
        assertThat(config().kafkaProperties())
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch");
    }

    @Test
    void shouldCommitOnceASecondUnlessTheFileSaysOtherwise() {
        assertThat(config().kafkaProperties()).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000")
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "1000");
        assertThat(config(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200").kafkaProperties())
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
    }

    @Test
    void shouldLetTheFileOverrideProcessingGuaranteeAndApplicationId() {
        Properties kafka = config(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-eu").kafkaProperties();

        assertThat(kafka).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-eu");
    }

    @Test
    void shouldRefuseKafkaPropertiesWithoutBootstrapServers() {
        LeakwatchConfig cfg = new LeakwatchConfig(Map.of(LeakwatchConfig.HORIZON, "P1D"));

        assertThatThrownBy(cfg::kafkaProperties)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void shouldLoadPropertiesFileAndTrimValues() throws IOException {
        Path file = dir.resolve("leakwatch.properties");
        Files.writeString(file, "bootstrap.servers = kafka-1:9092  \nleakwatch.topic.invoices=prod.invoices\n",
                StandardCharsets.UTF_8);

        LeakwatchConfig cfg = LeakwatchConfig.load(file);

        assertThat(cfg.kafkaProperties()).containsEntry(BOOTSTRAP, "kafka-1:9092");
        assertThat(cfg.catalog().name(TopicCatalog.INVOICES)).isEqualTo("prod.invoices");
    }

    @Test
    void shouldFailWithOneLineNamingTheFileWhenFileIsMissing() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> LeakwatchConfig.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " does not exist or is not a file");
    }

    @Test
    void shouldUseDefaultTopologySettingsWhenNoLeakwatchKeys() {
        TopologySettings settings = config().topologySettings();

        assertThat(settings.wireFormat()).isEqualTo(WireFormat.JSON);
        assertThat(settings.horizon()).isEqualTo(TopologySettings.DEFAULT_HORIZON);
        assertThat(settings.replayInterval()).isEqualTo(TopologySettings.DEFAULT_REPLAY_INTERVAL);
        assertThat(settings.earliestPlausible()).isEqualTo(TopologySettings.DEFAULT_EARLIEST);
    }

    @Test
    void shouldReadDurationsAndInstantsFromLeakwatchKeys() {
        TopologySettings settings = config(LeakwatchConfig.HORIZON, "P2D", LeakwatchConfig.REPLAY_INTERVAL, "PT30S",
                LeakwatchConfig.DEDUPE, "P30D",
                LeakwatchConfig.EARLIEST, "2020-01-01T00:00:00Z", LeakwatchConfig.MAX_AHEAD, "P1D",
                LeakwatchConfig.WIRE_FORMAT, "avro").topologySettings();

        assertThat(settings.horizon()).isEqualTo(Duration.ofDays(2));
        assertThat(settings.replayInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.alertDedupeRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.earliestPlausible()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(settings.maxAhead()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.wireFormat()).isEqualTo(WireFormat.AVRO);
    }

    @Test
    void shouldReadTheRoutineScoringDelayAndRefuseANegativeOne() {
        assertThat(config().topologySettings().risk().routineDelay()).isEqualTo(Duration.ofDays(31));
        assertThat(config(LeakwatchConfig.SCORING_ROUTINE_DELAY, "P0D").topologySettings().risk().routineDelay())
                .isZero();
        assertThatThrownBy(() -> config(LeakwatchConfig.SCORING_ROUTINE_DELAY, "-P1D").topologySettings())
                .isInstanceOf(ConfigException.class).hasMessageContaining("leakwatch.scoring.routine-delay");
    }

    @Test
    void shouldReadTheSpikeAndDropNoiseFloorsOfTheRevenueBaselineSeparately() {
        TopologySettings defaults = config().topologySettings();
        TopologySettings settings = config(LeakwatchConfig.BASELINE_MIN_RELATIVE_STD, "0.3",
                LeakwatchConfig.BASELINE_MIN_RELATIVE_STD_DROP, "0.15").topologySettings();

        assertThat(defaults.detection().baseline().minRelativeStd()).isEqualTo(0.25);
        assertThat(defaults.detection().baseline().minRelativeStdDrop()).isEqualTo(0.20);
        assertThat(settings.detection().baseline().minRelativeStd()).isEqualTo(0.3);
        assertThat(settings.detection().baseline().minRelativeStdDrop()).isEqualTo(0.15);
    }

    @Test
    void shouldRefuseALeakwatchKeyItDoesNotKnowAndSuggestTheNearestOne() {
        assertThatThrownBy(() -> config("leakwatch.late.horizn", "P30D"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("leakwatch.late.horizn is not a Leakwatch setting; did you mean leakwatch.late.horizon?"
                        + " (every key is in the README's configuration reference)");
        assertThatThrownBy(() -> config("leakwatch.scoring.batch-size", "64"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("leakwatch.scoring.batch-size is not");
        assertThat(config("leakwatch.topic.invoices", "billing.lines").catalog().name("invoices")).isEqualTo("billing.lines");
        assertThat(config("leakwatch.severity.thresholds.CHF", "100,1000,10000")).isNotNull();
    }

    /**
     * The README's configuration reference is the one list of keys: every key the code reads is in it, and every
     * {@code leakwatch.} key it lists is read. A row may name several keys, {@code `leakwatch.a.b` / `.c`} being
     * {@code leakwatch.a.b} and {@code leakwatch.a.c}.
     */
    @Test
    void shouldDocumentExactlyTheKeysItReads() throws IOException {
        java.util.Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Pattern cell = java.util.regex.Pattern.compile("`([a-z.<>A-Z-]+)`");
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("## Configuration reference"),
                readme.indexOf("\n## ", readme.indexOf("## Configuration reference") + 1));
        for (String line : table.lines().filter(l -> l.startsWith("| `leakwatch.")).toList()) {
            String keys = line.substring(1, line.indexOf('|', 1));
            String first = null;
            var m = cell.matcher(keys);
            while (m.find()) {
                String key = m.group(1);
                if (first == null) {
                    first = key;
                    documented.add(key);
                } else {
                    documented.add(first.substring(0, first.lastIndexOf('.')) + key);
                }
            }
        }
        java.util.Set<String> families = new java.util.TreeSet<>();
        documented.removeIf(k -> k.contains("<") && families.add(k.substring(0, k.indexOf('<'))));

        assertThat(documented).as("keys in the README's table").isEqualTo(LeakwatchConfig.KEYS);
        assertThat(families).containsExactlyInAnyOrderElementsOf(LeakwatchConfig.KEY_FAMILIES);
    }

    @Test
    void shouldReadTheShortDurationsTheSlackBridgeConfigReadsToo() {
        TopologySettings settings = config(LeakwatchConfig.HORIZON, "90d", LeakwatchConfig.REPLAY_INTERVAL, "500ms")
                .topologySettings();

        assertThat(settings.horizon()).isEqualTo(java.time.Duration.ofDays(90));
        assertThat(settings.replayInterval()).isEqualTo(java.time.Duration.ofMillis(500));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "leakwatch.late.horizon,                7 days",
            "leakwatch.late.replay-interval,        every second",
            "leakwatch.alerts.dedupe-retention,     forever",
            "leakwatch.timestamps.max-ahead,        1 fortnight",
            "leakwatch.timestamps.earliest,         2000-01-01",
            "leakwatch.wire.format,                 protobuf"})
    void shouldNameTheKeyOfABadValue(String key, String value) {
        LeakwatchConfig cfg = config(key, value);

        assertThatThrownBy(cfg::topologySettings)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(value);
    }

    @Test
    void shouldNameTheKeyOfBadSeverityThresholds() {
        LeakwatchConfig cfg = config(LeakwatchConfig.SEVERITY, "100,1000");

        assertThatThrownBy(cfg::topologySettings)
                .isInstanceOf(ConfigException.class)
                .hasMessage("leakwatch.severity.thresholds: expected three amounts 'medium,high,critical', got '100,1000'");
    }

    @Test
    void shouldNameTheKeyOfNonNumericSeverityThresholds() {
        LeakwatchConfig cfg = config(LeakwatchConfig.SEVERITY, "100,1000,lots");

        assertThatThrownBy(cfg::topologySettings)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("leakwatch.severity.thresholds: ");
    }

    @Test
    void shouldNameThePerCurrencyKeyOfBadSeverityThresholds() {
        LeakwatchConfig cfg = config(LeakwatchConfig.SEVERITY, "100,1000,10000",
                "leakwatch.severity.thresholds.JPY", "1,2");

        assertThatThrownBy(cfg::topologySettings)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("leakwatch.severity.thresholds.JPY: ");
    }

    @Test
    void shouldNameTheKeyWhenTheReplayIntervalIsNotPositive() {
        LeakwatchConfig cfg = config(LeakwatchConfig.REPLAY_INTERVAL, "PT0S");

        assertThatThrownBy(cfg::topologySettings)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LeakwatchConfig.REPLAY_INTERVAL);
    }

    @Test
    void shouldOverrideOneTopicNameAndKeepTheOthers() {
        TopicCatalog catalog = config("leakwatch.topic.invoices", "billing.invoice-lines.v1").catalog();

        assertThat(catalog.name(TopicCatalog.INVOICES)).isEqualTo("billing.invoice-lines.v1");
        assertThat(catalog.name(TopicCatalog.CONTRACTS)).isEqualTo("contracts");
        assertThat(catalog.name(TopicCatalog.DEAD_LETTER)).isEqualTo("dead-letter");
    }

    @Test
    void shouldOverrideReplicationOfEveryTopic() {
        TopicCatalog catalog = config(LeakwatchConfig.REPLICATION, "3").catalog();

        assertThat(catalog.all()).extracting(TopicSpec::replicationFactor).containsOnly((short) 3);
    }

    @Test
    void shouldOverridePartitionsOfEveryTopicKeepingInputsCoPartitioned() {
        TopicCatalog catalog = config(LeakwatchConfig.PARTITIONS, "12").catalog();

        assertThat(catalog.inputs()).extracting(TopicSpec::partitions).containsOnly(12);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "three", "1.5"})
    void shouldNameTheKeyOfABadReplicationFactor(String value) {
        LeakwatchConfig cfg = config(LeakwatchConfig.REPLICATION, value);

        assertThatThrownBy(cfg::catalog)
                .isInstanceOf(ConfigException.class)
                .hasMessage(LeakwatchConfig.REPLICATION + ": '" + value + "' is not a positive whole number");
    }

    @Test
    void shouldRejectReplicationFactorBeyondShortRange() {
        LeakwatchConfig cfg = config(LeakwatchConfig.REPLICATION, "40000");

        assertThatThrownBy(cfg::catalog).isInstanceOf(ConfigException.class).hasMessageContaining(LeakwatchConfig.REPLICATION);
    }

    @Test
    void shouldReadCatalogFromConfiguredFile() throws IOException {
        Path file = dir.resolve("topics.json");
        Files.writeString(file, "{\"topics\": [{\"role\": \"invoices\", \"name\": \"inv\", \"partitions\": 6}]}",
                StandardCharsets.UTF_8);

        TopicCatalog catalog = config(LeakwatchConfig.CATALOG, file.toString()).catalog();

        assertThat(catalog.roles()).containsExactly(TopicCatalog.INVOICES);
        assertThat(catalog.role(TopicCatalog.INVOICES).partitions()).isEqualTo(6);
    }

    @Test
    void shouldApplyDefaultAndPerCurrencySeverityThresholds() {
        TopologySettings settings = config(LeakwatchConfig.SEVERITY, "50,500,5000",
                "leakwatch.severity.thresholds.JPY", "5000,50000,500000").topologySettings();

        assertThat(settings.severity().severityOf(new BigDecimal("50"), "USD")).isEqualTo(Severity.MEDIUM);
        assertThat(settings.severity().severityOf(new BigDecimal("4999"), "JPY")).isEqualTo(Severity.LOW);
        assertThat(settings.severity().severityOf(new BigDecimal("5000"), "JPY")).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void shouldApplyPerCurrencySeverityOverrideOnItsOwn() {
        TopologySettings settings = config("leakwatch.severity.thresholds.JPY", "5000,50000,500000").topologySettings();

        assertThat(settings.severity().severityOf(new BigDecimal("5000"), "JPY")).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void shouldKeepStandardLargeCurrencyThresholdsWhenOnlyDefaultsAreOverridden() {
        TopologySettings settings = config(LeakwatchConfig.SEVERITY, "50,500,5000").topologySettings();

        assertThat(settings.severity().severityOf(new BigDecimal("6000"), "JPY")).isEqualTo(Severity.LOW);
    }
}
