package io.leakwatch.scoring;

import io.leakwatch.features.FeatureSnapshot;
import java.util.List;

/**
 * Scores accounts. The topology holds one; production uses the ONNX scorer, topology tests a stub.
 * Implementations must be thread-safe (one instance may serve every stream thread) and deterministic for a
 * given set of model versions.
 */
public interface RiskScorer {
    /** The models, by the names their files, versions and evidence use. */
    String LEAKAGE_RISK = "leakage_risk";
    String LEAKAGE_AMOUNT = "leakage_amount";
    String CHURN_RISK = "churn_risk";
    List<String> MODELS = List.of(LEAKAGE_RISK, LEAKAGE_AMOUNT, CHURN_RISK);

    /**
     * Which rows the caller will use in full. Only published scores show the expected leakage and the top
     * factors, and both cost model runs (the amount model; a run per feature for the factors), so the caller says
     * which rows it will publish. Asked once per row, in row order, with the row's probabilities
     * ({@link RiskScores#probabilities}: no amount, no factors).
     */
    @FunctionalInterface
    interface Full {
        Full ALL = (row, probabilities) -> true;

        boolean wants(int row, RiskScores probabilities);
    }

    /**
     * One score per snapshot, in the same order. A row {@code full} wants has its expected leakage ratio and, when
     * it is Medium or High, its top factors; any other row has its probabilities only (ratio NaN, no factors).
     */
    List<RiskScores> score(List<FeatureSnapshot> snapshots, Full full);

    /** One score per snapshot, every row in full. */
    default List<RiskScores> score(List<FeatureSnapshot> snapshots) {
        return score(snapshots, Full.ALL);
    }
}
