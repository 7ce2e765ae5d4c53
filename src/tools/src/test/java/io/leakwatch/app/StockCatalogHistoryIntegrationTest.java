package io.leakwatch.app;

import io.leakwatch.backtest.JsonLinesProducer;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.backtest.Backtest;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topics.TopicSpec;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.testing.CommittedRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History replayed as a new user would meet the product: a broker whose log cleaner and retention checks run every
 * second, topics created from the catalog as it ships ({@link TopicAdmin#apply}), a billing world dated years back
 * produced with its business timestamps ({@link JsonLinesProducer}). After the cleaner and the retention checks have
 * had several passes, every record is still there and the production topology alerts exactly as the file backtest
 * does. The same contracts and invoices on topics with the catalog's former settings (contracts compacted with a
 * 400-day min.compaction.lag.ms, invoices kept 400 days) lose records within the same wait: the settings, not luck,
 * keep the history.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StockCatalogHistoryIntegrationTest {
    private static final Logger LOG = LoggerFactory.getLogger(StockCatalogHistoryIntegrationTest.class);

    /** Years back: older than the former 400-day settings, however long this test lives (checked before the run). */
    private static final YearMonth START = YearMonth.of(2023, 1);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** Retention checks and cleaner wake-ups the catalog's topics must survive after the former settings lost records. */
    private static final int PASSES_AFTER_LOSS = 5;
    /**
     * The broker rolls a segment when a record's timestamp is this far past the segment's first record's: business time
     * here, so each segment holds about a month of history. Only closed segments are compacted or deleted.
     */
    private static final Duration ROLL_AFTER = Duration.ofDays(30);
    /** Small producer batches, so that a batch never spans more than a few days of history and segments do roll. */
    private static final int BATCH_BYTES = 2048;
    private static final String OLD = "old-settings.";
    private static final String APP_ID = "stock-catalog-history";

    @TempDir
    static Path dir;

    private static TestBroker kafka;
    private static Admin admin;
    private static TopicCatalog catalog;
    private static Map<String, Long> produced;
    private static Map<String, Long> producedWithOldSettings;
    private static Map<String, Long> keptAfterPasses;
    private static Map<String, Long> keptWithOldSettings;
    private static List<Alert> backtestStanding;

    @BeforeAll
    static void replayHistoryAndLetTheBrokerClean() throws Exception {
        assertThat(START.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant())
                .as("the world must be older than the former 400-day settings")
                .isBefore(Instant.now().minus(Duration.ofDays(2 * 365)));
        kafka = TestBrokers.builder()
                // the first retention check and cleaner pass otherwise wait 30 s after start-up
                .brokerConfig("log.initial.task.delay.ms", 0)
                .brokerConfig("log.retention.check.interval.ms", CHECK_INTERVAL.toMillis())
                .brokerConfig("log.cleaner.backoff.ms", CHECK_INTERVAL.toMillis())
                .brokerConfig("log.roll.ms", ROLL_AFTER.toMillis())
                // Kafka's stock default, as on a real cluster: the catalog's own settings must be what keeps history
                .brokerConfig("log.retention.ms", Duration.ofDays(7).toMillis())
                .start();
        admin = Admin.create(kafka.clientProperties());

        Path world = dir.resolve("world");
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(60, 6, 11).withStartMonth(START)), world);
        catalog = config().catalog();
        new TopicAdmin(admin, Duration.ofSeconds(30)).apply(catalog);

        // The former settings, on topics of their own, fed the same contracts and invoices the same way.
        admin.createTopics(List.of(
                new NewTopic(OLD + "contracts", 4, (short) 1).configs(Map.of("cleanup.policy", "compact",
                        "min.compaction.lag.ms", "34560000000", "retention.ms", "-1")),
                new NewTopic(OLD + "invoices", 4, (short) 1).configs(Map.of("cleanup.policy", "delete",
                        "retention.ms", Long.toString(Duration.ofDays(400).toMillis())))))
                .all().get(30, TimeUnit.SECONDS);
        Path oldWorld = Files.createDirectories(dir.resolve("old-settings"));
        Files.copy(world.resolve("contracts.jsonl"), oldWorld.resolve(OLD + "contracts.jsonl"));
        Files.copy(world.resolve("invoices.jsonl"), oldWorld.resolve(OLD + "invoices.jsonl"));

        Properties producer = kafka.clientProperties();
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        produced = new JsonLinesProducer(producer, catalog, WireFormat.JSON).produce(world, Progress.silent());
        producedWithOldSettings = new JsonLinesProducer(producer, catalog.map(s -> s.withName(OLD + s.name())),
                WireFormat.JSON).produce(oldWorld, Progress.silent());
        long producedAt = System.nanoTime();
        LOG.info("produced {} and, with the former settings, {}", produced, producedWithOldSettings);

        // Wait until the cleaner and the retention check have acted on the former settings, then a few passes more.
        Map<String, Long> firstLoss = new TreeMap<>();
        long deadline = producedAt + TimeUnit.SECONDS.toNanos(45);
        while (firstLoss.size() < producedWithOldSettings.size() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            countRecords(producedWithOldSettings.keySet()).forEach((topic, n) -> {
                if (n < producedWithOldSettings.get(topic)) {
                    firstLoss.putIfAbsent(topic, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - producedAt));
                }
            });
        }
        long lossSeenAt = System.nanoTime();
        LOG.info("first records lost with the former settings after (ms): {}", firstLoss);
        // The file backtest runs while the broker makes more passes.
        backtestStanding = AlertLog.of(new Backtest(config().topologySettings()).run(world, Progress.silent()).alerts())
                .standing();
        LOG.info("the file backtest leaves {} alerts standing", backtestStanding.size());
        long morePasses = lossSeenAt + PASSES_AFTER_LOSS * CHECK_INTERVAL.toNanos() - System.nanoTime();
        if (morePasses > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(morePasses));
        }
        keptAfterPasses = countRecords(produced.keySet());
        keptWithOldSettings = countRecords(producedWithOldSettings.keySet());
        LOG.info("after {} ms: kept {}; with the former settings kept {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - producedAt), keptAfterPasses, keptWithOldSettings);
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

    private static LeakwatchConfig config() {
        return new LeakwatchConfig(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", APP_ID,
                "state.dir", dir.resolve("state").toString(),
                "commit.interval.ms", "100",
                // everything else (exactly_once_v2, max.task.idle.ms, ...) as the product sets it
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest"));
    }

    @Test
    void shouldKeepEveryRecordOfReplayedHistoryThroughCleanerAndRetentionPasses() {
        // the history is the billing events; people's decisions (alert-feedback) are not part of it
        assertThat(produced).containsOnlyKeys(catalog.inputs().stream().map(TopicSpec::name)
                .filter(name -> !name.equals(catalog.name(TopicCatalog.ALERT_FEEDBACK))).toList());
        assertThat(produced.values()).allMatch(n -> n > 0);

        assertThat(keptAfterPasses).isEqualTo(produced);
    }

    @Test
    void shouldLoseHistoryWithinTheSameWaitOnTopicsWithTheFormerSettings() {
        assertThat(keptWithOldSettings.get(OLD + "contracts")).as("contract versions left by compaction")
                .isLessThan(producedWithOldSettings.get(OLD + "contracts"));
        assertThat(keptWithOldSettings.get(OLD + "invoices")).as("invoice lines left by a 400-day retention")
                .isLessThan(producedWithOldSettings.get(OLD + "invoices"));
    }

    @Test
    void shouldAlertOnTheReplayedHistoryExactlyAsTheFileBacktest() throws Exception {
        LeakwatchConfig config = config();

        try (StreamsRunner runner = new StreamsRunner(config.kafkaProperties(), config.topologySettings())) {
            runner.start();
            awaitProcessed(LeakwatchTopology.sourceTopics(LeakwatchTopology.build(config.topologySettings())));
            // records a partition delivered behind the others are judged again within a second: wait for that too
            assertThat(new io.leakwatch.demo.ProcessingWatcher(admin, APP_ID,
                    LeakwatchTopology.sourceTopics(LeakwatchTopology.build(config.topologySettings())))
                    .awaitSettled(runner.streams(), Duration.ofMillis(1500), Duration.ofSeconds(30))).isTrue();
        }
        EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, config.catalog().name(TopicCatalog.ALERTS), config.topologySettings().schemas());
        List<Alert> live = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.readAll(kafka.clientProperties(), catalog.name(TopicCatalog.ALERTS))) {
            live.add(codec.decode(r.value()));
        }

        Map<String, Alert> expected = byId(backtestStanding);
        Map<String, Alert> actual = byId(AlertLog.of(live).standing());
        assertThat(expected).as("alerts standing after the backtest").isNotEmpty();
        assertThat(actual.keySet()).as("alert ids standing on the alerts topic").isEqualTo(expected.keySet());
        // the same findings: everything but the lifecycle fields and detected_at, which tell when a record was judged
        assertThat(actual.values()).as("alerts standing on the alerts topic").map(io.leakwatch.alerts.AlertContent::hash)
                .containsExactlyElementsOf(expected.values().stream().map(io.leakwatch.alerts.AlertContent::hash).toList());
    }

    private static Map<String, Alert> byId(Collection<Alert> alerts) {
        return alerts.stream().collect(Collectors.toMap(Alert::getAlertId, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    /** Waits until the processor has committed every input record and caught up on its repartition topic. */
    private static void awaitProcessed(Set<String> inputs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
            for (var description : admin.describeTopics(inputs).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                description.partitions().forEach(p ->
                        request.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            committed.keySet().stream().filter(tp -> tp.topic().endsWith("-repartition"))
                    .forEach(tp -> request.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
            // a transactional writer leaves a commit marker after its last record on the repartition topic
            // an empty partition (alert-feedback: this history holds no decisions) has nothing to commit
            boolean done = ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || committed.containsKey(e.getKey()) && committed.get(e.getKey()).offset() >= e.getValue().offset()
                            - (e.getKey().topic().endsWith("-repartition") ? 1 : 0));
            if (done) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the processor did not commit every input record within 60 s");
    }

    /** How many records each topic holds now, read from its first offset to its end. */
    private static Map<String, Long> countRecords(Collection<String> topics) {
        Map<String, Long> counts = new TreeMap<>();
        for (String topic : topics) {
            counts.put(topic, (long) CommittedRecords.readAll(kafka.clientProperties(), topic).size());
        }
        return counts;
    }
}
