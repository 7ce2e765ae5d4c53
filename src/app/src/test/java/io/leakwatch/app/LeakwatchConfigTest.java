package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.app.LeakwatchConfig.ConfigException;
import io.leakwatch.config.LeakwatchKeys;
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
        Properties kafka = config(LeakwatchKeys.HORIZON, "P1D", "leakwatch.topic.invoices", "prod.invoices",
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
        LeakwatchConfig cfg = new LeakwatchConfig(Map.of(LeakwatchKeys.HORIZON, "P1D"));

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
        TopologySettings settings = config(LeakwatchKeys.HORIZON, "P2D", LeakwatchKeys.REPLAY_INTERVAL, "PT30S",
                LeakwatchKeys.DEDUPE, "P30D",
                LeakwatchKeys.EARLIEST, "2020-01-01T00:00:00Z", LeakwatchKeys.MAX_AHEAD, "P1D",
                LeakwatchKeys.WIRE_FORMAT, "avro").topologySettings();

        assertThat(settings.horizon()).isEqualTo(Duration.ofDays(2));
        assertThat(settings.replayInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.alertDedupeRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.earliestPlausible()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(settings.maxAhead()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.wireFormat()).isEqualTo(WireFormat.AVRO);
    }

    @Test
    void shouldResolveSchemaIdsThroughTheRegistryOnlyWhenItsUrlIsSet() {
        assertThat(config(LeakwatchKeys.WIRE_FORMAT, "avro").topologySettings().schemas())
                .isInstanceOf(io.leakwatch.serde.BundledSchemaResolver.class);
        LeakwatchConfig registry = config(LeakwatchKeys.WIRE_FORMAT, "avro",
                LeakwatchKeys.REGISTRY_URL, "http://registry.example.com:8081");

        assertThat(registry.topologySettings().schemas()).isInstanceOf(io.leakwatch.registry.RegistrySchemaResolver.class)
                .isSameAs(registry.topologySettings().schemas());
    }

    @Test
    void shouldRefuseAnUnreadableRegistryTrustStoreInOneLine() {
        LeakwatchConfig config = config(LeakwatchKeys.WIRE_FORMAT, "avro",
                LeakwatchKeys.REGISTRY_URL, "https://registry.example.com",
                LeakwatchKeys.REGISTRY_TRUSTSTORE, "/nonexistent/registry-truststore.p12");

        assertThatThrownBy(config::topologySettings)
                .isInstanceOf(ConfigException.class)
                .hasMessage(LeakwatchKeys.REGISTRY_TRUSTSTORE + ": cannot read PKCS12 store"
                        + " /nonexistent/registry-truststore.p12 (no such file)");
    }

    @Test
    void shouldReadTheRoutineScoringDelayAndRefuseANegativeOne() {
        assertThat(config().topologySettings().risk().routineDelay()).isEqualTo(Duration.ofDays(31));
        assertThat(config(LeakwatchKeys.SCORING_ROUTINE_DELAY, "P0D").topologySettings().risk().routineDelay())
                .isZero();
        assertThatThrownBy(() -> config(LeakwatchKeys.SCORING_ROUTINE_DELAY, "-P1D"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("leakwatch.scoring.routine-delay");
    }

    @Test
    void shouldReadTheSpikeAndDropNoiseFloorsOfTheRevenueBaselineSeparately() {
        TopologySettings defaults = config().topologySettings();
        TopologySettings settings = config(LeakwatchKeys.BASELINE_MIN_RELATIVE_STD, "0.3",
                LeakwatchKeys.BASELINE_MIN_RELATIVE_STD_DROP, "0.15").topologySettings();

        assertThat(defaults.detection().baseline().minRelativeStd()).isEqualTo(0.05);
        assertThat(defaults.detection().baseline().minRelativeStdDrop()).isEqualTo(0.05);
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
     * The README's table of {@code leakwatch.} keys is {@link LeakwatchKeys#DEFINITION}'s: every key, default, allowed
     * value and meaning has one source. When they differ, the message holds the table to paste.
     */
    @Test
    void shouldDocumentEveryLeakwatchKeyAsTheDefinitionSays() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String begin = "<!-- leakwatch-keys:begin";
        String end = "<!-- leakwatch-keys:end -->";
        int from = readme.indexOf('\n', readme.indexOf(begin)) + 1;
        String documented = readme.substring(from, readme.indexOf(end));
        String expected = LeakwatchKeys.DEFINITION.markdownTable();

        assertThat(documented)
                .as("the README's table of leakwatch.* keys differs from LeakwatchKeys; paste this between the markers:%n%s",
                        expected)
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"config/leakwatch.example.properties", "config/compose/leakwatch.properties"})
    void shouldAcceptTheConfigFilesTheRepositoryShips(String file) {
        assertThat(LeakwatchConfig.load(Path.of(file), name -> null).topologySettings().horizon())
                .isEqualTo(Duration.ofDays(90));
    }

    @Test
    void shouldReadTheShortDurationsTheSlackBridgeConfigReadsToo() {
        TopologySettings settings = config(LeakwatchKeys.HORIZON, "90d", LeakwatchKeys.REPLAY_INTERVAL, "500ms")
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
        assertThatThrownBy(() -> config(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(value);
    }

    @Test
    void shouldNameTheKeyOfBadSeverityThresholds() {
        assertThatThrownBy(() -> config(LeakwatchKeys.SEVERITY, "100,1000"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("leakwatch.severity.thresholds: '100,1000' is not three amounts medium,high,critical such as"
                        + " 100,1000,10000");
    }

    @Test
    void shouldNameTheKeyOfNonNumericSeverityThresholds() {
        assertThatThrownBy(() -> config(LeakwatchKeys.SEVERITY, "100,1000,lots"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("leakwatch.severity.thresholds: ");
    }

    @Test
    void shouldNameThePerCurrencyKeyOfBadSeverityThresholds() {
        assertThatThrownBy(() -> config(LeakwatchKeys.SEVERITY, "100,1000,10000",
                "leakwatch.severity.thresholds.JPY", "1,2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("leakwatch.severity.thresholds.JPY: ");
    }

    @Test
    void shouldNameTheKeyWhenTheReplayIntervalIsNotPositive() {
        assertThatThrownBy(() -> config(LeakwatchKeys.REPLAY_INTERVAL, "PT0S"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LeakwatchKeys.REPLAY_INTERVAL);
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
        TopicCatalog catalog = config(LeakwatchKeys.REPLICATION, "3").catalog();

        assertThat(catalog.all()).extracting(TopicSpec::replicationFactor).containsOnly((short) 3);
    }

    @Test
    void shouldOverridePartitionsOfEveryTopicKeepingInputsCoPartitioned() {
        TopicCatalog catalog = config(LeakwatchKeys.PARTITIONS, "12").catalog();

        assertThat(catalog.inputs()).extracting(TopicSpec::partitions).containsOnly(12);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "three", "1.5"})
    void shouldNameTheKeyOfABadReplicationFactor(String value) {
        assertThatThrownBy(() -> config(LeakwatchKeys.REPLICATION, value))
                .isInstanceOf(ConfigException.class)
                .hasMessage(LeakwatchKeys.REPLICATION + ": '" + value + "' is not a whole number from 1 to 32767");
    }

    @Test
    void shouldRejectReplicationFactorBeyondShortRange() {
        assertThatThrownBy(() -> config(LeakwatchKeys.REPLICATION, "40000")).isInstanceOf(ConfigException.class).hasMessageContaining(LeakwatchKeys.REPLICATION);
    }

    @Test
    void shouldReadCatalogFromConfiguredFile() throws IOException {
        Path file = dir.resolve("topics.json");
        Files.writeString(file, "{\"topics\": [{\"role\": \"invoices\", \"name\": \"inv\", \"partitions\": 6}]}",
                StandardCharsets.UTF_8);

        TopicCatalog catalog = config(LeakwatchKeys.CATALOG, file.toString()).catalog();

        assertThat(catalog.roles()).containsExactly(TopicCatalog.INVOICES);
        assertThat(catalog.role(TopicCatalog.INVOICES).partitions()).isEqualTo(6);
    }

    @Test
    void shouldApplyDefaultAndPerCurrencySeverityThresholds() {
        TopologySettings settings = config(LeakwatchKeys.SEVERITY, "50,500,5000",
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
        TopologySettings settings = config(LeakwatchKeys.SEVERITY, "50,500,5000").topologySettings();

        assertThat(settings.severity().severityOf(new BigDecimal("6000"), "JPY")).isEqualTo(Severity.LOW);
    }
}
