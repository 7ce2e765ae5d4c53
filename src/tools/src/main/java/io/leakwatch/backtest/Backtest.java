package io.leakwatch.backtest;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.DetectorSwitches;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Replays JSON Lines history through the production topology, in isolation and with no broker: the same
 * {@link LeakwatchTopology#build} the runner uses, driven by Kafka Streams' in-process
 * {@link TopologyTestDriver}. Records are fed in event-time order (see {@link JsonLinesInput}), and the
 * alerts and scores depend only on the input, so the same files always give byte-identical {@code alerts.jsonl} (and,
 * with risk scoring on, {@code account-risk.jsonl}).
 */
public final class Backtest {
    private final TopologySettings settings;

    /**
     * @param settings the deployment's settings; the replay always reads JSON regardless of the wire format, on one
     *                 partition per input topic
     */
    public Backtest(TopologySettings settings) {
        this.settings = settings.withWireFormat(WireFormat.JSON).withInputPartitions(1);
    }

    /**
     * Reads an input directory in replay order, refusing what cannot be replayed (a line that is not UTF-8, a file
     * that cannot be read or holds no JSON), and notes which inputs it lacks.
     */
    public ReplayInput read(Path inputDir) throws IOException {
        return read(new JsonLinesSource(inputDir, ReplayRange.ALL));
    }

    /** Reads a history from files or topics, in replay order, for the inputs the topology reads. */
    public ReplayInput read(ReplaySource source) throws IOException {
        return source.read(inputs(LeakwatchTopology.build(settings)), settings.topics());
    }

    public BacktestResult run(Path inputDir, Progress progress) throws IOException {
        return run(read(inputDir), progress);
    }

    /**
     * Replays the records. A detector that is off for lack of its input ({@link InputCoverage}) is switched off in the
     * engine for the replay: what it would have raised says nothing about the history, and its phantom findings must
     * not reach the account features either. The alerts about business times before the input's range
     * ({@link ReplayRange#judges}) are dropped from the result: they are the earlier range's findings.
     */
    public BacktestResult run(ReplayInput input, Progress progress) throws IOException {
        Topology topology = LeakwatchTopology.build(withInputsMissingOff(settings, input.coverage()));
        Map<String, EventType<?>> inputs = inputs(topology);

        Path stateDir = Files.createTempDirectory("leakwatch-backtest");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-backtest");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        io.leakwatch.topology.DeadLetterHandlers.install(props, settings.topics().name(TopicCatalog.DEAD_LETTER));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            Map<String, TestInputTopic<String, byte[]>> in = new HashMap<>();
            inputs.keySet().forEach(t -> in.put(t, driver.createInputTopic(t, new StringSerializer(), new ByteArraySerializer())));
            TestOutputTopic<String, byte[]> alertsOut = driver.createOutputTopic(
                    settings.topics().name(TopicCatalog.ALERTS), new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> deadOut = driver.createOutputTopic(
                    settings.topics().name(TopicCatalog.DEAD_LETTER), new StringDeserializer(), new ByteArrayDeserializer());

            TestOutputTopic<String, String> featuresOut = settings.risk().periodEndSnapshots()
                    ? driver.createOutputTopic(settings.topics().name(TopicCatalog.ACCOUNT_FEATURES),
                            new StringDeserializer(), new StringDeserializer())
                    : null;
            TestOutputTopic<String, byte[]> risksOut = settings.risk().scorer() != null
                    ? driver.createOutputTopic(settings.topics().name(TopicCatalog.ACCOUNT_RISK),
                            new StringDeserializer(), new ByteArrayDeserializer())
                    : null;
            EventCodec<AccountRisk> riskCodec = WireFormat.JSON.codec(EventType.ACCOUNT_RISK, settings.topics().name(TopicCatalog.ACCOUNT_RISK), settings.schemas());
            List<AccountRisk> risks = new ArrayList<>();
            List<String> snapshots = new ArrayList<>();
            List<Alert> alerts = new ArrayList<>();
            List<DeadLetter> dead = new ArrayList<>();
            long lastRecord = Long.MIN_VALUE;
            EventCodec<Alert> alertCodec = WireFormat.JSON.codec(EventType.ALERT, settings.topics().name(TopicCatalog.ALERTS), settings.schemas());
            Progress replay = progress;
            long count = 0;
            Set<String> read = new java.util.HashSet<>(Set.of(settings.topics().name(TopicCatalog.ALERTS),
                    settings.topics().name(TopicCatalog.DEAD_LETTER)));
            if (featuresOut != null) {
                read.add(settings.topics().name(TopicCatalog.ACCOUNT_FEATURES));
            }
            if (risksOut != null) {
                read.add(settings.topics().name(TopicCatalog.ACCOUNT_RISK));
            }
            Map<String, TestOutputTopic<byte[], byte[]>> unread = new HashMap<>();
            try (ReplayRecords.Cursor records = input.records().open()) {
                ReplayRecord r;
                while ((r = next(records)) != null) {
                    long deadBefore = deadOut.getQueueSize();
                    in.get(r.topic()).pipeInput(new TestRecord<>(r.key(), r.value(), new RecordHeaders(),
                            Instant.ofEpochMilli(r.timestamp())));
                    replay.advanceTo(++count);
                    if (deadOut.getQueueSize() == deadBefore) {
                        // only accepted records say where the data ends: a dead-lettered record with an implausible
                        // timestamp (years ahead) must not make every label horizon look covered
                        lastRecord = Math.max(lastRecord, r.timestamp());
                    }
                    if (count % 10_000 == 0) {
                        drain(alertsOut, deadOut, alertCodec, alerts, dead);
                        drainSnapshots(featuresOut, snapshots);
                        drainRisks(risksOut, riskCodec, risks);
                        discard(driver, read, unread);
                    }
                }
            }
            // accounts that received a record out of order are judged again on the wall clock, as in production
            driver.advanceWallClockTime(settings.replayInterval());
            drain(alertsOut, deadOut, alertCodec, alerts, dead);
            drainSnapshots(featuresOut, snapshots);
            drainRisks(risksOut, riskCodec, risks);
            replay.finish();
            List<Alert> judged = alerts.stream().filter(a -> input.range().judges(a.getEventTime())).toList();
            return new BacktestResult(AlertLog.of(judged).standing(), judged, dead, count,
                    lastRecord == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastRecord), snapshots, risks,
                    input.coverage());
        } finally {
            deleteRecursively(stateDir);
        }
    }


    /** The next record of a pass, or null at its end; a file or run that cannot be read is an IOException. */
    private static ReplayRecord next(ReplayRecords.Cursor records) throws IOException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Drops what the topology wrote to the topics the replay does not read: TopologyTestDriver keeps every record
     * produced (the stores' changelogs, alert-state, the internal topics it feeds back) until it is read, which would
     * hold every state write of the history in memory.
     */
    private static void discard(TopologyTestDriver driver, Set<String> read,
                                Map<String, TestOutputTopic<byte[], byte[]>> unread) {
        for (String topic : driver.producedTopicNames()) {
            if (!read.contains(topic)) {
                unread.computeIfAbsent(topic, t -> driver.createOutputTopic(t, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())).readRecordsToList();
            }
        }
    }

    /** {@code settings} with the detectors the input cannot support switched off, besides those the config switched off. */
    static TopologySettings withInputsMissingOff(TopologySettings settings, InputCoverage coverage) {
        if (coverage.off().isEmpty()) {
            return settings;
        }
        Set<AlertType> off = EnumSet.noneOf(AlertType.class);
        off.addAll(settings.detection().switches().off());
        off.addAll(coverage.off().keySet());
        return settings.toBuilder().detection(settings.detection().withSwitches(DetectorSwitches.off(off))).build();
    }

    /** The input topics the topology reads, with their event types, in tie-break order. */
    private Map<String, EventType<?>> inputs(Topology topology) {
        Set<String> sourceTopics = LeakwatchTopology.sourceTopics(topology);
        Map<String, EventType<?>> inputs = new LinkedHashMap<>();
        JsonLinesInput.inputTopics(settings.topics()).forEach((topic, type) -> {
            if (sourceTopics.contains(topic)) {
                inputs.put(topic, type);
            }
        });
        return inputs;
    }

    private static void drain(TestOutputTopic<String, byte[]> alertsOut, TestOutputTopic<String, byte[]> deadOut,
                              EventCodec<Alert> codec, List<Alert> alerts, List<DeadLetter> dead) {
        for (TestRecord<String, byte[]> r : alertsOut.readRecordsToList()) {
            try {
                alerts.add(codec.decode(r.value()));
            } catch (EventDecodingException e) {
                throw new IllegalStateException("the topology wrote an undecodable alert: " + e.getMessage(), e);
            }
        }
        for (TestRecord<String, byte[]> r : deadOut.readRecordsToList()) {
            dead.add(new DeadLetter(
                    DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON),
                    DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.DETAIL),
                    DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC),
                    DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_OFFSET),
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
        }
    }


    private static void drainRisks(TestOutputTopic<String, byte[]> risksOut, EventCodec<AccountRisk> codec,
                                   List<AccountRisk> risks) {
        if (risksOut == null) {
            return;
        }
        for (TestRecord<String, byte[]> r : risksOut.readRecordsToList()) {
            try {
                risks.add(codec.decode(r.value()));
            } catch (EventDecodingException e) {
                throw new IllegalStateException("the topology wrote an undecodable account risk: " + e.getMessage(), e);
            }
        }
    }

    private static void drainSnapshots(TestOutputTopic<String, String> featuresOut, List<String> snapshots) {
        if (featuresOut != null) {
            snapshots.addAll(featuresOut.readValuesToList());
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            org.apache.kafka.common.utils.Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
