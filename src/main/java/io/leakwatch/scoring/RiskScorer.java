package io.leakwatch.scoring;

import io.leakwatch.features.FeatureSnapshot;
import java.util.List;

/**
 * Scores accounts. The topology holds one; production uses the ONNX scorer, topology tests a stub.
 * Implementations must be thread-safe (one instance may serve every stream thread) and deterministic for a
 * given set of model versions.
 */
public interface RiskScorer {
    /**
     * Which rows need their top factors. Explaining a row costs a model run per feature, and only published scores
     * show factors, so the caller says which ones it will publish. Asked with the row's scores (no factors yet).
     */
    @FunctionalInterface
    interface Explain {
        Explain ALL = (row, scores) -> true;

        boolean wants(int row, RiskScores scores);
    }

    /** One score per snapshot, in the same order; factors only for rows {@code explain} wants (else empty). */
    List<RiskScores> score(List<FeatureSnapshot> snapshots, Explain explain);

    /** One score per snapshot, every row explained. */
    default List<RiskScores> score(List<FeatureSnapshot> snapshots) {
        return score(snapshots, Explain.ALL);
    }
}
