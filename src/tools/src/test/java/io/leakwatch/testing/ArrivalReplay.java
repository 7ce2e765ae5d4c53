package io.leakwatch.testing;

import io.leakwatch.backtest.ReplayRecord;
import io.leakwatch.events.Alert;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Feeds JSON Lines records to the production topology on a {@link TopologyTestDriver} in an order the caller chooses
 * (not event time), as a live deployment may receive them: the wall clock passes the replay interval every
 * {@code settleEvery} records, and the processor can be stopped and started again from its committed state
 * between two records.
 */
public final class ArrivalReplay {
    /** What a run wrote. */
    public record Result(List<Alert> alertLog, Map<String, Long> deadLettersByReason) {
    }

    private final TopologySettings settings;
    private final int settleEvery;

    public ArrivalReplay(TopologySettings settings, int settleEvery) {
        this.settings = settings.withWireFormat(WireFormat.JSON).withInputPartitions(1);
        this.settleEvery = settleEvery;
    }

    /** Replays {@code records} in list order, restarting the processor before each index in {@code restarts}. */
    public Result run(List<ReplayRecord> records, Set<Integer> restarts) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("leakwatch-arrival");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Alert> alerts = new ArrayList<>();
        Map<String, Long> dead = new TreeMap<>();
        EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, settings.topics().name(TopicCatalog.ALERTS), settings.schemas());
        Driver driver = new Driver(stateDir);
        try {
            for (int i = 0; i < records.size(); i++) {
                if (restarts.contains(i)) {
                    driver.drain(codec, alerts, dead);
                    driver.close();
                    driver = new Driver(stateDir);
                }
                ReplayRecord r = records.get(i);
                driver.inputs.get(r.topic()).pipeInput(new TestRecord<>(r.key(), r.value(), new RecordHeaders(),
                        Instant.ofEpochMilli(r.timestamp())));
                if ((i + 1) % settleEvery == 0) {
                    driver.driver.advanceWallClockTime(settings.replayInterval());
                    driver.drain(codec, alerts, dead);
                }
            }
            driver.driver.advanceWallClockTime(settings.replayInterval());
            driver.drain(codec, alerts, dead);
        } finally {
            driver.close();
            delete(stateDir);
        }
        return new Result(alerts, dead);
    }

    private final class Driver {
        final TopologyTestDriver driver;
        final Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
        final TestOutputTopic<String, byte[]> alerts;
        final TestOutputTopic<String, byte[]> deadLetters;

        Driver(Path stateDir) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-arrival");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            io.leakwatch.topology.DeadLetterHandlers.install(props, settings.topics().name(TopicCatalog.DEAD_LETTER));
            driver = new TopologyTestDriver(LeakwatchTopology.build(settings), props);
            for (String role : List.of(TopicCatalog.CONTRACTS, TopicCatalog.INVOICES, TopicCatalog.USAGE,
                    TopicCatalog.PAYMENTS, TopicCatalog.PROVISIONING)) {
                String topic = settings.topics().name(role);
                inputs.put(topic, driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()));
            }
            alerts = driver.createOutputTopic(settings.topics().name(TopicCatalog.ALERTS), new StringDeserializer(),
                    new ByteArrayDeserializer());
            deadLetters = driver.createOutputTopic(settings.topics().name(TopicCatalog.DEAD_LETTER),
                    new StringDeserializer(), new ByteArrayDeserializer());
        }

        void drain(EventCodec<Alert> codec, List<Alert> into, Map<String, Long> dead) {
            for (TestRecord<String, byte[]> r : alerts.readRecordsToList()) {
                try {
                    into.add(codec.decode(r.value()));
                } catch (EventDecodingException e) {
                    throw new AssertionError("undecodable alert: " + e.getMessage(), e);
                }
            }
            for (TestRecord<String, byte[]> r : deadLetters.readRecordsToList()) {
                dead.merge(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON), 1L, Long::sum);
            }
        }

        void close() {
            driver.close();
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
