package io.leakwatch.cli;

import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.app.ScoringConfig;
import io.leakwatch.bench.ThroughputBenchmark;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch bench}: topology throughput against a pass-through baseline on an embedded broker. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchScoringCommand.class,
        description = {"Measure the topology's throughput against a pass-through topology on the same embedded broker and input.",
                "Reports the median of several runs of each and their ratio (timings on a shared machine are noisy).",
                "`bench scoring` measures the ONNX risk scorer instead."})
final class BenchCommand implements Callable<Integer> {
    /** The settings --with-scoring validates the models directory with (default thresholds). */
    private static final TopologySettings BENCH_SETTINGS =
            TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver());

    @Option(names = "--accounts", defaultValue = "1000", description = "Accounts in the generated input (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--months", defaultValue = "24", description = "Months in the generated input (default: ${DEFAULT-VALUE}).")
    int months;

    @Option(names = "--jvms", defaultValue = "3", description = "Sets of JVMs, one after the other: each variant runs in "
            + "a fresh JVM per set, so the medians are not one JVM's luck with the JIT (default: ${DEFAULT-VALUE}).")
    int jvms;

    @Option(names = "--runs", defaultValue = "1", description = "Timed runs of each variant in each JVM (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup-rounds", defaultValue = "2", description = "Untimed rounds of every variant in each JVM "
            + "before its timed ones, so the JVM has compiled its topology (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "processing.guarantee: exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--with-scoring", description = "Also run the topology with account features and ONNX risk scoring on, "
            + "using the models in --models-dir, and report what scoring costs.")
    boolean withScoring;

    @Option(names = "--models-dir", defaultValue = "models", description = "Models directory for --with-scoring (default: ${DEFAULT-VALUE}).")
    Path modelsDir;

    @Option(names = "--scoring-interval", defaultValue = "P1D", description = "Stream-time interval between scoring ticks for --with-scoring, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration scoringInterval;

    @Option(names = "--routine-delay", defaultValue = "P31D", description = "How long a routine change (usage, an invoice "
            + "line, a payment that did not fail) may wait to be scored, ISO-8601, never past the next period end; P0D "
            + "scores every change at the next tick (default: ${DEFAULT-VALUE}, i.e. at the period end).")
    Duration routineDelay;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (accounts < 1 || months < 1 || jvms < 1 || runs < 1) {
            throw new UserException("--accounts, --months, --jvms and --runs must be at least 1");
        }
        if (warmups < 0) {
            throw new UserException("--warmup-rounds must not be negative");
        }
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new UserException("--guarantee must be exactly_once_v2 or at_least_once");
        }
        if (scoringInterval.isZero() || scoringInterval.isNegative()) {
            throw new UserException("--scoring-interval must be positive, got " + scoringInterval);
        }
        if (routineDelay.isNegative()) {
            throw new UserException("--routine-delay must not be negative, got " + routineDelay);
        }
        var out = spec.commandLine().getOut();
        ThroughputBenchmark.Scoring scoring = null;
        if (withScoring) {
            // loaded here once to fail with one clear line on a bad directory; the scoring worker loads it again
            try (RiskScoringRuntime models = RiskScoringRuntime.open(new ScoringConfig(true, modelsDir, Duration.ZERO),
                    BENCH_SETTINGS, false)) {
                out.println(models.describe());
            }
            scoring = new ThroughputBenchmark.Scoring(modelsDir, scoringInterval, routineDelay);
        }
        ThroughputBenchmark.Result result = new ThroughputBenchmark(
                new ThroughputBenchmark.Options(accounts, months, 7, jvms, warmups, runs, guarantee, scoring), out).run();
        out.printf("median: pass-through %,.0f records/s, leakwatch %,.0f records/s, ratio %.2f;"
                        + " stream-thread CPU per record %.1f us vs %.1f us (%.1fx)%n",
                result.passThroughMedian(), result.leakwatchMedian(), result.ratio(),
                result.leakwatchCpuMedian(), result.passThroughCpuMedian(),
                result.leakwatchCpuMedian() / result.passThroughCpuMedian());
        out.printf("steady state (10%%-90%% of the input processed, without start-up and the end-of-input tail):"
                        + " pass-through %,.0f records/s, leakwatch %,.0f records/s, ratio %.2f%n",
                result.passThroughSteadyMedian(), result.leakwatchSteadyMedian(), result.steadyRatio());
        if (scoring != null) {
            out.printf("median with features + risk scoring: %,.0f records/s; per round %.2f of leakwatch without"
                            + " (median, cost %.0f%%); by stream-thread CPU per record %.2f (cost %.0f%%)%n",
                    result.scoringMedian(), result.scoringRatio(), 100 * (1 - result.scoringRatio()),
                    result.scoringCpuRatio(), 100 * (1 - result.scoringCpuRatio()));
            out.printf("steady state with features + risk scoring: per round %.2f of leakwatch without (median, cost"
                            + " %.0f%%); by stream-thread CPU per record %.2f (cost %.0f%%)%n",
                    result.steadyScoringRatio(), 100 * (1 - result.steadyScoringRatio()),
                    result.steadyScoringCpuRatio(), 100 * (1 - result.steadyScoringCpuRatio()));
            out.printf("time in the account processor itself (every rule, the features and the scorer; measured inside the"
                    + " scoring JVM): %.0f%% of its stream thread's CPU (median per round)%n",
                    100 * result.scoringShareMedian());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
