package io.leakwatch.detect.unattributed;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;

/**
 * Totals of one billing period in one currency: what was billed to no known account, and what was billed at all.
 * The same shape serves a task's running tally, the partial it sends when the period closes, and the sum of the
 * partials of all tasks.
 *
 * @param period             {@code yyyy-MM}
 * @param unattributedAmount {@code Σ line_total} of unattributed lines
 * @param unattributedLines  how many unattributed lines
 * @param billedAmount       {@code Σ line_total} of all lines, attributed or not
 * @param billedLines        how many lines in all
 */
public record PeriodTotals(String period, String currency, BigDecimal unattributedAmount, long unattributedLines,
                           BigDecimal billedAmount, long billedLines) {

    public static PeriodTotals empty(BillingPeriod period, String currency) {
        return new PeriodTotals(period.name(), currency, BigDecimal.ZERO, 0, BigDecimal.ZERO, 0);
    }

    /** {@code yyyy-MM/CCY}: the store key and the alert's evidence key. */
    public static String key(BillingPeriod period, String currency) {
        return period.name() + "/" + currency;
    }

    @JsonIgnore
    public String key() {
        return period + "/" + currency;
    }

    @JsonIgnore
    public BillingPeriod billingPeriod() {
        return BillingPeriod.parse(period);
    }

    public PeriodTotals with(BilledLine line) {
        return new PeriodTotals(period, currency,
                line.attributed() ? unattributedAmount : unattributedAmount.add(line.amount()),
                line.attributed() ? unattributedLines : unattributedLines + 1,
                billedAmount.add(line.amount()), billedLines + 1);
    }

    public PeriodTotals plus(PeriodTotals other) {
        if (!key().equals(other.key())) {
            throw new IllegalArgumentException("cannot add totals of " + other.key() + " to " + key());
        }
        return new PeriodTotals(period, currency, unattributedAmount.add(other.unattributedAmount),
                unattributedLines + other.unattributedLines, billedAmount.add(other.billedAmount),
                billedLines + other.billedLines);
    }
}
