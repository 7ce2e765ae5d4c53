package io.leakwatch.scoring;

import java.time.Duration;

/**
 * When a fresh score is worth a new record on the compacted {@code account-risk} topic. Accounts are scored every
 * scoring tick in which their features changed (daily by default), and most ticks move a probability by a
 * fraction of a point: publishing each one would write more risk records than the topology reads input records
 * and tell nobody anything. A score is published when
 * <pre>
 * the account was never published, or
 * its leakage or churn level changed (every High crossing, so every risk alert, is published), or
 * a model version behind it changed, or
 * |leakage_probability - published| &gt;= min_probability_change, or the same for churn_probability, or
 * |monthly_revenue - published| &gt;= min_revenue_change x published monthly_revenue, or
 * the published record is max_age old or older (so no record on the topic is staler than that)
 * </pre>
 * Changes are measured against the last <i>published</i> values, not the last scored ones, so a slow drift is
 * published once it adds up. The comparisons use doubles: they decide whether to write, never an amount.
 *
 * <p>Why the default max_age is P89D, not a month: every account under contract is re-scored at each period end,
 * 28 to 31 days after the last. With P30D almost every unchanged account was republished every month (after a
 * 31-day month, not after February): about half of all records on the topic said nothing new, and each paid for
 * its top factors (more model runs) and a produce. Three calendar months are 89 to 92 days and two at most 62,
 * so P89D republishes an unchanged account at every third period-end scan, whatever the month: a record on the
 * topic is at most a quarter old, and every move that matters is still published at the scan that sees it.
 */
public record RiskPublishing(double minProbabilityChange, double minRevenueChange, Duration maxAge) {
    public static final RiskPublishing DEFAULTS = new RiskPublishing(0.05, 0.10, Duration.ofDays(89));
    /** Every score is published (for tests and for consumers that want the full series). */
    public static final RiskPublishing EVERY_SCORE = new RiskPublishing(0, 0, Duration.ZERO);
    private static final double TOLERANCE = 1e-9;

    public RiskPublishing {
        if (!(minProbabilityChange >= 0 && minProbabilityChange <= 1)) {
            throw new IllegalArgumentException("minimum probability change must be in [0, 1], got " + minProbabilityChange);
        }
        if (!(minRevenueChange >= 0)) {
            throw new IllegalArgumentException("minimum revenue change must be >= 0, got " + minRevenueChange);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maximum age must not be negative, got " + maxAge);
        }
    }

    /** What was last published for an account: the values later scores are compared with. */
    public record Published(long at, double leakageProbability, double churnProbability, double monthlyRevenue,
                            int modelVersionsHash) {
    }

    /**
     * Whether a score is published.
     *
     * @param last          what was last published, or null
     * @param levelsChanged the leakage or churn level differs from the previous score's
     */
    public boolean due(Published last, boolean levelsChanged, Published now) {
        if (last == null || levelsChanged || last.modelVersionsHash() != now.modelVersionsHash()) {
            return true;
        }
        if (atLeast(Math.abs(now.leakageProbability() - last.leakageProbability()), minProbabilityChange)
                || atLeast(Math.abs(now.churnProbability() - last.churnProbability()), minProbabilityChange)) {
            return true;
        }
        double revenueChange = Math.abs(now.monthlyRevenue() - last.monthlyRevenue());
        if (revenueChange > 0 && atLeast(revenueChange, minRevenueChange * Math.abs(last.monthlyRevenue()))) {
            return true;
        }
        return now.at() - last.at() >= maxAge.toMillis();
    }

    /** {@code change >= threshold}, forgiving binary rounding (0.50 - 0.45 is 0.0499999... in doubles). */
    private static boolean atLeast(double change, double threshold) {
        return change >= threshold - TOLERANCE;
    }
}
