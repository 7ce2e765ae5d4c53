package io.leakwatch.bench;

import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.scoring.ModelRegistry;
import io.leakwatch.scoring.OnnxRiskScorer;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskThresholds;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Rows per second of the ONNX scorer (three models, plus the factor run for Medium/High accounts) at several batch
 * sizes, on the models of a models directory. Snapshots are synthetic and seeded, so every run scores the same rows.
 * Per batch size: one warm-up pass, then {@code runs} timed passes over {@code rows} rows; the median is reported.
 */
public final class ScoringBenchmark {
    /** What to measure. */
    public record Options(Path modelsDir, List<Integer> batchSizes, int rows, int runs, long seed) {
    }

    /**
     * One line of the table.
     *
     * @param medianRowsPerSecond              every row in full: the three models and, for Medium/High rows, the
     *                                         factor run, as a published score is
     * @param medianProbabilitiesOnlyPerSecond no row in full: the two probability models only, as an unpublished
     *                                         score is
     */
    public record Row(int batchSize, double medianRowsPerSecond, List<Double> runs, double elevatedShare,
                      double medianProbabilitiesOnlyPerSecond) {
    }

    private final Options options;
    private final PrintWriter out;

    public ScoringBenchmark(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    public List<Row> run() {
        try (ModelRegistry registry = ModelRegistry.open(options.modelsDir())) {
            OnnxRiskScorer scorer = new OnnxRiskScorer(registry, RiskThresholds.DEFAULTS);
            out.printf("models: %s%n", String.join(", ", registry.servedVersions().values()));
            List<FeatureSnapshot> snapshots = snapshots(options.rows(), options.seed());
            double elevated = elevatedShare(scorer, snapshots);
            List<Row> table = new ArrayList<>();
            for (int batchSize : options.batchSizes()) {
                pass(scorer, snapshots, batchSize, RiskScorer.Full.ALL); // warm-up: first runs allocate and JIT
                List<Double> rates = new ArrayList<>();
                List<Double> probabilitiesOnly = new ArrayList<>();
                for (int run = 1; run <= options.runs(); run++) {
                    double rate = rate(scorer, snapshots, batchSize, RiskScorer.Full.ALL);
                    double bare = rate(scorer, snapshots, batchSize, (row, scores) -> false);
                    rates.add(rate);
                    probabilitiesOnly.add(bare);
                    out.printf("batch %5d, run %d/%d: %,.0f rows/s in full, %,.0f rows/s probabilities only%n", batchSize, run,
                            options.runs(), rate, bare);
                    out.flush();
                }
                table.add(new Row(batchSize, ThroughputBenchmark.median(rates), rates, elevated,
                        ThroughputBenchmark.median(probabilitiesOnly)));
            }
            return table;
        }
    }

    public void printTable(List<Row> table) {
        out.printf("%n%-10s %20s %16s %26s%n", "batch size", "rows/s in full", "ms per batch", "rows/s probabilities only");
        for (Row row : table) {
            out.printf("%-10d %20s %16.3f %26s%n", row.batchSize(), String.format("%,.0f", row.medianRowsPerSecond()),
                    1000.0 * row.batchSize() / row.medianRowsPerSecond(),
                    String.format("%,.0f", row.medianProbabilitiesOnlyPerSecond()));
        }
        if (!table.isEmpty()) {
            out.printf("%.0f%% of the rows are Medium/High and get the extra factor run in full (only published"
                    + " scores are in full)%n", 100 * table.get(0).elevatedShare());
        }
        out.flush();
    }

    private static double rate(RiskScorer scorer, List<FeatureSnapshot> snapshots, int batchSize, RiskScorer.Full full) {
        long start = System.nanoTime();
        pass(scorer, snapshots, batchSize, full);
        return snapshots.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static void pass(RiskScorer scorer, List<FeatureSnapshot> snapshots, int batchSize, RiskScorer.Full full) {
        for (int from = 0; from < snapshots.size(); from += batchSize) {
            scorer.score(snapshots.subList(from, Math.min(snapshots.size(), from + batchSize)), full);
        }
    }

    private static double elevatedShare(RiskScorer scorer, List<FeatureSnapshot> snapshots) {
        long elevated = scorer.score(snapshots).stream()
                .filter(s -> s.leakageProbability() >= RiskThresholds.DEFAULTS.medium()
                        || s.churnProbability() >= RiskThresholds.DEFAULTS.medium())
                .count();
        return (double) elevated / snapshots.size();
    }

    /** Plausible accounts: a few failures and findings, utilisation around 1, contracts of various ages. */
    static List<FeatureSnapshot> snapshots(int count, long seed) {
        Random random = new Random(seed);
        Instant asOf = Instant.parse("2026-01-01T00:00:00Z");
        List<FeatureSnapshot> snapshots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[] v = new double[Feature.COUNT];
            for (Feature f : Feature.values()) {
                v[f.ordinal()] = switch (f.unit()) {
                    case "count" -> random.nextInt(4);
                    case "days" -> random.nextInt(120);
                    case "months" -> random.nextInt(36);
                    case "z" -> random.nextGaussian();
                    default -> f == Feature.UTILISATION ? 0.2 + 1.3 * random.nextDouble() : 0.4 * random.nextDouble() - 0.1;
                };
            }
            snapshots.add(new FeatureSnapshot(String.format("acct-%06d", i), asOf, "USD", BigDecimal.valueOf(1000 + i), v));
        }
        return snapshots;
    }
}
