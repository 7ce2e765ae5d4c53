package io.leakwatch.scoring;

import io.leakwatch.features.FeatureSnapshot;
import java.util.List;

/**
 * Scores accounts. The topology holds one; production uses the ONNX scorer, topology tests a stub.
 * Implementations must be thread-safe (one instance may serve every stream thread) and deterministic for a
 * given set of model versions.
 */
public interface RiskScorer {
    /** One score per snapshot, in the same order. */
    List<RiskScores> score(List<FeatureSnapshot> snapshots);
}
