package io.leakwatch.features;

import java.time.Instant;
import java.util.List;

/**
 * The snapshots of one scoring tick (or one period end), handed to the scorer as one batch.
 *
 * @param asOf      the stream time of the tick
 * @param periodEnd true when this is a period-end snapshot (training data), false for a scoring tick
 * @param snapshots the accounts, in account id order
 */
public record FeatureBatch(Instant asOf, boolean periodEnd, List<FeatureSnapshot> snapshots) {
    public FeatureBatch {
        snapshots = List.copyOf(snapshots);
    }
}
