package io.leakwatch.features;

import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.YearMonth;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The revenue sections of {@link AccountFeatures}: billed(m) of the last {@value #REVENUE_MONTHS} months in the
 * account's currency (a {@link RevenueHistory}) and the number of lines billed in each.
 * <pre>
 * M = the last complete month before t
 * monthly_revenue = mean billed(m) over the last min(3, months since the first billed month) months up to M
 * REVENUE_Z: z of billed(M) against the baseline of the months before it ({@link BaselineRule#baseline}), 0
 *     during cold start or when the baseline mean is not positive; clamped to ±{@value #MAX_ABS_Z}
 * REVENUE_TREND_6M: Theil-Sen slope / start level of billed(M-5..M) ({@link BaselineRule#theilSen}, the erosion
 *     test's line)
 * INVOICE_COUNT_TREND: lines(M) / mean lines(M-3..M-1) - 1
 * </pre>
 */
final class RevenueMonths {
    static final int REVENUE_MONTHS = 8;
    static final double MAX_ABS_Z = 50;
    private static final BaselineRule BASELINE = new BaselineRule(BaselineSettings.defaults());
    /**
     * The revenue z the trained models know: the last month against the mean of its baseline window, in the window's
     * standard deviation floored at 25% of the mean. Kept as the models' feature contract defines it, apart from
     * the detector's robust level and deviation.
     */
    private static final double FEATURE_MIN_RELATIVE_STD = 0.25;

    private RevenueHistory history;
    private final TreeMap<YearMonth, Integer> lineCounts = new TreeMap<>();
    /*
     * Monthly revenue, revenue z and trend of the month a snapshot is taken in depend only on the revenue history,
     * which changes only when an invoice line is added; z and trend are the costliest features (a
     * Mann-Kendall/Theil-Sen fit over exact decimals), and every snapshot of a month asks again, so the three are
     * kept for the current month until the revenue changes ({@link #ofMonth}). Not persisted: a decoded state
     * recomputes them once. NaN = not defined (the feature keeps its default).
     */
    private int changes;
    private YearMonth cacheMonth;
    private int cacheChanges = -1;
    private BigDecimal cachedMonthly;
    private double cachedZ = Double.NaN;
    private double cachedTrend = Double.NaN;

    /** Adds a line's total billed in {@code month}, in the account's {@code currency}; true when the revenue changed. */
    boolean add(String currency, YearMonth month, BigDecimal total) {
        if (history == null) {
            history = new RevenueHistory(currency, REVENUE_MONTHS);
        }
        if (history.add(month, total)) {
            lineCounts.merge(month, 1, Integer::sum);
            changes++;
            return true;
        }
        return false;
    }

    /** Forgets the line counts of months the revenue history no longer keeps; true when there were some. */
    boolean trimLineCounts() {
        if (history != null && history.last() != null && !lineCounts.isEmpty()) {
            YearMonth from = history.last().minusMonths(REVENUE_MONTHS - 1);
            if (lineCounts.firstKey().isBefore(from)) {
                lineCounts.headMap(from, false).clear();
                return true;
            }
        }
        return false;
    }

    /** monthly_revenue of a snapshot taken in {@code current}: zero before any line. */
    BigDecimal monthlyRevenue(YearMonth current) {
        if (history == null || history.currency() == null) {
            return BigDecimal.ZERO;
        }
        ofMonth(current);
        return cachedMonthly;
    }

    /** Computes the monthly revenue, revenue z and trend of {@code current} unless they are kept for it already. */
    private void ofMonth(YearMonth current) {
        if (current.equals(cacheMonth) && cacheChanges == changes) {
            return;
        }
        YearMonth last = current.minusMonths(1);
        int months = history.monthsBefore(current);
        int n = Math.min(3, months);
        if (n <= 0) {
            cachedMonthly = Currencies.round(BigDecimal.ZERO, history.currency());
        } else {
            BigDecimal sum = history.series(last, n).stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            cachedMonthly = Currencies.round(sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL64), history.currency());
        }
        cachedZ = Double.NaN;
        cachedTrend = Double.NaN;
        BaselineRule.Baseline b = BASELINE.baseline(history, last);
        double floored = b == null ? 0 : Math.max(b.std(), FEATURE_MIN_RELATIVE_STD * b.mean().doubleValue());
        if (b != null && b.mean().signum() > 0 && floored > 0) {
            double z = history.revenue(last).subtract(b.mean()).doubleValue() / floored;
            cachedZ = Math.max(-MAX_ABS_Z, Math.min(MAX_ABS_Z, z));
        }
        if (months >= 6) {
            BaselineRule.TheilSen trend = BaselineRule.theilSen(history.series(last, 6));
            if (trend.startLevel().signum() > 0) {
                cachedTrend = trend.slope().divide(trend.startLevel(), MathContext.DECIMAL64).doubleValue();
            }
        }
        cacheMonth = current;
        cacheChanges = changes;
    }

    /** REVENUE_Z, REVENUE_TREND_6M and INVOICE_COUNT_TREND of a snapshot taken in {@code current}. */
    void features(YearMonth current, double[] v) {
        if (history == null) {
            return;
        }
        YearMonth last = current.minusMonths(1);
        ofMonth(current);
        if (!Double.isNaN(cachedZ)) {
            v[Feature.REVENUE_Z.ordinal()] = cachedZ;
        }
        if (!Double.isNaN(cachedTrend)) {
            v[Feature.REVENUE_TREND_6M.ordinal()] = cachedTrend;
        }
        if (history.monthsBefore(current) >= 4) {
            double before = 0;
            for (int i = 2; i <= 4; i++) {
                before += lineCounts.getOrDefault(current.minusMonths(i), 0);
            }
            if (before > 0) {
                v[Feature.INVOICE_COUNT_TREND.ordinal()] = lineCounts.getOrDefault(last, 0) / (before / 3) - 1;
            }
        }
    }

    /** The revenue history, or null before the first line in the account's currency (the codec's). */
    RevenueHistory history() {
        return history;
    }

    void history(RevenueHistory value) {
        history = value;
    }

    TreeMap<YearMonth, Integer> lineCounts() {
        return lineCounts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevenueMonths other && lineCounts.equals(other.lineCounts)
                && (history == null ? other.history == null
                : other.history != null && history.recorded().equals(other.history.recorded())
                && Objects.equals(history.first(), other.history.first()));
    }

    @Override
    public int hashCode() {
        return lineCounts.size();
    }
}
