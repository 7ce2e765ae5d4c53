package io.leakwatch.detect.baseline;

import io.leakwatch.detect.baseline.RevenueHistory.Mark;
import io.leakwatch.detect.baseline.BaselineSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges one account's monthly revenue against its own past. Kafka-free; the processor, the {@code anomalies}
 * report and the generator's labels all call it.
 *
 * <p><b>Point anomalies</b> (month P, revenue r = revenue(P), settings w = window, m = min periods):
 * <pre>
 * cold start: fewer than m months since the first invoiced month -> no judgement
 * x = revenue of the w months before P that are not flagged SPIKE/DROP (silent months = 0; never P itself; a
 *     flagged month is a known outlier, already reported)           fewer than m such months -> no judgement
 * c = Theil-Sen line of x at its last month, kept within [min x, max x]   (the level: follows a trend, robust to
 *     one odd month, never beyond what the window saw)               c &lt;= 0 -> nothing to compare with
 * d = max(1.4826 · MAD, 1.2533 · mean absolute deviation) of the Theil-Sen residuals of the 2w such months
 *     before P   (the account's own variation: a year says more than six months how much an account swings; the
 *     mean absolute deviation keeps months clustered at two levels from passing for a steady account)
 * s' = max(d, f · c)     f = min_relative_std (0.05) when r &gt;= c, min_relative_std_drop (0.05) when r &lt; c
 * z = (r - c) / s'
 * material = |r - c| &gt;= min_relative_change · c (0.30) and |r - c| &gt;= min_absolute_change (100 a month,
 *            x100 in a currency without minor units)
 * seasonal = P-12 in the history, |k - 1| &gt;= min_relative_change and |r - c·k| &lt; min_relative_change · c·k,
 *            k = revenue(P-12) / median of revenue(P-11 .. P-7)     (the same month last year was itself a
 *            material move, and it explains this one: a yearly peak)
 * z &gt;= +z_threshold (4.5) and material and not seasonal -> REVENUE_SPIKE
 * z &lt;= -z_threshold and material and not seasonal       -> REVENUE_DROP
 * </pre>
 * A steady account is measured against its own small variation (a +61% month on an account varying 2-6% is a
 * spike); the relative and absolute minimum keep noise on a swinging account and a tiny account's moves quiet.
 *
 * <p>A month beyond the threshold in the same direction as the month before it (itself flagged or continued) is
 * the <i>continuation</i> of that shift and is not flagged again: a real expansion or a churn-like drop is flagged
 * once, at the jump. So is a month beyond the threshold after a month back within it while the shift is still on
 * ({@link #stillShifted}): the baseline still reaches back before the flagged jump J, and every month since J was a
 * continuation or beyond the threshold against J's own baseline in the same direction. (A noisy month on the new
 * level, measured against a baseline holding one or two new months and so a large std, dips under the threshold;
 * the next month must not be a second "expansion".) The episode ends once the baseline holds only months after
 * J, i.e. has caught up with the new level, or when a month reverts to J's baseline: a one-month spike that
 * reverts is flagged once, and a second one after the revert is flagged again.
 *
 * <p><b>Erosion</b> (E = erosion periods, months P-E+1 .. P, only when P is not a point anomaly and no month of
 * the run is one): Mann-Kendall trend test, Hamed-Rao corrected, with Theil-Sen slope on y_0..y_{E-1}:
 * <pre>
 * S = Σ_{i&lt;j} sign(y_j - y_i)
 * Var(S) = [E(E-1)(2E+5) - Σ_ties t(t-1)(2t+5)] / 18 · max(1, n/n*)        (n/n*: {@link #autocorrelationFactor})
 * Z_MK = (S+1)/sqrt(Var(S)) if S &lt; 0, (S-1)/sqrt(Var(S)) if S &gt; 0, else 0
 * β = median_{i&lt;j} (y_j - y_i)/(j - i)           a = median_i (y_i - β·i)        (start level of the run)
 * decline = -β·(E-1) / a                         (fitted loss over the run as a share of its start level)
 * REVENUE_EROSION when Z_MK &lt;= -erosion_trend_z and decline &gt;= erosion_threshold and a &gt; r &gt; 0
 *                 and a - r &gt;= min_absolute_change
 *                 and the run is not a step: two flat levels split at the best month leave at least
 *                 STEP_FIT (0.25) of the line's squared residuals
 *                 (an account at zero is gone, not eroding: that is a drop, or churn during cold start)
 * erosion_trend_z = 1.645 (one-sided 5%)
 * </pre>
 * One alert per episode: a month that meets the test while one of the E-1 months before it is already marked
 * eroding is a continuation. The trend test is distribution free (rank based), so a noisy account does not need
 * Gaussian noise to be judged fairly; the Hamed-Rao correction keeps a level shift or a staircase (seats move in
 * steps and stay) from passing for a trend, which plain Mann-Kendall, assuming independent months, would; Theil-Sen
 * is robust to a single odd month; requiring both significance and size keeps slow, small drifts quiet.
 *
 * <p><b>Precedence and severity</b>: a month that is a point anomaly is never judged for erosion. One scale for
 * all three: {@code severity_score} = the size of the move in percent of the level it left (|r - c| / c, or the
 * erosion's decline); {@link #severity} maps it: &lt;35 LOW, &lt;50 MEDIUM, &lt;75 HIGH, else CRITICAL; the alert
 * takes the lower of that and the money-based level. A z is not a size: a drop's z is bounded by the baseline's
 * deviation, so a drop to zero could never rate above MEDIUM or HIGH however much money it lost.
 */
public final class BaselineRule {
    static final int SCALE = 10;
    /** 1.4826 MAD estimates the standard deviation of normal data. */
    static final double MAD_TO_STD = 1.4826;
    /** √(π/2): the mean absolute deviation of normal data times this estimates its standard deviation. */
    static final double MEAN_ABS_TO_STD = 1.2533;
    /** The deviation is estimated over this many baseline windows. */
    static final int SPREAD_WINDOWS = 2;
    private static final double MAX_SCORE = 999.99;
    /** A two-level step explains a run when it leaves less than this share of the line's squared residuals. */
    static final double STEP_FIT = 0.25;

    private final BaselineSettings settings;

    public BaselineRule(BaselineSettings settings) {
        this.settings = settings;
    }

    public BaselineSettings settings() {
        return settings;
    }

    /**
     * The trailing baseline of a month: n months before it, their mean, raw std, and the floored std a rise
     * ({@code effectiveStd}) and a fall ({@code effectiveDropStd}) are measured in; {@code repriced} when a
     * contracted price moved between its first month and the month judged, so its figures are at the judged
     * month's prices rather than as billed.
     */
    public record Baseline(YearMonth from, YearMonth to, int periods, BigDecimal mean, double std, double effectiveStd,
                           double effectiveDropStd, BigDecimal median, boolean repriced) {

        /** (r - c) / s', c the median, with the floor of the direction r moved in. */
        public double z(BigDecimal revenue) {
            double diff = revenue.subtract(median).doubleValue();
            double s = diff < 0 ? effectiveDropStd : effectiveStd;
            return s > 0 ? diff / s : diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
        }
    }

    /** The Theil-Sen / Mann-Kendall summary of an erosion run. */
    public record Trend(YearMonth from, YearMonth to, BigDecimal startLevel, BigDecimal slope, double mannKendallZ,
                        double decline) {
    }

    /**
     * What the rule concluded for one month.
     *
     * @param baseline null during cold start
     * @param z        (r - μ)/s', NaN when there is no baseline
     * @param trend    non-null for erosion marks
     */
    public record Verdict(YearMonth period, BigDecimal revenue, Mark mark, Baseline baseline, double z, Trend trend) {
        public boolean alerts() {
            return mark.alerts();
        }
    }

    /**
     * The trailing baseline of {@code period}, or null during cold start: the {@code window} months before it that
     * are not flagged point anomalies (a flagged SPIKE or DROP month is a known outlier, already reported; kept in,
     * one missing invoice would make the account look volatile for the next {@code window} months and hide the
     * next drop). Continuation months count: a lasting new level is what the baseline must catch up with.
     */
    public Baseline baseline(RevenueHistory history, YearMonth period) {
        if (history.monthsBefore(period) < settings.minPeriods()) {
            return null;
        }
        List<BigDecimal> x = new ArrayList<>(settings.window());
        YearMonth from = null;
        YearMonth to = null;
        YearMonth oldest = history.last() == null ? history.first()
                : max(history.first(), history.last().minusMonths(history.capacity() - 1));
        for (YearMonth p = period.minusMonths(1); x.size() < settings.window() && !p.isBefore(oldest);
             p = p.minusMonths(1)) {
            Mark mark = history.mark(p);
            if (mark == Mark.SPIKE || mark == Mark.DROP) {
                continue;
            }
            x.add(history.revenue(p));
            to = to == null ? p : to;
            from = p;
        }
        int n = x.size();
        if (n < settings.minPeriods()) {
            return null;
        }
        BigDecimal sum = x.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal mean = sum.divide(BigDecimal.valueOf(n), SCALE, RoundingMode.HALF_EVEN);
        double m = mean.doubleValue();
        double squares = 0;
        for (BigDecimal v : x) {
            double d = v.doubleValue() - m;
            squares += d * d;
        }
        double std = Math.sqrt(squares / (n - 1));
        // x holds the window newest first; the level is the Theil-Sen line of the window (oldest first) at its last
        // month: it follows a trend without betting on it going on
        List<BigDecimal> y = new ArrayList<>(x);
        java.util.Collections.reverse(y);
        TheilSen fit = theilSen(y);
        List<BigDecimal> spread = spreadWindow(history, period, oldest);
        TheilSen spreadFit = theilSen(spread);
        List<BigDecimal> residuals = new ArrayList<>(spread.size());
        for (int i = 0; i < spread.size(); i++) {
            residuals.add(spread.get(i).subtract(spreadFit.startLevel())
                    .subtract(spreadFit.slope().multiply(BigDecimal.valueOf(i))));
        }
        BigDecimal median = median(y);
        BigDecimal level = fit.startLevel().add(fit.slope().multiply(BigDecimal.valueOf(n - 1)));
        // a trend is followed only as far as it stays within the window's own range
        BigDecimal lowest = y.stream().min(BigDecimal::compareTo).orElseThrow();
        BigDecimal highest = y.stream().max(BigDecimal::compareTo).orElseThrow();
        median = level.max(lowest).min(highest);
        double c = median.doubleValue();
        List<BigDecimal> deviations = new ArrayList<>(n);
        for (BigDecimal v : residuals) {
            deviations.add(v.subtract(median(residuals)).abs());
        }
        // the MAD reads a series whose months cluster at two levels as steady (its median deviation is the spread of
        // one cluster); the mean absolute deviation sees both, and equals the MAD's estimate on steady noise
        double total = 0;
        for (BigDecimal d : deviations) {
            total += d.doubleValue();
        }
        double robust = Math.max(MAD_TO_STD * median(deviations).doubleValue(), MEAN_ABS_TO_STD * total / n(deviations));
        double effective = Math.max(robust, settings.minRelativeStd() * Math.abs(c));
        double effectiveDrop = Math.max(robust, settings.minRelativeStdDrop() * Math.abs(c));
        return new Baseline(from, to, n, mean, std, effective, effectiveDrop, median,
                history.pricesMoved(from, period));
    }

    /**
     * The months the deviation is estimated from, oldest first: up to twice the window of months before
     * {@code period} that are not flagged SPIKE/DROP. Six months say little about how much an account varies; a
     * year of them does, so an account whose usage swings ±25% is not a stream of spikes.
     */
    private List<BigDecimal> spreadWindow(RevenueHistory history, YearMonth period, YearMonth oldest) {
        List<BigDecimal> x = new ArrayList<>(SPREAD_WINDOWS * settings.window());
        for (YearMonth p = period.minusMonths(1); x.size() < SPREAD_WINDOWS * settings.window()
                && !p.isBefore(oldest); p = p.minusMonths(1)) {
            Mark mark = history.mark(p);
            if (mark != Mark.SPIKE && mark != Mark.DROP) {
                x.add(history.revenue(p));
            }
        }
        java.util.Collections.reverse(x);
        return x;
    }

    private static YearMonth max(YearMonth a, YearMonth b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * Judges one month from the history and the marks of the months before it, with the past restated at the
     * month's contracted prices ({@link RevenueHistory#repricedTo}): what a contract amendment changed is not a
     * move of the account. Does not change the history.
     */
    public Verdict judge(RevenueHistory billed, YearMonth period) {
        RevenueHistory history = billed.repricedTo(period);
        BigDecimal r = history.revenue(period);
        Baseline b = baseline(history, period);
        if (b == null) {
            return new Verdict(period, r, Mark.NONE, null, Double.NaN, null);
        }
        if (b.median().signum() <= 0) {
            return new Verdict(period, r, Mark.NONE, b, Double.NaN, null);
        }
        double z = b.z(r);
        Mark previous = history.mark(period.minusMonths(1));
        if (Math.abs(z) >= settings.zThreshold() && material(history, b.median(), r)
                && !seasonal(history, period, r)) {
            boolean up = z > 0;
            Mark flagged = up ? Mark.SPIKE : Mark.DROP;
            Mark continued = up ? Mark.SPIKE_CONTINUED : Mark.DROP_CONTINUED;
            boolean continuation = previous == flagged || previous == continued || stillShifted(history, period, b, up);
            return new Verdict(period, r, continuation ? continued : flagged, b, z, null);
        }
        Trend trend = erosion(history, period);
        if (trend != null) {
            return new Verdict(period, r, erodingBefore(history, period) ? Mark.EROSION_CONTINUED : Mark.EROSION, b, z,
                    trend);
        }
        return new Verdict(period, r, Mark.NONE, b, z, null);
    }

    /**
     * True when {@code period}, beyond the threshold in direction {@code up} after a month back within it, is still
     * part of the shift flagged at an earlier month J: J lies inside the reach of {@code period}'s baseline {@code b}
     * (the baseline still holds months from before the shift: it has not caught up with the new level), no month
     * after J was flagged the other way, and every month between J and {@code period} stayed shifted, i.e. was a
     * continuation or lay beyond the threshold against J's own baseline in the same direction. A noisy month on the
     * new level no longer ends the episode while the baseline is catching up; a shift that reverted (a one-month
     * spike, a disruption that recovered) does.
     */
    private boolean stillShifted(RevenueHistory history, YearMonth period, Baseline b, boolean up) {
        Mark flagged = up ? Mark.SPIKE : Mark.DROP;
        Mark continued = up ? Mark.SPIKE_CONTINUED : Mark.DROP_CONTINUED;
        YearMonth jump = null;
        for (YearMonth p = period.minusMonths(1); p.isAfter(b.from()); p = p.minusMonths(1)) {
            Mark mark = history.mark(p);
            if (mark == Mark.SPIKE || mark == Mark.DROP) {
                jump = mark == flagged ? p : null;
                break;
            }
        }
        Baseline before = jump == null ? null : baseline(history, jump);
        if (before == null || before.median().signum() <= 0) {
            return false;
        }
        for (YearMonth p = jump.plusMonths(1); p.isBefore(period); p = p.plusMonths(1)) {
            double zp = before.z(history.revenue(p));
            if (history.mark(p) != continued && !(up ? zp >= settings.zThreshold() : zp <= -settings.zThreshold())) {
                return false;
            }
        }
        return true;
    }

    /** A move from the baseline median {@code c} to {@code r} large enough to matter, relatively and in money. */
    private boolean material(RevenueHistory history, BigDecimal c, BigDecimal r) {
        double move = r.subtract(c).abs().doubleValue();
        return move >= settings.minRelativeChange() * c.doubleValue()
                && move >= settings.minAbsoluteChange(history.currency());
    }

    /**
     * True when the same month a year before explains {@code r}: with L = P-12 in the history and its level
     * {@code l} = the median of L+1..L+5 (the months after it, which also lie before P's baseline), the seasonal
     * factor {@code k = revenue(L) / l} times the baseline median is within min_relative_change of r, and L was
     * itself a move of at least min_relative_change (k that far from 1). A yearly peak is expected, not a spike; an
     * ordinary month last year predicts nothing, so it cannot excuse a move that only just clears the minimum.
     */
    private boolean seasonal(RevenueHistory history, YearMonth period, BigDecimal r) {
        YearMonth lastYear = period.minusMonths(12);
        if (history.first() == null || lastYear.isBefore(history.first())) {
            return false;
        }
        Baseline now = baseline(history, period);
        BigDecimal level = median(history.series(lastYear.plusMonths(5), 5));
        if (now == null || level.signum() <= 0) {
            return false;
        }
        double k = history.revenue(lastYear).doubleValue() / level.doubleValue();
        if (Math.abs(k - 1) < settings.minRelativeChange()) {
            return false;     // last year's month was an ordinary one: it predicts no seasonal move
        }
        double expected = now.median().doubleValue() * k;
        return expected > 0 && Math.abs(r.doubleValue() - expected) < settings.minRelativeChange() * expected;
    }

    /** True when a month of the run before {@code period} already eroded: the same episode, not a new one. */
    private boolean erodingBefore(RevenueHistory history, YearMonth period) {
        for (int k = 1; k < settings.erosionPeriods(); k++) {
            if (history.mark(period.minusMonths(k)).erosion()) {
                return true;
            }
        }
        return false;
    }

    /** The eroding run ending at {@code period}, or null when there is none (or the run holds a point anomaly). */
    Trend erosion(RevenueHistory history, YearMonth period) {
        int e = settings.erosionPeriods();
        if (history.monthsBefore(period) < e - 1 || history.revenue(period).signum() <= 0) {
            return null;
        }
        YearMonth from = period.minusMonths(e - 1);
        for (YearMonth p = from; p.isBefore(period); p = p.plusMonths(1)) {
            if (history.mark(p).pointAnomaly()) {
                return null;
            }
        }
        List<BigDecimal> run = history.series(period, e);
        Trend trend = trend(run, from, period);
        if (trend.mannKendallZ() <= -settings.erosionTrendZ() && trend.decline() >= settings.erosionThreshold()
                && trend.startLevel().compareTo(history.revenue(period)) > 0
                && trend.startLevel().subtract(history.revenue(period)).doubleValue()
                   >= settings.minAbsoluteChange(history.currency())
                && !step(run, trend)) {
            return trend;
        }
        return null;
    }

    /**
     * True when the run is a level shift rather than a decline: two flat levels, split at the best month, leave less
     * than {@value #STEP_FIT} of the squared residuals the Theil-Sen line leaves. A step down that was too small to
     * be a drop is not an erosion either: erosion is a slide, and a shift is judged where it happens.
     */
    static boolean step(List<BigDecimal> y, Trend trend) {
        int n = y.size();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = y.get(i).doubleValue();
        }
        double a = trend.startLevel().doubleValue();
        double b = trend.slope().doubleValue();
        double line = 0;
        for (int i = 0; i < n; i++) {
            double r = v[i] - (a + b * i);
            line += r * r;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int k = 1; k < n; k++) {
            best = Math.min(best, squares(v, 0, k) + squares(v, k, n));
        }
        return best < STEP_FIT * line;
    }

    private static int n(List<BigDecimal> values) {
        return Math.max(1, values.size());
    }

    /** Σ (v_i - mean)² over i in [from, to). */
    private static double squares(double[] v, int from, int to) {
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += v[i];
        }
        mean /= to - from;
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (v[i] - mean) * (v[i] - mean);
        }
        return sum;
    }

    /** The Theil-Sen line of a series y_0..y_{n-1}: slope β and start level a (see the class comment). */
    public record TheilSen(BigDecimal slope, BigDecimal startLevel) {
    }

    /**
     * β = median_{i&lt;j} (y_j - y_i)/(j - i) and a = median_i (y_i - β·i). Public so the account features compute
     * their revenue trend with the same arithmetic as the erosion test, without its significance test.
     */
    public static TheilSen theilSen(List<BigDecimal> y) {
        int n = y.size();
        List<BigDecimal> slopes = new ArrayList<>(n * (n - 1) / 2);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                slopes.add(y.get(j).subtract(y.get(i)).divide(BigDecimal.valueOf(j - i), SCALE, RoundingMode.HALF_EVEN));
            }
        }
        BigDecimal beta = median(slopes);
        List<BigDecimal> intercepts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            intercepts.add(y.get(i).subtract(beta.multiply(BigDecimal.valueOf(i))));
        }
        return new TheilSen(beta, median(intercepts));
    }

    /** Mann-Kendall Z and Theil-Sen slope/intercept of a series (see the class comment). */
    public static Trend trend(List<BigDecimal> y, YearMonth from, YearMonth to) {
        int n = y.size();
        int s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s += Integer.signum(y.get(j).compareTo(y.get(i)));
            }
        }
        Map<BigDecimal, Integer> ties = new HashMap<>();
        for (BigDecimal v : y) {
            ties.merge(v.stripTrailingZeros(), 1, Integer::sum);
        }
        double variance = n * (n - 1.0) * (2 * n + 5);
        for (int t : ties.values()) {
            variance -= t * (t - 1.0) * (2 * t + 5);
        }
        variance /= 18;
        TheilSen fit = theilSen(y);
        BigDecimal beta = fit.slope();
        variance *= autocorrelationFactor(y, beta);
        double z = variance <= 0 || s == 0 ? 0 : (s > 0 ? s - 1 : s + 1) / Math.sqrt(variance);
        BigDecimal a = fit.startLevel();
        double decline = a.signum() > 0
                ? -beta.multiply(BigDecimal.valueOf(n - 1)).divide(a, MathContext.DECIMAL64).doubleValue()
                : 0;
        return new Trend(from, to, a, beta, z, decline);
    }

    /**
     * Hamed-Rao (1998) variance correction n/n* for serially correlated data: ranks of the Theil-Sen residuals,
     * their lag-k autocorrelations ρ_k, only those outside ±1.96/√n, and
     * {@code n/n* = 1 + 2/(n(n-1)(n-2)) · Σ_k (n-k)(n-k-1)(n-k-2)·ρ_k}, never below 1 (the correction only ever
     * widens Var(S)). A level shift or a staircase (seat counts move in steps and stay) leaves long runs of
     * residuals on one side of the line, which Mann-Kendall would otherwise read as a trend.
     */
    static double autocorrelationFactor(List<BigDecimal> y, BigDecimal beta) {
        int n = y.size();
        if (n < 4) {
            return 1;
        }
        double b = beta.doubleValue();
        double[] residual = new double[n];
        for (int i = 0; i < n; i++) {
            residual[i] = y.get(i).doubleValue() - b * i;
        }
        double[] rank = ranks(residual);
        double mean = (n + 1) / 2.0;
        double denominator = 0;
        for (double r : rank) {
            denominator += (r - mean) * (r - mean);
        }
        if (denominator == 0) {
            return 1;
        }
        double bound = 1.96 / Math.sqrt(n);
        double sum = 0;
        for (int k = 1; k < n - 2; k++) {
            double numerator = 0;
            for (int i = 0; i + k < n; i++) {
                numerator += (rank[i] - mean) * (rank[i + k] - mean);
            }
            double rho = numerator / denominator;
            if (Math.abs(rho) > bound) {
                sum += (n - k) * (n - k - 1.0) * (n - k - 2.0) * rho;
            }
        }
        return Math.max(1, 1 + 2 * sum / (n * (n - 1.0) * (n - 2.0)));
    }

    /** Ranks 1..n, ties sharing their average rank. */
    private static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, c) -> Double.compare(values[a], values[c]));
        double[] rank = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                rank[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return rank;
    }

    private static BigDecimal median(List<BigDecimal> values) {
        List<BigDecimal> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        BigDecimal mid = sorted.get(n / 2);
        return n % 2 == 1 ? mid : sorted.get(n / 2 - 1).add(mid).divide(BigDecimal.valueOf(2), SCALE, RoundingMode.HALF_EVEN);
    }

    /**
     * Judges, in order, every month after the last judged one (from the first invoiced month) up to {@code latest}
     * and records the marks. Returns the verdicts, alerting or not.
     */
    public List<Verdict> closeThrough(RevenueHistory history, YearMonth latest) {
        List<Verdict> verdicts = new ArrayList<>();
        if (history.first() == null) {
            return verdicts;
        }
        YearMonth from = history.judgedThrough() == null ? history.first() : history.judgedThrough().plusMonths(1);
        for (YearMonth p = from; !p.isAfter(latest); p = p.plusMonths(1)) {
            Verdict v = judge(history, p);
            history.mark(p, v.mark());
            history.judgedThrough(p);
            verdicts.add(v);
        }
        return verdicts;
    }

    /** Judges {@code from} .. the last judged month again after a late line changed {@code from}'s revenue. */
    public List<Verdict> rejudge(RevenueHistory history, YearMonth from) {
        List<Verdict> verdicts = new ArrayList<>();
        YearMonth through = history.judgedThrough();
        if (through == null || from.isAfter(through)) {
            return verdicts;
        }
        for (YearMonth p = from; !p.isAfter(through); p = p.plusMonths(1)) {
            Verdict v = judge(history, p);
            history.mark(p, v.mark());
            verdicts.add(v);
        }
        return verdicts;
    }

    /** True when the whole baseline window up to and including {@code period} is zero: nothing left to judge. */
    public boolean dormant(RevenueHistory history, YearMonth period) {
        return history.series(period, settings.window()).stream().allMatch(v -> v.signum() == 0)
                && history.monthsBefore(period) >= settings.window();
    }

    /**
     * One scale for all three types: the size of the move in percent of the level it left, |r - c| / c for a
     * spike or drop (c the baseline median), the Theil-Sen decline for an erosion. Not a z: a drop's z is bounded
     * by its baseline's deviation, a move's size is what the money at risk grows with.
     */
    public double severityScore(Verdict v) {
        double score;
        if (v.trend() != null) {
            score = 100 * v.trend().decline();
        } else if (v.baseline() == null || v.baseline().median().signum() <= 0) {
            score = 0;     // not judged: nothing moved against anything
        } else {
            double c = v.baseline().median().doubleValue();
            score = 100 * Math.abs(v.revenue().doubleValue() - c) / c;
        }
        return Double.isFinite(score) ? Math.min(score, MAX_SCORE) : MAX_SCORE;
    }

    /**
     * Severity from the size of the move (percent): &lt;35 LOW, &lt;50 MEDIUM, &lt;75 HIGH, else CRITICAL. The alert
     * takes the lower of this and the money-based level of its amount.
     */
    public io.leakwatch.events.Severity severity(double score) {
        if (score >= 75) {
            return io.leakwatch.events.Severity.CRITICAL;
        }
        if (score >= 50) {
            return io.leakwatch.events.Severity.HIGH;
        }
        if (score >= 35) {
            return io.leakwatch.events.Severity.MEDIUM;
        }
        return io.leakwatch.events.Severity.LOW;
    }
}
