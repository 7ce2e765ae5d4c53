package io.leakwatch.topology;

import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskThresholds;
import java.time.Duration;

/**
 * Account features and risk scoring.
 *
 * @param scorer             the scorer; null = no scoring (features are then kept only for period-end snapshots)
 * @param scoringInterval    stream-time interval between scoring ticks (accounts whose features changed)
 * @param routineDelay       how long a routine change (usage, an invoice line, a payment that did not fail) may
 *                           wait to be scored, never past the next period end (the default waits for it); prompt
 *                           ones are scored at the next tick (the account engine)
 * @param periodEndSnapshots emit a snapshot of every active account at each month boundary (training data)
 * @param thresholds         risk levels and alert hysteresis
 * @param publishing         when a score is written to {@code account-risk}
 */
public record RiskSettings(RiskScorer scorer, Duration scoringInterval, Duration routineDelay,
                           boolean periodEndSnapshots,
                           RiskThresholds thresholds, RiskPublishing publishing) {
    public static final Duration DEFAULT_SCORING_INTERVAL = Duration.ofDays(1);
    /** Longer than any month: by default a routine change is scored at the next period end. */
    public static final Duration DEFAULT_ROUTINE_DELAY = Duration.ofDays(31);

    public RiskSettings {
        if (scoringInterval.isZero() || scoringInterval.isNegative()) {
            throw new IllegalArgumentException("scoring interval must be positive");
        }
        if (routineDelay.isNegative()) {
            throw new IllegalArgumentException("routine scoring delay must not be negative");
        }
    }

    /** No scorer, no snapshots: the feature and scoring stages are not built. */
    public static RiskSettings off() {
        return new RiskSettings(null, DEFAULT_SCORING_INTERVAL, DEFAULT_ROUTINE_DELAY, false, RiskThresholds.DEFAULTS,
                RiskPublishing.DEFAULTS);
    }

    public boolean featuresNeeded() {
        return scorer != null || periodEndSnapshots;
    }

    public RiskSettings withScorer(RiskScorer value) {
        return new RiskSettings(value, scoringInterval, routineDelay, periodEndSnapshots, thresholds, publishing);
    }

    public RiskSettings withPeriodEndSnapshots(boolean value) {
        return new RiskSettings(scorer, scoringInterval, routineDelay, value, thresholds, publishing);
    }

    public RiskSettings withRoutineDelay(Duration value) {
        return new RiskSettings(scorer, scoringInterval, value, periodEndSnapshots, thresholds, publishing);
    }

    public RiskSettings withPublishing(RiskPublishing value) {
        return new RiskSettings(scorer, scoringInterval, routineDelay, periodEndSnapshots, thresholds, value);
    }
}
