package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live path on a real broker, as a deployment meets it: the events of a generated world produced by a client
 * that partitions like librdkafka's default (CRC32 of the key, what kcat or a Python producer does unless told
 * {@code partitioner=murmur2_random}), so most accounts' events land on another partition than the Java client would
 * put them on; the contracts produced last, after everything they govern was processed; and, half way through the
 * contracts, the processor stopped and started again with its local state wiped (restored from the changelogs). The
 * alerts that stand on the alerts topic at the end are the event-time backtest's, and the misrouted records were
 * counted.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LateAndMisroutedIntegrationTest {
    private static final String APP_ID = "late-and-misrouted";

    @TempDir
    Path dir;

    /** librdkafka's default partitioner ({@code consistent_random}): CRC32 of the key, unsigned; a key-less record anywhere. */
    public static final class LibrdkafkaDefaultPartitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            if (keyBytes == null) {
                return java.util.concurrent.ThreadLocalRandom.current().nextInt(cluster.partitionCountForTopic(topic));
            }
            CRC32 crc = new CRC32();
            crc.update(keyBytes);
            return (int) (crc.getValue() % cluster.partitionCountForTopic(topic));
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    @Test
    void shouldEndWithTheBacktestsAlertsWhenEventsArriveMisroutedAndContractsLastAcrossARestart() throws Exception {
        Path world = dir.resolve("world");
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(120, 6, 17)), world);
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = config(kafka, dir.resolve("state-1"));
            TopologySettings settings = config.topologySettings();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(settings.topics());
            Map<String, Alert> expected = StandingAlerts.byId(new Backtest(settings).run(world, Progress.silent()).alerts());
            List<ReplayRecord> records = JsonLinesInput.read(world, JsonLinesInput.inputTopics(settings.topics()));
            List<ReplayRecord> contracts = records.stream().filter(r -> r.topic().equals("contracts")).toList();
            Set<String> inputs = LeakwatchTopology.sourceTopics(LeakwatchTopology.build(settings));
            ProcessingWatcher watcher = new ProcessingWatcher(admin, APP_ID, inputs);
            Duration settle = Duration.ofMillis(2500);

            produce(kafka, records.stream().filter(r -> !r.topic().equals("contracts")).toList(), true);
            double misrouted;
            try (StreamsRunner runner = new StreamsRunner(config.kafkaProperties(), settings)) {
                runner.start();
                assertThat(watcher.awaitSettled(runner.streams(), settle, Duration.ofSeconds(90))).as("settled").isTrue();
                produce(kafka, contracts.subList(0, contracts.size() / 2), false);
                assertThat(watcher.awaitSettled(runner.streams(), settle, Duration.ofSeconds(60))).as("settled").isTrue();
                misrouted = runner.streams().metrics().entrySet().stream()
                        .filter(e -> e.getKey().group().contains("leakwatch-ingest") && e.getKey().name().equals("misrouted-total"))
                        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
            }
            LeakwatchConfig restarted = config(kafka, dir.resolve("state-2"));
            try (StreamsRunner runner = new StreamsRunner(restarted.kafkaProperties(), restarted.topologySettings())) {
                runner.start();
                produce(kafka, contracts.subList(contracts.size() / 2, contracts.size()), false);
                assertThat(watcher.awaitSettled(runner.streams(), settle, Duration.ofSeconds(90))).as("settled").isTrue();
            }

            AlertLog log = AlertLog.of(readAlerts(kafka, settings));
            Map<String, Alert> standing = StandingAlerts.byId(log.standing());
            assertThat(misrouted).as("records counted as misrouted").isGreaterThan(records.size() / 2.0);
            assertThat(log.raisedThenWithdrawn()).as("alerts raised before their contract arrived, then withdrawn")
                    .isPositive();
            assertThat(StandingAlerts.difference(expected, standing)).isEmpty();
        }
    }

    private LeakwatchConfig config(TestBroker kafka, Path stateDir) {
        return new LeakwatchConfig(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", APP_ID,
                "state.dir", stateDir.toString(),
                // the contracts arrive after the whole half year they govern: a horizon that reaches back that far
                LeakwatchKeys.HORIZON, "P400D",
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest"));
    }

    private static void produce(TestBroker kafka, List<ReplayRecord> records, boolean likeLibrdkafka) {
        Properties props = kafka.clientProperties();
        if (likeLibrdkafka) {
            props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, LibrdkafkaDefaultPartitioner.class.getName());
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ReplayRecord r : records) {
                producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    private static List<Alert> readAlerts(TestBroker kafka, TopologySettings settings) throws Exception {
        EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, settings.topics().name(TopicCatalog.ALERTS), settings.schemas());
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.readAll(kafka.clientProperties(),
                settings.topics().name(TopicCatalog.ALERTS))) {
            alerts.add(codec.decode(r.value()));
        }
        return alerts;
    }
}
