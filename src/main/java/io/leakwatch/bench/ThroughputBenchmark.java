package io.leakwatch.bench;

import io.leakwatch.app.JsonLinesProducer;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.EmbeddedKafka;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskScores;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.TopologySettings;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Throughput of the Leakwatch topology against a pass-through topology (read the same input topics, write
 * every record to one output topic) on the same embedded broker, the same input and the same settings (one
 * stream thread, the chosen processing guarantee). Each variant runs {@code runs} times with a fresh
 * application id; the clock starts when the stream thread has processed its first record, not when the client
 * reaches RUNNING (with the state updater a client is RUNNING while its tasks still open their stores, and a
 * topology with more stores paid its start-up inside the timed interval), and stops when the group has committed
 * every input offset. One untimed round of every variant runs first, so the JIT has compiled the topology's code
 * before anything is timed (the first timed run used to be the slowest by a third). Reported: the median records/s
 * of each and the ratio, measured in the same process so machine noise hits both. With a scorer, a third variant
 * runs the topology with account features and risk scoring on, to measure what scoring costs; its cost is the
 * median of the per-round ratios (a round runs the two variants back to back, so a slow stretch of the machine hits
 * both), and odd rounds run it first so neither variant always follows the other.
 */
public final class ThroughputBenchmark {
    /**
     * What to measure.
     *
     * @param risk when set, a third variant runs the topology with these feature/scoring settings (a scorer, its
     *             interval) to measure what features and scoring cost
     */
    public record Options(int accounts, int months, long seed, int runs, String guarantee, RiskSettings risk) {
        public Options(int accounts, int months, long seed, int runs, String guarantee) {
            this(accounts, months, seed, runs, guarantee, null);
        }
    }

    /**
     * One timed run: wall-clock records/s, and the stream thread's CPU time per input record over the same interval.
     * CPU per record is the steadier measure on a shared machine: it does not count time the thread spent waiting
     * (task idling for an input partition, transaction commits) and another process's load does not inflate it.
     */
    public record Measurement(double recordsPerSecond, double streamCpuMicrosPerRecord) {
    }

    /** The runs of each variant, in round order; the scoring list is empty when no scorer was given. */
    public record Result(long records, List<Measurement> passThrough, List<Measurement> leakwatch,
                         List<Measurement> withScoring) {
        public double passThroughMedian() {
            return median(passThrough, Measurement::recordsPerSecond);
        }

        public double leakwatchMedian() {
            return median(leakwatch, Measurement::recordsPerSecond);
        }

        public double passThroughCpuMedian() {
            return median(passThrough, Measurement::streamCpuMicrosPerRecord);
        }

        public double leakwatchCpuMedian() {
            return median(leakwatch, Measurement::streamCpuMicrosPerRecord);
        }

        public double ratio() {
            return leakwatchMedian() / passThroughMedian();
        }

        public double scoringMedian() {
            return withScoring.isEmpty() ? Double.NaN : median(withScoring, Measurement::recordsPerSecond);
        }

        /** Throughput with scoring on over throughput with it off (1.0 = scoring costs nothing), median per round. */
        public double scoringRatio() {
            return perRound(withScoring, leakwatch, (sc, lw) -> sc.recordsPerSecond() / lw.recordsPerSecond());
        }

        /**
         * The same ratio from the stream thread's CPU time per record (leakwatch's over scoring's): what the
         * throughput ratio would be if the thread never waited.
         */
        public double scoringCpuRatio() {
            return perRound(withScoring, leakwatch,
                    (sc, lw) -> lw.streamCpuMicrosPerRecord() / sc.streamCpuMicrosPerRecord());
        }

        private static double perRound(List<Measurement> a, List<Measurement> b,
                                       ToDoubleBiFunction<Measurement, Measurement> ratio) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                ratios.add(ratio.applyAsDouble(a.get(i), b.get(i)));
            }
            return median(ratios);
        }
    }

    private final Options options;
    private final PrintWriter out;

    public ThroughputBenchmark(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    public Result run() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            TopicCatalog catalog = TopicCatalog.bundled().forReplay();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(catalog);
            admin.createTopics(List.of(new NewTopic("bench-pass-through", 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            World world = WorldGenerator.generate(GeneratorOptions.defaults(options.accounts(), options.months(), options.seed()));
            Path dir = Files.createTempDirectory("leakwatch-bench");
            WorldFiles.write(world, dir);
            Map<String, Long> produced = new JsonLinesProducer(kafka.clientProperties(), catalog, WireFormat.JSON)
                    .produce(dir, Progress.silent());
            long records = produced.values().stream().mapToLong(Long::longValue).sum();
            out.printf("input: %,d records (%d accounts x %d months), guarantee %s, 1 stream thread%n",
                    records, options.accounts(), options.months(), options.guarantee());

            TopologySettings settings = TopologySettings.defaults(catalog, WireFormat.JSON, new BundledSchemaResolver());
            Topology leakwatch = LeakwatchTopology.build(settings);
            Set<String> inputs = LeakwatchTopology.sourceTopics(leakwatch);
            List<Measurement> pass = new ArrayList<>();
            List<Measurement> full = new ArrayList<>();
            List<Measurement> scored = new ArrayList<>();
            out.println("warm-up round (not timed)...");
            out.flush();
            measure(kafka, admin, passThrough(inputs), inputs, "bench-pass-warmup", records);
            measure(kafka, admin, LeakwatchTopology.build(settings), inputs, "bench-leakwatch-warmup", records);
            if (options.risk() != null) {
                measure(kafka, admin, LeakwatchTopology.build(settings.withRisk(options.risk())), inputs,
                        "bench-scoring-warmup", records);
            }
            for (int run = 1; run <= options.runs(); run++) {
                Measurement p = measure(kafka, admin, passThrough(inputs), inputs, "bench-pass-" + run, records);
                Measurement sc = null;
                boolean scoringFirst = options.risk() != null && run % 2 == 1;
                if (scoringFirst) {
                    sc = measureScoring(kafka, admin, settings, inputs, run, records);
                }
                Measurement l = measure(kafka, admin, LeakwatchTopology.build(settings), inputs, "bench-leakwatch-" + run, records);
                if (options.risk() != null && !scoringFirst) {
                    sc = measureScoring(kafka, admin, settings, inputs, run, records);
                }
                pass.add(p);
                full.add(l);
                out.printf("run %d: pass-through %s; leakwatch %s (%.2f)", run, describe(p), describe(l),
                        l.recordsPerSecond() / p.recordsPerSecond());
                if (options.risk() != null) {
                    scored.add(sc);
                    out.printf("; with features + risk scoring %s (%.2f of leakwatch)", describe(sc),
                            sc.recordsPerSecond() / l.recordsPerSecond());
                }
                out.println();
                out.flush();
            }
            return new Result(records, pass, full, scored);
        }
    }

    private static String describe(Measurement m) {
        return String.format("%,.0f records/s, %.1f us CPU/record on the stream thread", m.recordsPerSecond(),
                m.streamCpuMicrosPerRecord());
    }

    private Measurement measureScoring(EmbeddedKafka kafka, Admin admin, TopologySettings settings, Set<String> inputs, int run,
                                  long records) throws Exception {
        CountingScorer counting = new CountingScorer(options.risk().scorer());
        Measurement m = measure(kafka, admin, LeakwatchTopology.build(settings.withRisk(options.risk().withScorer(counting))),
                inputs, "bench-scoring-" + run, records);
        out.printf("  scoring round %d: %,d rows scored in %,d batches (%.3f rows per input record, %.1f rows per batch),"
                        + " %,d rows explained%n", run, counting.rows.sum(), counting.batches.sum(),
                counting.rows.sum() / (double) records, counting.rows.sum() / (double) Math.max(1, counting.batches.sum()),
                counting.explained.sum());
        return m;
    }

    /** Counts what the topology asks of the scorer: batches, rows, rows explained. */
    private static final class CountingScorer implements RiskScorer {
        private final RiskScorer scorer;
        final LongAdder batches = new LongAdder();
        final LongAdder rows = new LongAdder();
        final LongAdder explained = new LongAdder();

        CountingScorer(RiskScorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public List<RiskScores> score(List<FeatureSnapshot> snapshots, Explain explain) {
            batches.increment();
            rows.add(snapshots.size());
            return scorer.score(snapshots, (row, scores) -> {
                boolean wanted = explain.wants(row, scores);
                if (wanted) {
                    explained.increment();
                }
                return wanted;
            });
        }
    }

    private static Topology passThrough(Set<String> inputs) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputs, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to("bench-pass-through", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    private Measurement measure(EmbeddedKafka kafka, Admin admin, Topology topology, Set<String> inputs, String appId,
                           long records) throws Exception {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.guarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("leakwatch-bench-state").toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, io.leakwatch.app.LeakwatchConfig.DEFAULT_MAX_TASK_IDLE_MS);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, io.leakwatch.app.LeakwatchConfig.DEFAULT_COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        CountDownLatch running = new CountDownLatch(1);
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
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
            long streamCpuStart = streamThreadCpuNanos(appId);
            while (committed(admin, appId, inputs) < records) {
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException(appId + " did not finish within 10 minutes");
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double streamCpu = (streamThreadCpuNanos(appId) - streamCpuStart) / 1e3 / records;
            return new Measurement(records / seconds, streamCpu);
        }
    }

    /** Records the client's stream threads have processed so far (thread metric {@code process-total}). */
    private static double processed(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-thread-metrics") && e.getKey().name().equals("process-total"))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0)
                .sum();
    }

    private static long committed(Admin admin, String groupId, Set<String> inputs) throws Exception {
        return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .entrySet().stream()
                .filter(e -> inputs.contains(e.getKey().topic()))
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    /** CPU time of the application's stream threads (their names start with the application id). */
    private static long streamThreadCpuNanos(String appId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(appId + "-") && thread.getName().contains("StreamThread")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    static double median(List<Measurement> values, ToDoubleFunction<Measurement> of) {
        return median(values.stream().map(of::applyAsDouble).toList());
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
