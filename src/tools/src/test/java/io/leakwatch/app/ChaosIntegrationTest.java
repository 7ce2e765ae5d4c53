package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.BacktestResult;
import io.leakwatch.backtest.JsonLinesInput;
import io.leakwatch.backtest.JsonLinesProducer;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.cli.LeakwatchCommand;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.demo.ProcessingWatcher;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.ingest.DeadLetterHeaders;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor halted mid-stream, again and again, on a real broker that is itself restarted once: {@code leakwatch
 * run} as a process of its own, killed with SIGKILL ({@link Process#destroyForcibly()}: no shutdown hook, no commit,
 * an open transaction left behind) three times while input was still waiting, restarted each time, once on a wiped
 * state directory (everything restored from the changelogs), and the broker restarted under it. The read_committed
 * alerts that stand at the end are the backtest's, by alert id and content; no alert revision and no dead letter was
 * written twice.
 */
@BrokerBacked(restarts = true)
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChaosIntegrationTest {
    private static final String APP_ID = "leakwatch-chaos";
    /** Share of the input committed as processed when each child is halted: the first, second and third kill. */
    private static final double[] KILL_AT = {0.20, 0.50, 0.75};
    /** Share of the input committed when the broker is restarted under the second child. */
    private static final double BROKER_RESTART_AT = 0.35;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @Test
    void shouldEndWithTheBacktestsAlertsExactlyOnceWhenTheProcessorIsHaltedRepeatedlyAndTheBrokerRestarts()
            throws Exception {
        long started = System.nanoTime();
        // Given a generated year of 80 accounts, with more leakage than by default so that there is much to find,
        // and what its event-time backtest finds
        Path world = dir.resolve("world");
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(80, 12, 31)
                .withRateErrorRate(0.01).withArithmeticErrorRate(0.0075)
                .withLeakageRates(0.005, 0.01, 0.005, 0.01, 0.0075, 0.005, 0.0075)
                .withBadRecordCount(40)), world);
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            Map<String, String> values = settings(kafka, dir.resolve("state-a"));
            LeakwatchConfig config = new LeakwatchConfig(values);
            TopologySettings settings = config.topologySettings();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());
            BacktestResult backtest = new Backtest(settings).run(world, Progress.silent());
            // and all of its events on the input topics
            long total = new JsonLinesProducer(config.kafkaProperties(), config.catalog(), WireFormat.JSON)
                    .produce(world, TopicCatalog.bundled(), Progress.silent())
                    .values().stream().mapToLong(Long::longValue).sum();
            Set<String> inputs = JsonLinesInput.inputTopics(config.catalog()).keySet();
            InputProgress progress = new InputProgress(admin, inputs, total);

            // When the processor is halted three times while input is still waiting, the broker restarted under it once
            List<Kill> kills = new ArrayList<>();
            try {
                long before = progress.committed();
                Process first = startRun("run-1", values);
                progress.await(KILL_AT[0], first, logOf("run-1"));
                kills.add(new Kill(before, halt(first, progress, "run-1")));

                // same state directory: the local stores are not trusted after a crash and restore from the changelogs
                before = progress.committed();
                Process second = startRun("run-2", values);
                progress.await(BROKER_RESTART_AT, second, logOf("run-2"));
                kafka.restart();
                progress.await(KILL_AT[1], second, logOf("run-2"));
                kills.add(new Kill(before, halt(second, progress, "run-2")));

                // a wiped state directory: another process id, so another transactional id; the halted one's open
                // transaction is aborted by the broker's timeout instead of being fenced
                before = progress.committed();
                Map<String, String> wiped = settings(kafka, dir.resolve("state-b"));
                Process third = startRun("run-3", wiped);
                progress.await(KILL_AT[2], third, logOf("run-3"));
                kills.add(new Kill(before, halt(third, progress, "run-3")));

                // and finally runs to the end, in this JVM, on the wiped run's state directory
                LeakwatchConfig last = new LeakwatchConfig(wiped);
                try (StreamsRunner runner = new StreamsRunner(last.kafkaProperties(), last.topologySettings())) {
                    runner.start();
                    ProcessingWatcher watcher = new ProcessingWatcher(admin, APP_ID,
                            LeakwatchTopology.sourceTopics(LeakwatchTopology.build(settings)));
                    assertThat(watcher.awaitSettled(runner.streams(), Duration.ofMillis(2500), PHASE_TIMEOUT))
                            .as("the last run settled; lagging: %s", watcher.lagging()).isTrue();
                }
            } finally {
                children.forEach(Process::destroyForcibly);
            }

            // Then every run committed progress of its own before it was killed, and was killed mid-stream
            assertThat(kills).as("input records committed as processed when each run started and was killed, of %d", total)
                    .hasSize(KILL_AT.length)
                    .allSatisfy(k -> assertThat(k.committedAtKill()).isGreaterThan(k.committedAtStart()).isLessThan(total));
            // and the alerts standing on the read_committed log are the backtest's, by id and content (revision,
            // status_reason and detected_at aside: they say how and when the live processor got there, which is
            // arrival order and restarts, and StandingAlerts leaves them out of the comparison)
            List<ConsumerRecord<byte[], byte[]>> alertRecords = CommittedRecords.readAll(kafka.clientProperties(), config.catalog().name(TopicCatalog.ALERTS));
            EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, settings.topics().name(TopicCatalog.ALERTS), settings.schemas());
            List<Alert> alerts = alertRecords.stream().map(r -> decode(codec, r)).toList();
            AlertLog log = AlertLog.of(alerts);
            Map<String, Alert> expected = StandingAlerts.byId(backtest.alerts());
            assertThat(expected).as("alerts the backtest finds").hasSizeGreaterThan(100);
            assertThat(StandingAlerts.difference(expected, StandingAlerts.byId(log.standing()))).isEmpty();
            // and nothing was written twice: no alert revision, no dead letter
            assertThat(repeated(alerts, a -> a.getAlertId() + " revision " + a.getRevision()))
                    .as("alert revisions on the log more than once").isEmpty();
            List<ConsumerRecord<byte[], byte[]>> deadLetters =
                    CommittedRecords.readAll(kafka.clientProperties(), config.catalog().name(TopicCatalog.DEAD_LETTER));
            assertThat(repeated(deadLetters, ChaosIntegrationTest::deadLetterSource))
                    .as("source records dead-lettered more than once").isEmpty();
            // and what was dead-lettered is what the backtest dead-letters, each once
            assertThat(deadLetters.stream().map(ChaosIntegrationTest::deadLetterContent).sorted().toList())
                    .isEqualTo(backtest.deadLetters().stream().map(d -> d.reason() + " " + d.sourceTopic() + " " + d.value())
                            .sorted().toList());

            System.out.printf("chaos: %d kills (at %s of %,d input records committed), 1 broker restart,"
                            + " %d standing alerts (%d alert records, %d withdrawn), %d dead letters, %d s%n",
                    kills.size(), kills.stream().map(k -> String.format("%,d", k.committedAtKill()))
                            .collect(Collectors.joining(", ")), total, log.standing().size(), alerts.size(),
                    log.withdrawn().size(), deadLetters.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        }
    }

    /**
     * The config of every run: exactly-once, commits five times a second so that a kill has something to abort and
     * something committed before it, and a session timeout at the broker's minimum (6 s, not 45 s) so that a halted
     * instance, which never says goodbye, is dropped from the group soon after its successor asks for its partitions.
     */
    private static Map<String, String> settings(TestBroker kafka, Path stateDir) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("bootstrap.servers", kafka.bootstrapServers());
        values.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        values.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        values.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        values.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        values.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        values.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
        values.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        values.put(LeakwatchKeys.SCORING_ENABLED, "false");
        // several instances on one host: each takes a free port for its metrics and health
        values.put(LeakwatchKeys.HTTP_PORT, "0");
        return values;
    }

    private Process startRun(String name, Map<String, String> values) throws IOException {
        StringBuilder file = new StringBuilder();
        values.forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
        Path properties = Files.writeString(dir.resolve(name + ".properties"), file, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process run = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LeakwatchCommand.class.getName(), "run", "--config", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        children.add(run);
        return run;
    }

    /** Input records committed as processed when a run started and once it was killed. */
    private record Kill(long committedAtStart, long committedAtKill) {
    }

    /** SIGKILL, as the kernel's OOM killer or a lost node does it; returns the input committed once it is gone. */
    private long halt(Process run, InputProgress progress, String name) throws Exception {
        run.destroyForcibly();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("%s gone after SIGKILL", name).isTrue();
        return progress.committed();
    }

    private Supplier<String> logOf(String name) {
        return () -> {
            try {
                Path log = dir.resolve(name + ".log");
                if (!Files.exists(log)) {
                    return "(no output from " + name + ")";
                }
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return name + "'s output, last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
            } catch (IOException e) {
                return e.toString();
            }
        };
    }

    /** The processor's committed position on the input topics, out of everything produced to them. */
    private record InputProgress(Admin admin, Set<String> inputs, long total) {
        long committed() throws Exception {
            // a group that never committed lists no offsets: 0
            return admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> inputs.contains(e.getKey().topic()))
                    .mapToLong(e -> e.getValue().offset()).sum();
        }

        /** Waits until {@code share} of the input is committed; fails when the run stops or the deadline passes. */
        void await(double share, Process run, Supplier<String> output) throws Exception {
            long target = (long) (share * total);
            long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
            long committed = 0;
            Exception last = null;
            while (System.nanoTime() < deadline) {
                assertThat(run.isAlive()).as("the run is still running while %,d of %,d input records are committed;"
                        + " %s", committed, target, output.get()).isTrue();
                try {
                    committed = committed();
                    if (committed >= target) {
                        return;
                    }
                } catch (Exception e) {
                    last = e; // the broker is restarting: ask again
                }
                Thread.sleep(100);
            }
            throw new AssertionError(String.format("%,d of %,d input records committed after %d s, waiting for %,d%s; %s",
                    committed, total, PHASE_TIMEOUT.toSeconds(), target, last == null ? "" : " (last error: " + last + ")",
                    output.get()));
        }
    }

    private static Alert decode(EventCodec<Alert> codec, ConsumerRecord<byte[], byte[]> r) {
        try {
            return codec.decode(r.value());
        } catch (Exception e) {
            throw new AssertionError("an undecodable alert at " + r.topic() + "-" + r.partition() + "@" + r.offset(), e);
        }
    }

    private static String deadLetterSource(ConsumerRecord<byte[], byte[]> r) {
        return DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC) + "-"
                + DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_PARTITION) + "@"
                + DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_OFFSET) + " "
                + DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON);
    }

    private static String deadLetterContent(ConsumerRecord<byte[], byte[]> r) {
        return DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON) + " "
                + DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC) + " "
                + (r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
    }

    /** The keys that occur more than once, with their counts. */
    private static <T> Map<String, Long> repeated(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }
}
