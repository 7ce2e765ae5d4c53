package io.leakwatch.scoring;

import io.leakwatch.events.RiskLevel;

/**
 * Risk level of one probability, with hysteresis per account and model:
 * <pre>
 * HIGH   if p &gt;= highEnter, or the previous level was HIGH and p &gt;= highExit
 * MEDIUM else if p &gt;= medium
 * LOW    otherwise (also for NaN)
 * </pre>
 * so an account hovering around {@code highEnter} does not flip in and out of High (and alert) on every tick.
 */
public final class RiskPolicy {
    private final RiskThresholds thresholds;

    public RiskPolicy(RiskThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public RiskThresholds thresholds() {
        return thresholds;
    }

    /** The level of {@code probability} for an account whose level on this model was {@code previous}. */
    public RiskLevel level(double probability, RiskLevel previous) {
        if (probability >= thresholds.highEnter() || (previous == RiskLevel.HIGH && probability >= thresholds.highExit())) {
            return RiskLevel.HIGH;
        }
        return probability >= thresholds.medium() ? RiskLevel.MEDIUM : RiskLevel.LOW;
    }

    /** The level with no history (an account seen for the first time). */
    public RiskLevel level(double probability) {
        return level(probability, RiskLevel.LOW);
    }

    /** Medium or High without history: the accounts whose factors are worth explaining. */
    public boolean elevated(double probability) {
        return probability >= thresholds.medium();
    }

    /** True when an account moves into High (an alert), false when it stays or was already there. */
    public static boolean entersHigh(RiskLevel previous, RiskLevel now) {
        return now == RiskLevel.HIGH && previous != RiskLevel.HIGH;
    }

    /** The higher of two levels (HIGH &gt; MEDIUM &gt; LOW). */
    public static RiskLevel max(RiskLevel a, RiskLevel b) {
        // symbols are declared HIGH, MEDIUM, LOW: a lower ordinal is a higher level
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
