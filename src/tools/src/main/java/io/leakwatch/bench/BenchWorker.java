package io.leakwatch.bench;

import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.app.ScoringConfig;
import io.leakwatch.bench.ThroughputBenchmark.Measurement;
import io.leakwatch.bench.ThroughputBenchmark.ScoringTime;
import io.leakwatch.demo.ScratchDirectory;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.metrics.TimeSpent;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskScores;
import io.leakwatch.scoring.RiskThresholds;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.stream.AccountProcessor;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.TopologySettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One variant of the throughput benchmark in a JVM of its own, started and driven by {@link ThroughputBenchmark}.
 * Each variant runs in its own JVM, as a deployment does: the JIT compiles one topology's code, with one topology's
 * type profiles. In one shared JVM every switch between variants made compiled code invalid (about 9,500
 * deoptimisations and two minutes of C2 compiler CPU in a three-minute bench, on a two-core machine), so each timed
 * run measured the compiler as much as the topology.
 * <pre>
 * args:   bootstrap guarantee variant(pass|leakwatch|scoring) records [models-dir scoring-interval routine-delay]
 * stdin:  one application id per line: run the variant once under that id (a fresh group and fresh state)
 * stdout: "ready" once the topology is built; per run
 *         "result records/s cpu-us/record rows batches published jit-s update-us tick-us write-back-us scorer-us
 *         steady-records/s steady-cpu-us/record"
 *         (rows, batches and published: what the scorer was asked; the last four, per input record: time in the
 *         feature and scoring nodes, {@link #scoringNanos}; all 0 without a scorer; the last two over the middle of
 *         the run, {@link SteadyWindow}); "error message" on failure
 *         (and exit 1). Every protocol line starts with {@value #PREFIX}; other lines are the logs.
 * </pre>
 * The clock of a run starts when the stream thread has processed its first record, not when the client reaches
 * RUNNING (with the state updater a client is RUNNING while its tasks still open their stores, and a topology with
 * more stores paid its start-up inside the timed interval), and stops when the group has committed every input
 * offset.
 */
final class BenchWorker {
    static final String PREFIX = "leakwatch-bench-worker: ";

    /** What a worker runs. */
    enum Variant {
        PASS_THROUGH("pass"), LEAKWATCH("leakwatch"), SCORING("scoring");

        final String arg;

        Variant(String arg) {
            this.arg = arg;
        }

        static Variant of(String arg) {
            for (Variant v : values()) {
                if (v.arg.equals(arg)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown variant " + arg);
        }
    }

    private final String bootstrap;
    private final String guarantee;
    private final long records;
    private final Supplier<Topology> topology;
    private final Set<String> inputs;
    private final CountingScorer counting;

    private BenchWorker(String bootstrap, String guarantee, long records, Supplier<Topology> topology, Set<String> inputs,
                        CountingScorer counting) {
        this.bootstrap = bootstrap;
        this.guarantee = guarantee;
        this.records = records;
        this.topology = topology;
        this.inputs = inputs;
        this.counting = counting;
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            Variant variant = Variant.of(args[2]);
            TopologySettings settings = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                    new BundledSchemaResolver());
            Set<String> inputs = LeakwatchTopology.sourceTopics(LeakwatchTopology.build(settings));
            RiskScoringRuntime runtime = null;
            CountingScorer counting = null;
            Supplier<Topology> topology;
            switch (variant) {
                case PASS_THROUGH -> topology = () -> passThrough(inputs);
                case LEAKWATCH -> topology = () -> LeakwatchTopology.build(settings);
                default -> {
                    runtime = RiskScoringRuntime.open(new ScoringConfig(true, Path.of(args[4]), Duration.ZERO), settings, false);
                    counting = new CountingScorer(runtime.scorer());
                    RiskSettings risk = new RiskSettings(counting, Duration.parse(args[5]), Duration.parse(args[6]),
                            false, RiskThresholds.DEFAULTS, RiskPublishing.DEFAULTS);
                    topology = () -> LeakwatchTopology.build(settings.withRisk(risk));
                }
            }
            BenchWorker worker = new BenchWorker(args[0], args[1], Long.parseLong(args[3]), topology, inputs, counting);
            out.println(PREFIX + "ready");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String appId = in.readLine(); appId != null; appId = in.readLine()) {
                out.println(PREFIX + worker.run(appId.strip()));
                out.flush();
            }
            if (runtime != null) {
                runtime.close();
            }
            System.exit(0);
        } catch (Exception | Error e) {
            out.println(PREFIX + "error " + (e.getMessage() == null ? e.toString() : e.getMessage()).replace('\n', ' '));
            out.flush();
            System.exit(1);
        }
    }

    /** One timed run; the protocol's result line (without the prefix). */
    private String run(String appId) throws Exception {
        long rows = 0;
        long batches = 0;
        long published = 0;
        if (counting != null) {
            rows = counting.rows.sum();
            batches = counting.batches.sum();
            published = counting.published.sum();
        }
        Measurement m = measure(appId);
        if (counting != null) {
            rows = counting.rows.sum() - rows;
            batches = counting.batches.sum() - batches;
            published = counting.published.sum() - published;
        }
        ScoringTime t = m.scoring();
        return String.format(Locale.ROOT, "result %.3f %.4f %d %d %d %.3f %.4f %.4f %.4f %.4f %.3f %.4f", m.recordsPerSecond(),
                m.streamCpuMicrosPerRecord(), rows, batches, published, m.jitSeconds(), t.events(), t.judgements(),
                t.writeBack(), t.scorer(), m.steadyRecordsPerSecond(), m.steadyCpuMicrosPerRecord());
    }

    /** One run under {@code appId}, every figure over the same interval. */
    private Measurement measure(String appId) throws Exception {
        try (ScratchDirectory state = ScratchDirectory.create("leakwatch-bench-state")) {
            return measure(appId, state.path());
        }
    }

    private Measurement measure(String appId, Path stateDir) throws Exception {
        Properties props = io.leakwatch.topology.StreamsProperties.with(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                StreamsConfig.APPLICATION_ID_CONFIG, appId,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee,
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1,
                StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
        io.leakwatch.topology.DeadLetterHandlers.install(props, TopicCatalog.bundled().name(TopicCatalog.DEAD_LETTER));
        CountDownLatch running = new CountDownLatch(1);
        Properties adminProps = new Properties();
        adminProps.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProps); KafkaStreams streams = new KafkaStreams(topology.get(), props)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(appId + " did not reach RUNNING within 60 s");
            }
            long runningAt = System.nanoTime();
            while (processed(streams) == 0) {
                if (System.nanoTime() - runningAt > TimeUnit.MINUTES.toNanos(1)) {
                    throw new IllegalStateException(appId + " processed no record within a minute of RUNNING");
                }
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            double[] scoringStart = scoringNanos(streams);
            long[] streamThreads = streamThreadIds(appId);
            long streamCpuStart = cpuNanos(streamThreads);
            long jitStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            // sampled every 10 ms, the group's committed offsets (an admin request) asked every fifth sample; the
            // metrics and threads are found once: listing them per sample would load the machine
            List<Metric> processedMetrics = processedMetrics(streams);
            SteadyWindow steady = new SteadyWindow(records);
            for (int sample = 0; sample % 5 != 0 || committed(admin, appId) < records; sample++) {
                long now = System.nanoTime();
                if (now - start > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException(appId + " did not finish within 10 minutes");
                }
                steady.sample(now, sum(processedMetrics), cpuNanos(streamThreads));
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double streamCpu = (cpuNanos(streamThreads) - streamCpuStart) / 1e3 / records;
            double jit = (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitStart) / 1e3;
            double[] scoring = scoringNanos(streams);
            for (int i = 0; i < scoring.length; i++) {
                scoring[i] = (scoring[i] - scoringStart[i]) / 1e3 / records;
            }
            return new Measurement(records / seconds, streamCpu, jit,
                    new ScoringTime(scoring[0], scoring[1], scoring[2], scoring[3]),
                    steady.recordsPerSecond(), steady.cpuMicrosPerRecord());
        }
    }

    /** The write-back store of the account processor (every rule's state, features and risk included). */
    private static final List<String> SCORING_STORES = List.of(AccountProcessor.STATE);

    /**
     * Nanoseconds the account processor has taken so far ({@link TimeSpent}): {applying records, judgements and
     * replays, the write-back of the account states at commits, the scorer's part of the first two}.
     */
    private double[] scoringNanos(KafkaStreams streams) {
        var metrics = streams.metrics();
        return new double[] {
            TimeSpent.totalNanos(metrics, TimeSpent.ACCOUNT_EVENTS, Map.of()),
            TimeSpent.totalNanos(metrics, TimeSpent.ACCOUNT_JUDGEMENTS, Map.of()),
            SCORING_STORES.stream()
                    .mapToDouble(store -> TimeSpent.totalNanos(metrics, TimeSpent.WRITE_BACK, Map.of(TimeSpent.STORE_TAG, store)))
                    .sum(),
            counting == null ? 0 : counting.nanos.sum()
        };
    }

    /** Counts what the topology asks of the scorer: batches, rows, rows wanted in full (the published ones). */
    private static final class CountingScorer implements RiskScorer {
        private final RiskScorer scorer;
        final LongAdder batches = new LongAdder();
        final LongAdder rows = new LongAdder();
        final LongAdder published = new LongAdder();
        final LongAdder nanos = new LongAdder();

        CountingScorer(RiskScorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public List<RiskScores> score(List<FeatureSnapshot> snapshots, Full full) {
            batches.increment();
            rows.add(snapshots.size());
            long start = System.nanoTime();
            try {
                return scorer.score(snapshots, (row, scores) -> {
                    boolean wanted = full.wants(row, scores);
                    if (wanted) {
                        published.increment();
                    }
                    return wanted;
                });
            } finally {
                nanos.add(System.nanoTime() - start);
            }
        }
    }

    private static Topology passThrough(Set<String> inputs) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputs, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(ThroughputBenchmark.PASS_THROUGH_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    /** Records the client's stream threads have processed so far (thread metric {@code process-total}). */
    private static double processed(KafkaStreams streams) {
        return sum(processedMetrics(streams));
    }

    private static List<Metric> processedMetrics(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-thread-metrics") && e.getKey().name().equals("process-total"))
                .map(Map.Entry::getValue)
                .map(Metric.class::cast)
                .toList();
    }

    private static double sum(List<Metric> metrics) {
        double sum = 0;
        for (Metric metric : metrics) {
            sum += metric.metricValue() instanceof Number n ? n.doubleValue() : 0;
        }
        return sum;
    }

    private long committed(Admin admin, String groupId) throws Exception {
        return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .entrySet().stream()
                .filter(e -> inputs.contains(e.getKey().topic()))
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    /** The application's stream threads (their names start with the application id). */
    private static long[] streamThreadIds(String appId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(appId + "-") && t.getName().contains("StreamThread"))
                .mapToLong(Thread::getId)
                .toArray();
    }

    private static long cpuNanos(long[] threads) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads) {
            total += Math.max(0, bean.getThreadCpuTime(id));
        }
        return total;
    }
}
