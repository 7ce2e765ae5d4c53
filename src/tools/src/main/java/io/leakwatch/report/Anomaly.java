package io.leakwatch.report;

import io.leakwatch.events.Alert;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Comparator;

/**
 * One row of the anomaly report, read back from a REVENUE_* alert's evidence.
 *
 * @param baseline the figure the amount is measured against: trailing mean (spike, drop) or the start level of
 *                 the eroding run (erosion)
 */
public record Anomaly(String accountId, YearMonth period, String type, String severity, double severityScore,
                      BigDecimal revenue, BigDecimal baseline, BigDecimal percentVsBaseline, String z,
                      BigDecimal amount, String currency, String evidenceKey, String months) {

    /**
     * Highest severity level first (statistical strength capped by money at risk), then the severity score, then
     * the larger amount at risk, then account and period for a stable order.
     */
    public static final Comparator<Anomaly> RANKING = Comparator
            .comparing((Anomaly a) -> io.leakwatch.events.Severity.valueOf(a.severity())).reversed()
            .thenComparing(Comparator.comparingDouble(Anomaly::severityScore).reversed())
            .thenComparing(a -> a.amount().abs(), Comparator.reverseOrder())
            .thenComparing(Anomaly::accountId)
            .thenComparing(Anomaly::period);

    public static boolean isRevenueAlert(Alert alert) {
        return alert.getType().startsWith("REVENUE_");
    }

    public static Anomaly of(Alert alert) {
        var e = alert.getEvidence();
        return new Anomaly(alert.getAccountId(), YearMonth.parse(e.get("period")), alert.getType(),
                alert.getSeverity().name(), Double.parseDouble(e.get("severity_score")), new BigDecimal(e.get("revenue")),
                new BigDecimal(e.get("baseline_mean")), new BigDecimal(e.get("percent_vs_baseline")), e.get("z"),
                alert.getAmount().stripTrailingZeros(), alert.getCurrency(), alert.getEvidenceKey(), e.get("months"));
    }

    /** The first month of an erosion run (the period itself for a spike or drop). */
    public YearMonth firstMonth() {
        if (type.equals("REVENUE_EROSION") && months != null && months.contains("..")) {
            return YearMonth.parse(months.substring(0, months.indexOf("..")));
        }
        return period;
    }

    public String shortType() {
        return type.substring("REVENUE_".length());
    }
}
