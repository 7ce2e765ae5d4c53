package io.leakwatch.bench;

import io.leakwatch.backtest.JsonLinesProducer;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.EmbeddedKafka;
import io.leakwatch.demo.ScratchDirectory;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Throughput of the Leakwatch topology against a pass-through topology (read the same input topics, write
 * every record to one output topic) on the same embedded broker, the same input and the same settings (one
 * stream thread, the chosen processing guarantee). Every variant runs in a JVM of its own ({@link BenchWorker}),
 * so its JIT compiles one topology as a deployment's does; the broker and the input stay in this JVM. The bench
 * starts {@code jvms} sets of worker JVMs, one after the other; in each, every variant runs {@code runs} times with a
 * fresh application id, after {@code warmups} untimed rounds, so each JVM has compiled its topology's code before
 * anything is timed (a JVM still compiles hundreds of methods in its second pass over the input). Why several JVMs:
 * what the JIT makes of the shared code differs from one JVM to the next (profiled on the same input, one JVM ran
 * Kafka Streams' store-position update at 4% of its stream thread's time, another at 1%), and a JVM keeps its
 * choice for all its rounds, so rounds of one JVM share its luck; medians over several JVMs do not.
 * Reported: the median records/s of each and the ratio, measured in the same bench so machine noise hits both.
 * With a scorer, a third variant runs the topology with account features and risk scoring on, to measure what
 * scoring costs; its cost is the median of the per-round ratios (a round runs the two variants back to back, so a
 * slow stretch of the machine hits both), and odd rounds run it first so neither variant always follows the other.
 * Only one variant runs at a time; the others wait, idle, in their JVMs.
 */
public final class ThroughputBenchmark {
    static final String PASS_THROUGH_TOPIC = "bench-pass-through";

    /**
     * What to measure.
     *
     * @param jvms    sets of worker JVMs started one after the other (each variant gets a fresh JVM per set)
     * @param warmups untimed rounds of every variant in each JVM before its timed ones
     * @param runs    timed rounds of every variant in each JVM
     * @param scoring when set, a third variant runs the topology with account features and risk scoring on, to
     *                measure what they cost
     */
    public record Options(int accounts, int months, long seed, int jvms, int warmups, int runs, String guarantee,
                          Scoring scoring) {
    }

    /** The scoring variant: the models directory (already validated), the scoring interval and the routine delay. */
    public record Scoring(Path modelsDir, Duration interval, Duration routineDelay) {
    }

    /**
     * One timed run: wall-clock records/s, and the stream thread's CPU time per input record over the same interval.
     * CPU per record is the steadier measure on a shared machine: it does not count time the thread spent waiting
     * (task idling for an input partition, transaction commits) and another process's load does not inflate it.
     * Also the time the worker's JIT compilers spent compiling in that interval: they share the machine's cores with
     * the stream thread, so a round during which the JVM is still compiling its topology is not yet steady state.
     * The steady figures are the same two measures over the middle of the run only ({@link SteadyWindow}: from 10%
     * to 90% of the input processed), without the start-up and the end-of-input tail that every variant pays alike.
     */
    public record Measurement(double recordsPerSecond, double streamCpuMicrosPerRecord, double jitSeconds,
                              ScoringTime scoring, double steadyRecordsPerSecond, double steadyCpuMicrosPerRecord) {
        /** The part of the stream thread's CPU the account processor itself took. */
        public double scoringShare() {
            return streamCpuMicrosPerRecord > 0 ? scoring.total() / streamCpuMicrosPerRecord : 0;
        }
    }

    /**
     * Microseconds per input record the account processor took ({@link io.leakwatch.metrics.TimeSpent}): applying
     * records, the judgements stream time passed and the replays of late accounts, and the write-back of the account
     * states at commits; {@code scorer} is the part of the first two inside the risk scorer (0 without one).
     */
    public record ScoringTime(double events, double judgements, double writeBack, double scorer) {
        public double total() {
            return events + judgements + writeBack;
        }
    }

    /** What a scoring run asked of the scorer. */
    record ScorerLoad(long rows, long batches, long published) {
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

        /** {@link #ratio()} over the middle of each run ({@link SteadyWindow}). */
        public double steadyRatio() {
            return leakwatchSteadyMedian() / passThroughSteadyMedian();
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

        /** {@link #scoringRatio()} over the middle of each run ({@link SteadyWindow}). */
        public double steadyScoringRatio() {
            return perRound(withScoring, leakwatch, (sc, lw) -> sc.steadyRecordsPerSecond() / lw.steadyRecordsPerSecond());
        }

        /** {@link #scoringCpuRatio()} over the middle of each run. */
        public double steadyScoringCpuRatio() {
            return perRound(withScoring, leakwatch,
                    (sc, lw) -> lw.steadyCpuMicrosPerRecord() / sc.steadyCpuMicrosPerRecord());
        }

        public double passThroughSteadyMedian() {
            return median(passThrough, Measurement::steadyRecordsPerSecond);
        }

        public double leakwatchSteadyMedian() {
            return median(leakwatch, Measurement::steadyRecordsPerSecond);
        }

        /**
         * The part of the scoring variant's stream-thread CPU spent in the feature and scoring nodes themselves
         * (applying records, ticks, write-back; {@link io.leakwatch.metrics.TimeSpent}), median per round: measured
         * inside one JVM, so it does not carry the spread between JVMs that the throughput ratio does, but it leaves
         * out what scoring costs elsewhere (more records to produce, caches and heap shared with the detectors).
         */
        public double scoringShareMedian() {
            return withScoring.isEmpty() ? Double.NaN : median(withScoring, Measurement::scoringShare);
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
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = Admin.create(kafka.clientProperties());
             ScratchDirectory worldDir = ScratchDirectory.create("leakwatch-bench")) {
            TopicCatalog catalog = TopicCatalog.bundled();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(catalog);
            admin.createTopics(List.of(new NewTopic(PASS_THROUGH_TOPIC, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            World world = WorldGenerator.generate(GeneratorOptions.defaults(options.accounts(), options.months(), options.seed()));
            Path dir = worldDir.path();
            WorldFiles.write(world, dir);
            Map<String, Long> produced = new JsonLinesProducer(kafka.clientProperties(), catalog, WireFormat.JSON)
                    .produce(dir, Progress.silent());
            long records = produced.values().stream().mapToLong(Long::longValue).sum();
            out.printf("input: %,d records (%d accounts x %d months), guarantee %s, 1 stream thread, one JVM per variant,"
                            + " %d set(s) of JVMs x (%d warm-up + %d timed) rounds%n",
                    records, options.accounts(), options.months(), options.guarantee(), options.jvms(), options.warmups(),
                    options.runs());
            out.flush();
            String bootstrap = kafka.clientProperties().getProperty("bootstrap.servers");
            Result result = new Result(records, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int set = 1; set <= options.jvms(); set++) {
                try (Worker pass = Worker.start(bootstrap, options, BenchWorker.Variant.PASS_THROUGH, records);
                     Worker leakwatch = Worker.start(bootstrap, options, BenchWorker.Variant.LEAKWATCH, records);
                     Worker scoring = options.scoring() == null ? null
                             : Worker.start(bootstrap, options, BenchWorker.Variant.SCORING, records)) {
                    rounds(set, pass, leakwatch, scoring, records, result);
                }
            }
            return result;
        }
    }

    /** The warm-up and timed rounds of one set of worker JVMs; the measurements are added to {@code result}. */
    private void rounds(int set, Worker passWorker, Worker leakwatchWorker, Worker scoringWorker, long records,
                        Result result) throws IOException {
        List<Measurement> pass = result.passThrough();
        List<Measurement> full = result.leakwatch();
        List<Measurement> scored = result.withScoring();
        String jvms = options.jvms() > 1 ? String.format("JVM set %d of %d: ", set, options.jvms()) : "";
        for (int warmup = 1; warmup <= options.warmups(); warmup++) {
            out.printf("%swarm-up round %d of %d (not timed)...%n", jvms, warmup, options.warmups());
            out.flush();
            String id = set + "-" + warmup;
            passWorker.run("bench-pass-warmup-" + id);
            leakwatchWorker.run("bench-leakwatch-warmup-" + id);
            if (scoringWorker != null) {
                scoringWorker.run("bench-scoring-warmup-" + id);
            }
        }
        for (int i = 1; i <= options.runs(); i++) {
            int run = pass.size() + 1;
            Measurement p = passWorker.run("bench-pass-" + run);
            Measurement sc = null;
            boolean scoringFirst = scoringWorker != null && run % 2 == 1;
            if (scoringFirst) {
                sc = measureScoring(scoringWorker, run, records);
            }
            Measurement l = leakwatchWorker.run("bench-leakwatch-" + run);
            if (scoringWorker != null && !scoringFirst) {
                sc = measureScoring(scoringWorker, run, records);
            }
            pass.add(p);
            full.add(l);
            out.printf("run %d: pass-through %s; leakwatch %s (%.2f)", run, describe(p), describe(l),
                    l.recordsPerSecond() / p.recordsPerSecond());
            if (sc != null) {
                scored.add(sc);
                out.printf("; with features + risk scoring %s (%.2f of leakwatch)", describe(sc),
                        sc.recordsPerSecond() / l.recordsPerSecond());
            }
            out.println();
            out.flush();
        }
    }

    private static String describe(Measurement m) {
        return String.format("%,.0f records/s, %.1f us CPU/record on the stream thread, %.1f s JIT compiling"
                        + " [steady: %,.0f records/s, %.1f us CPU/record]",
                m.recordsPerSecond(), m.streamCpuMicrosPerRecord(), m.jitSeconds(), m.steadyRecordsPerSecond(),
                m.steadyCpuMicrosPerRecord());
    }

    private Measurement measureScoring(Worker worker, int run, long records) throws IOException {
        Measurement m = worker.run("bench-scoring-" + run);
        ScorerLoad load = worker.lastLoad;
        out.printf("  scoring round %d: %,d rows scored in %,d batches (%.3f rows per input record, %.1f rows per batch),"
                        + " %,d published; account processor %.1f us/record (records %.1f, judgements and replays %.1f,"
                        + " the scorer within both %.1f, write-back %.1f), %.0f%% of the stream thread's CPU%n",
                run, load.rows(), load.batches(), load.rows() / (double) records,
                load.rows() / (double) Math.max(1, load.batches()), load.published(), m.scoring().total(),
                m.scoring().events(), m.scoring().judgements(), m.scoring().scorer(), m.scoring().writeBack(),
                100 * m.scoringShare());
        return m;
    }

    /**
     * A {@link BenchWorker} JVM: the same java and class path as this one, a fixed heap ({@link #HEAP}), and the
     * options in {@value #WORKER_OPTIONS_ENV} (for instance a profiler agent for the workers alone).
     */
    static final class Worker implements AutoCloseable {
        static final String WORKER_OPTIONS_ENV = "LEAKWATCH_BENCH_WORKER_OPTS";
        /**
         * Every worker's heap, unless {@value #WORKER_OPTIONS_ENV} sets one: fixed and touched at start, as a
         * long-running deployment is sized (Kafka's own scripts start brokers with {@code -Xms} = {@code -Xmx}).
         * A heap that grows from a small {@code -Xms} page-faults its new regions inside the timed rounds, and more
         * so for the variant that keeps more state: profiled, the scoring worker's stream thread spent 9% of its
         * time in page faults against 1% for the other, which put heap growth into the comparison.
         */
        static final List<String> HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
        private static final int KEPT_LOG_LINES = 20;
        private final BenchWorker.Variant variant;
        private final Process process;
        private final BufferedReader from;
        private final Writer to;
        private final Deque<String> log = new ArrayDeque<>();
        ScorerLoad lastLoad;

        private Worker(BenchWorker.Variant variant, Process process) {
            this.variant = variant;
            this.process = process;
            this.from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.to = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Worker start(String bootstrap, Options options, BenchWorker.Variant variant, long records) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            String extra = System.getenv(WORKER_OPTIONS_ENV);
            List<String> extraOptions = extra == null || extra.isBlank()
                    ? List.of() : List.of(extra.trim().split("\\s+"));
            if (extraOptions.stream().noneMatch(o -> o.startsWith("-Xm"))) {
                command.addAll(HEAP);
            }
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-Xss")) {
                    command.add(arg);
                }
            }
            command.addAll(extraOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchWorker.class.getName(),
                    bootstrap, options.guarantee(), variant.arg, Long.toString(records)));
            if (variant == BenchWorker.Variant.SCORING) {
                Scoring s = options.scoring();
                command.addAll(List.of(s.modelsDir().toAbsolutePath().toString(), s.interval().toString(),
                        s.routineDelay().toString()));
            }
            Worker worker = new Worker(variant, new ProcessBuilder(command).redirectErrorStream(true).start());
            worker.expect("ready");
            return worker;
        }

        /** Runs the variant once under {@code appId} and waits for its measurement. */
        Measurement run(String appId) throws IOException {
            to.write(appId + "\n");
            to.flush();
            String[] result = expect("result").split(" ");
            lastLoad = new ScorerLoad(Long.parseLong(result[3]), Long.parseLong(result[4]), Long.parseLong(result[5]));
            return new Measurement(Double.parseDouble(result[1]), Double.parseDouble(result[2]),
                    Double.parseDouble(result[6]), new ScoringTime(Double.parseDouble(result[7]),
                    Double.parseDouble(result[8]), Double.parseDouble(result[9]), Double.parseDouble(result[10])),
                    Double.parseDouble(result[11]), Double.parseDouble(result[12]));
        }

        /** The next protocol line, which must start with {@code what}; the logs before it are kept for errors. */
        private String expect(String what) throws IOException {
            for (String line = from.readLine(); line != null; line = from.readLine()) {
                if (!line.startsWith(BenchWorker.PREFIX)) {
                    log.addLast(line);
                    if (log.size() > KEPT_LOG_LINES) {
                        log.removeFirst();
                    }
                    continue;
                }
                String message = line.substring(BenchWorker.PREFIX.length());
                if (message.startsWith(what)) {
                    return message;
                }
                throw new IllegalStateException("bench worker '" + variant.arg + "' failed: " + message);
            }
            throw new IllegalStateException("bench worker '" + variant.arg + "' exited before '" + what + "'; its last lines:\n"
                    + String.join("\n", log));
        }

        @Override
        public void close() throws IOException {
            to.close();     // end of input: the worker exits
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
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
