package io.leakwatch.detect.baseline;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.detect.baseline.BaselineRule.Verdict;
import io.leakwatch.detect.baseline.RevenueHistory.Mark;
import io.leakwatch.money.Currencies;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an alerting {@link Verdict} into a {@link Finding}.
 *
 * <pre>
 * REVENUE_DROP   key yyyy-MM           amount = round(c - r)            (revenue lost, positive; c = baseline median)
 * REVENUE_SPIKE  key yyyy-MM           amount = -round(r - c)           (potential over-billing, negative)
 * REVENUE_EROSION key erosion/yyyy-MM  amount = round(a - r)            (a = Theil-Sen start level of the run;
 *                (the last month of the eroding run)                     monthly revenue lost since it began)
 * round = HALF_EVEN to the currency's minor unit
 * </pre>
 * Evidence: {@code period, revenue, baseline_mean (the baseline median), baseline_scale (the robust deviation z is
 * measured in), baseline_periods, baseline_std, percent_vs_baseline, z,
 * severity_score, months}; erosion adds {@code erosion_periods, erosion_start_level, erosion_pct,
 * slope_per_period, trend_z}. For an erosion {@code baseline_mean} is the run's start level and {@code z} the
 * Mann-Kendall Z, so {@code percent_vs_baseline} and the amount are measured against the level that eroded.
 */
public final class RevenueFindings {
    private RevenueFindings() {
    }

    public static String evidenceKey(Verdict v) {
        return v.trend() != null ? "erosion/" + v.period() : v.period().toString();
    }

    /** The baseline the amount is measured against: trailing median, or the erosion run's start level. */
    public static BigDecimal reference(Verdict v) {
        return v.trend() != null ? v.trend().startLevel() : v.baseline().median();
    }

    /** Signed amount at risk per the formulas above. */
    public static BigDecimal amount(Verdict v, String currency) {
        BigDecimal lost = Currencies.round(reference(v).subtract(v.revenue()), currency);
        return lost.signum() == 0 ? lost.abs() : lost;
    }

    /** (r - baseline) / baseline in percent, one decimal. */
    public static BigDecimal percentVsBaseline(Verdict v) {
        BigDecimal ref = reference(v);
        if (ref.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return v.revenue().subtract(ref).multiply(BigDecimal.valueOf(100)).divide(ref, 1, RoundingMode.HALF_EVEN);
    }

    public static AlertType type(Mark mark) {
        return switch (mark) {
            case SPIKE -> AlertType.REVENUE_SPIKE;
            case DROP -> AlertType.REVENUE_DROP;
            case EROSION -> AlertType.REVENUE_EROSION;
            default -> throw new IllegalArgumentException(mark + " does not alert");
        };
    }

    public static Optional<Finding> finding(String account, String currency, Verdict v, BaselineRule rule) {
        if (!v.alerts()) {
            return Optional.empty();
        }
        AlertType type = type(v.mark());
        BigDecimal amount = amount(v, currency);
        BigDecimal ref = reference(v);
        BigDecimal pct = percentVsBaseline(v);
        double score = rule.severityScore(v);
        BillingPeriod period = new BillingPeriod(v.period());
        String baselineMonths = range(v.baseline().from(), v.baseline().to());

        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("period", v.period().toString());
        evidence.put("revenue", MoneyFormat.plain(Currencies.round(v.revenue(), currency)));
        evidence.put("baseline_mean", MoneyFormat.plain(Currencies.round(ref, currency)));
        evidence.put("baseline_scale", decimal(v.revenue().compareTo(ref) < 0 ? v.baseline().effectiveDropStd()
                : v.baseline().effectiveStd(), 2));
        evidence.put("baseline_periods", baselineMonths);
        evidence.put("baseline_std", decimal(v.baseline().std(), 2));
        evidence.put("percent_vs_baseline", pct.toPlainString());
        evidence.put("severity_score", decimal(score, 2));
        evidence.put("currency", currency);
        String prices = "";
        if (v.baseline().repriced()) {
            evidence.put("baseline_prices", "restated at " + v.period() + "'s contract rates");
            prices = ", restated at this month's contract rates";
        }

        String explanation;
        String action;
        String money = MoneyFormat.format(v.revenue(), currency);
        String base = MoneyFormat.format(Currencies.round(ref, currency), currency);
        if (type == AlertType.REVENUE_EROSION) {
            var t = v.trend();
            String run = range(t.from(), t.to());
            evidence.put("z", decimal(t.mannKendallZ(), 2));
            evidence.put("months", run);
            evidence.put("erosion_periods", run);
            evidence.put("erosion_start_level", MoneyFormat.plain(Currencies.round(t.startLevel(), currency)));
            evidence.put("erosion_pct", decimal(100 * t.decline(), 1));
            evidence.put("slope_per_period", MoneyFormat.plain(Currencies.round(t.slope(), currency)));
            evidence.put("trend_z", decimal(t.mannKendallZ(), 2));
            explanation = String.format(Locale.ROOT,
                    "Revenue of %s has declined steadily over %s: from about %s to %s in %s (%s%% vs the start level;"
                    + " trend %s per month, Mann-Kendall Z = %.2f%s), without any single month standing out.",
                    account, run, base, money, v.period(), pct.toPlainString(),
                    MoneyFormat.format(Currencies.round(t.slope(), currency), currency), t.mannKendallZ(), prices);
            action = "Review usage, seats and discounts with the account owner: a slow decline often precedes churn."
                    + " At the current level the account brings " + MoneyFormat.format(amount, currency)
                    + " a month less than when the decline began.";
        } else {
            evidence.put("z", decimal(v.z(), 2));
            evidence.put("months", v.period() + " vs " + baselineMonths);
            boolean drop = type == AlertType.REVENUE_DROP;
            explanation = String.format(Locale.ROOT,
                    "Revenue of %s for %s was %s, %s%% %s its baseline of %s (the level of %s%s, z = %.2f).",
                    account, v.period(), money, pct.abs().toPlainString(), drop ? "below" : "above", base,
                    baselineMonths, prices, v.z());
            action = drop
                    ? "Check whether " + v.period() + " was fully invoiced (missing or short invoice), or whether the"
                      + " customer churned or downgraded; bill what is missing."
                    : "Check the " + v.period() + " invoices for duplicate or mis-rated charges before the customer"
                      + " disputes them; if this is a real expansion, no action is needed.";
        }
        return Optional.of(new Finding(type, account, evidenceKey(v), amount, currency, period.start(), evidence,
                explanation, action));
    }

    private static String range(YearMonth from, YearMonth to) {
        return from.equals(to) ? from.toString() : from + ".." + to;
    }

    private static String decimal(double value, int digits) {
        if (!Double.isFinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }
}
