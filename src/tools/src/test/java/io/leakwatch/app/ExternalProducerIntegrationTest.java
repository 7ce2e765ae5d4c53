package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.JsonLinesInput;
import io.leakwatch.backtest.ReplayRecord;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.demo.ProcessingWatcher;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.CommittedRecords;
import io.leakwatch.testing.StandingAlerts;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * History loaded the way a billing team loads it, not the way our own tools do: by a producer that stamps each record
 * with the time it sends it (CreateTime = now, while the events are years old), partitions like librdkafka's default,
 * and sends one topic after another rather than in event-time order. The processor runs with the deployment defaults
 * (topics as the catalog ships them) but for the late-data horizon, raised as docs/late-data.md says a backfill by
 * such a producer needs. All but the last 30 days of the history is loaded before
 * the processor first starts (a backfill), the rest while it runs (the live path), again one topic after another. The
 * alerts that stand at the end are the event-time backtest's, and every bad line reached the dead-letter topic.
 *
 * <p>Run twice: with our Java client configured like librdkafka (always), and with kcat itself (when it is installed;
 * {@code .ci/run} installs it where it can).
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExternalProducerIntegrationTest {
    /** One topic after another, the events of a topic in file order: the order an export-and-load script produces. */
    private static final List<String> LOAD_ORDER = List.of("payments", "usage", "invoices", "provisioning", "contracts");

    @TempDir
    Path dir;

    @Test
    void shouldEndWithTheBacktestsAlertsWhenHistoryIsLoadedTopicByTopicStampedWithSendTime() throws Exception {
        converge("send-time-java", (kafka, topic, records) -> produceLikeLibrdkafka(kafka, topic, records));
    }

    @Test
    void shouldEndWithTheBacktestsAlertsWhenKcatLoadsTheHistory() throws Exception {
        assumeTrue(kcatInstalled(), "kcat is not installed (apt install kcat)");
        converge("send-time-kcat", this::produceWithKcat);
    }

    private interface Loader {
        void load(TestBroker kafka, String topic, List<ReplayRecord> records) throws Exception;
    }

    private void converge(String appId, Loader loader) throws Exception {
        Path worldDir = dir.resolve("world");
        World world = WorldGenerator.generate(GeneratorOptions.defaults(120, 9, 29));
        WorldFiles.write(world, worldDir);
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = new LeakwatchConfig(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", appId,
                    "state.dir", dir.resolve("state").toString(),
                    // records re-routed from the partitions kcat chose reach their account's task behind its other
                    // records; on a world this small that hop falls months behind in event time (docs/late-data.md)
                    LeakwatchKeys.HORIZON, "P400D"));
            TopologySettings settings = config.topologySettings();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());
            Map<String, Alert> expected = StandingAlerts.byId(new Backtest(settings).run(worldDir, Progress.silent()).alerts());
            List<ReplayRecord> records = JsonLinesInput.read(worldDir, JsonLinesInput.inputTopics(settings.topics()));
            long cut = records.get(records.size() - 1).timestamp() - Duration.ofDays(30).toMillis();
            Instant loadStarted = Instant.now();

            Set<String> inputs = LeakwatchTopology.sourceTopics(LeakwatchTopology.build(settings));
            ProcessingWatcher watcher = new ProcessingWatcher(admin, appId, inputs);
            Duration settle = Duration.ofMillis(2500);
            load(kafka, loader, records, r -> r.timestamp() < cut);
            try (StreamsRunner runner = new StreamsRunner(config.kafkaProperties(), settings)) {
                runner.start();
                assertThat(watcher.awaitSettled(runner.streams(), settle, Duration.ofSeconds(100))).as("backfill settled").isTrue();
                load(kafka, loader, records, r -> r.timestamp() >= cut);
                assertThat(watcher.awaitSettled(runner.streams(), settle, Duration.ofSeconds(100))).as("live settled").isTrue();
            }

            ConsumerRecord<byte[], byte[]> firstInvoice = CommittedRecords.readAll(kafka.clientProperties(), "invoices").stream()
                    .min(Comparator.comparingLong(ConsumerRecord::timestamp)).orElseThrow();
            assertThat(firstInvoice.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(Instant.ofEpochMilli(firstInvoice.timestamp())).as("stamped when sent, not when billed")
                    .isAfterOrEqualTo(loadStarted.minusSeconds(5));
            assertThat(LocalDate.ofInstant(Instant.ofEpochMilli(records.get(0).timestamp()), ZoneOffset.UTC)).as("history dated years back")
                    .isBefore(LocalDate.ofInstant(loadStarted, ZoneOffset.UTC).minusYears(1));

            EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, settings.topics().name(TopicCatalog.ALERTS), settings.schemas());
            List<Alert> alerts = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.readAll(kafka.clientProperties(), settings.topics().name(TopicCatalog.ALERTS))) {
                alerts.add(codec.decode(r.value()));
            }
            Map<String, Alert> standing = StandingAlerts.byId(AlertLog.of(alerts).standing());
            assertThat(expected).as("the backtest finds leakage to compare").hasSizeGreaterThan(20);
            assertThat(StandingAlerts.difference(expected, standing)).isEmpty();
            assertThat(CommittedRecords.readAll(kafka.clientProperties(), settings.topics().name(TopicCatalog.DEAD_LETTER)))
                    .as("every bad line dead-lettered").hasSize(world.badRecords().size());
        }
    }

    private static void load(TestBroker kafka, Loader loader, List<ReplayRecord> records, Predicate<ReplayRecord> part)
            throws Exception {
        Map<String, List<ReplayRecord>> byTopic = new LinkedHashMap<>();
        LOAD_ORDER.forEach(t -> byTopic.put(t, new ArrayList<>()));
        records.stream().filter(part).sorted(Comparator.comparingInt(ReplayRecord::line))
                .forEach(r -> byTopic.get(r.topic()).add(r));
        for (Map.Entry<String, List<ReplayRecord>> topic : byTopic.entrySet()) {
            loader.load(kafka, topic.getKey(), topic.getValue());
        }
    }

    /** Our client, told to behave like librdkafka's default: CRC32 of the key, and no timestamp (the send time). */
    private static void produceLikeLibrdkafka(TestBroker kafka, String topic, List<ReplayRecord> records) {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, LateAndMisroutedIntegrationTest.LibrdkafkaDefaultPartitioner.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ReplayRecord r : records) {
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /** {@code kcat -P} with its defaults (librdkafka's partitioner, send-time stamps), reading key TAB value lines. */
    private void produceWithKcat(TestBroker kafka, String topic, List<ReplayRecord> records) throws Exception {
        if (records.isEmpty()) {
            return;
        }
        Path lines = Files.createTempFile(dir, topic, ".tsv");
        StringBuilder text = new StringBuilder();
        for (ReplayRecord r : records) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(value).as("a kcat line holds one record").doesNotContain("\n");
            text.append(r.key() == null ? "" : r.key()).append('\t').append(value).append('\n');
        }
        Files.writeString(lines, text);
        Process kcat = new ProcessBuilder("kcat", "-P", "-b", kafka.bootstrapServers(), "-t", topic, "-K", "\\t",
                "-l", lines.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("kcat.log").toFile()).start();
        assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).as("kcat finished").isTrue();
        assertThat(kcat.exitValue()).as("kcat exit code; log: " + Files.readString(dir.resolve("kcat.log"))).isZero();
    }

    private static boolean kcatInstalled() {
        try {
            Process p = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
