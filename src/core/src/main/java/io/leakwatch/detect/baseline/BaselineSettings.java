package io.leakwatch.detect.baseline;

import java.time.Duration;

/**
 * Per-account revenue baselines. The rule is in {@link io.leakwatch.detect.baseline.BaselineRule}.
 *
 * @param window           periods in the trailing baseline (never including the period judged)
 * @param minPeriods       periods of history (since the account's first invoiced period) needed before any
 *                         judgement (cold start); at least 2, at most {@code window}
 * @param zThreshold       |z| at or above this is a spike or a drop
 * @param historyPeriods   periods of revenue history kept per account (must cover the window and the erosion run)
 * @param erosionPeriods   length of the run the erosion trend test looks at (the judged period and those before it)
 * @param erosionThreshold Theil-Sen decline over the run, as a fraction of its starting level, that makes an erosion
 * @param minRelativeStd   noise floor: the robust scale used in z (1.4826 MAD) is at least this fraction of the
 *                         baseline median (a flat series has MAD 0; without a floor every cent of change would be
 *                         infinite z); far below the size of a move worth an alert, so a steady account's own small
 *                         variation is what a move is measured against
 * @param minRelativeStdDrop the same floor for a month below its baseline
 * @param erosionTrendZ    Mann-Kendall Z at or below minus this makes the decline significant (1.645 = one-sided 5%)
 * @param revisionGrace    after a period closed, invoice lines for it still update it and it is judged again for
 *                         this long (stream time); later lines only update the history
 * @param minRelativeChange a spike or drop must also move at least this fraction of the baseline median: noise on
 *                         a steady account can be many of its own deviations and still not matter
 * @param minAbsoluteChange ... and at least this much money a month, in major units of the account's currency
 *                         (times 100 for a currency without minor units, such as JPY): a tiny account's moves do
 *                         not alert; an erosion must have lost at least as much
 */
public record BaselineSettings(int window, int minPeriods, double zThreshold, int historyPeriods,
                               int erosionPeriods, double erosionThreshold, double minRelativeStd,
                               double minRelativeStdDrop, double erosionTrendZ, Duration revisionGrace,
                               double minRelativeChange, double minAbsoluteChange) {

    public BaselineSettings {
        if (window < 2 || minPeriods < 2 || minPeriods > window) {
            throw new IllegalArgumentException("baseline window (" + window + ") and min periods (" + minPeriods
                    + ") must satisfy 2 <= min periods <= window");
        }
        if (erosionPeriods < 4) {
            throw new IllegalArgumentException("erosion periods must be at least 4, not " + erosionPeriods);
        }
        if (historyPeriods < Math.max(window + 1, erosionPeriods)) {
            throw new IllegalArgumentException("history periods (" + historyPeriods + ") must cover the baseline window"
                    + " plus the judged period and the erosion run (" + Math.max(window + 1, erosionPeriods) + ")");
        }
        if (!(zThreshold > 0) || !(erosionThreshold > 0 && erosionThreshold < 1) || !(minRelativeStd >= 0)
                || !(minRelativeStdDrop >= 0) || !(erosionTrendZ >= 0)) {
            throw new IllegalArgumentException("baseline thresholds out of range: z > 0, 0 < erosion threshold < 1,"
                    + " min relative std (and for drops) >= 0, erosion trend z >= 0");
        }
        if (revisionGrace == null || revisionGrace.isNegative()) {
            throw new IllegalArgumentException("revision grace must not be negative");
        }
        if (!(minRelativeChange >= 0) || !(minAbsoluteChange >= 0)) {
            throw new IllegalArgumentException("baseline min relative and absolute change must be >= 0");
        }
    }

    /** The settings with the default minimum relative and absolute change. */
    public BaselineSettings(int window, int minPeriods, double zThreshold, int historyPeriods, int erosionPeriods,
                            double erosionThreshold, double minRelativeStd, double minRelativeStdDrop,
                            double erosionTrendZ, Duration revisionGrace) {
        this(window, minPeriods, zThreshold, historyPeriods, erosionPeriods, erosionThreshold, minRelativeStd,
                minRelativeStdDrop, erosionTrendZ, revisionGrace, DEFAULT_MIN_RELATIVE_CHANGE,
                DEFAULT_MIN_ABSOLUTE_CHANGE);
    }

    public static final double DEFAULT_MIN_RELATIVE_CHANGE = 0.30;
    public static final double DEFAULT_MIN_ABSOLUTE_CHANGE = 100;

    /** {@link #minAbsoluteChange} in {@code currency}: times 100 when the currency has no minor unit. */
    public double minAbsoluteChange(String currency) {
        return io.leakwatch.money.Currencies.minorUnitDigits(currency) == 0 ? 100 * minAbsoluteChange
                : minAbsoluteChange;
    }

    public static BaselineSettings defaults() {
        return new BaselineSettings(6, 6, 4.5, 24, 12, 0.30, 0.05, 0.05, 1.645, Duration.ofDays(7));
    }

    public BaselineSettings withWindow(int value, int min) {
        return new BaselineSettings(value, min, zThreshold, historyPeriods, erosionPeriods, erosionThreshold,
                minRelativeStd, minRelativeStdDrop, erosionTrendZ, revisionGrace, minRelativeChange, minAbsoluteChange);
    }

    public BaselineSettings withErosion(int periods, double threshold, double trendZ) {
        return new BaselineSettings(window, minPeriods, zThreshold, historyPeriods, periods, threshold,
                minRelativeStd, minRelativeStdDrop, trendZ, revisionGrace);
    }

    /** The least relative and absolute move of a spike or drop. */
    public BaselineSettings withMinChange(double relative, double absolute) {
        return new BaselineSettings(window, minPeriods, zThreshold, historyPeriods, erosionPeriods, erosionThreshold,
                minRelativeStd, minRelativeStdDrop, erosionTrendZ, revisionGrace, relative, absolute);
    }

    /** The noise floors for a rise (spike) and for a fall (drop). */
    public BaselineSettings withNoiseFloors(double spike, double drop) {
        return new BaselineSettings(window, minPeriods, zThreshold, historyPeriods, erosionPeriods, erosionThreshold,
                spike, drop, erosionTrendZ, revisionGrace, minRelativeChange, minAbsoluteChange);
    }
}
