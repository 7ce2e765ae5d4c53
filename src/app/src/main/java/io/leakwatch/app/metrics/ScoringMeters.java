package io.leakwatch.app.metrics;

import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskScores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Risk scoring on a Micrometer registry:
 * <pre>
 * leakwatch_scoring_batches_total                 calls to the scorer (one per scoring tick of a task with accounts due)
 * leakwatch_scoring_rows_total                    accounts scored
 * leakwatch_scoring_seconds{_count,_sum,_max,_bucket}  time of one call, as a histogram (1 ms to 5 s)
 * leakwatch_model_info{model,version}             1 for each model version served now
 * </pre>
 * The timing wraps the scorer, never changes its answer: the scores stay those of the model versions.
 */
public final class ScoringMeters {
    public static final String BATCHES = "leakwatch.scoring.batches";
    public static final String ROWS = "leakwatch.scoring.rows";
    public static final String SECONDS = "leakwatch.scoring";
    public static final String MODEL_INFO = "leakwatch.model.info";

    /** The histogram's buckets: a call scores one task's due accounts, from a millisecond to seconds. */
    static final java.time.Duration[] BUCKETS = java.util.stream.Stream.of(1, 5, 10, 50, 100, 500, 1_000, 5_000)
            .map(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

    private final MultiGauge models;
    private final Supplier<Map<String, String>> served;

    /** @param served "model:version" by model name, of the versions served now (read at every scrape) */
    public ScoringMeters(MeterRegistry registry, Supplier<Map<String, String>> served) {
        this.served = served;
        this.models = MultiGauge.builder(MODEL_INFO).description("1 for each model version served now")
                .register(registry);
        refresh();
    }

    /** The gauge of served versions brought up to date (the models directory is reloaded while running). */
    public void refresh() {
        models.register(served.get().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("model", e.getKey(), "version", version(e.getValue())), 1))
                .toList(), true);
    }

    private static String version(String id) {
        int colon = id.lastIndexOf(':');
        return colon < 0 ? id : id.substring(colon + 1);
    }

    /** {@code scorer}, timed and counted on {@code registry}. */
    public static RiskScorer timed(RiskScorer scorer, MeterRegistry registry) {
        Counter batches = Counter.builder(BATCHES).description("calls to the risk scorer").register(registry);
        Counter rows = Counter.builder(ROWS).description("accounts scored").register(registry);
        Timer time = Timer.builder(SECONDS).description("time of one call to the risk scorer")
                .serviceLevelObjectives(BUCKETS).register(registry);
        return new RiskScorer() {
            @Override
            public List<RiskScores> score(List<FeatureSnapshot> snapshots, Full full) {
                long start = System.nanoTime();
                try {
                    return scorer.score(snapshots, full);
                } finally {
                    time.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                    batches.increment();
                    rows.increment(snapshots.size());
                }
            }
        };
    }
}
