package io.leakwatch.detect.unattributed;

import io.leakwatch.events.InvoiceLine;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;

/**
 * One invoice line as the period totals see it: its billing period (of {@code service_period_start}), currency,
 * {@code line_total}, and whether it is attributed (an account with a contract at the line's time).
 */
public record BilledLine(BillingPeriod period, String currency, BigDecimal amount, boolean attributed) {

    public static BilledLine attributed(InvoiceLine line) {
        return of(line, true);
    }

    public static BilledLine unattributed(InvoiceLine line) {
        return of(line, false);
    }

    private static BilledLine of(InvoiceLine line, boolean attributed) {
        return new BilledLine(BillingPeriod.of(line.getServicePeriodStart()), line.getCurrency(), line.getLineTotal(),
                attributed);
    }
}
