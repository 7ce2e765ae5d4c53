package io.leakwatch.detect.duplicate;

import io.leakwatch.events.InvoiceLine;
import io.leakwatch.money.MoneyFormat;

/**
 * What makes two invoice lines the same charge:
 * {@code (account_id, service, service_period_start, service_period_end, quantity, line_total, currency)}.
 * Decimals are compared by value ({@code 10.00 == 10}), instants as epoch millis. The key of the signature store;
 * it starts with the account, so it stays on the account's partition.
 */
public final class LineSignature {
    private LineSignature() {
    }

    public static String of(InvoiceLine line) {
        return String.join("|", line.getAccountId(), line.getService(),
                Long.toString(line.getServicePeriodStart().toEpochMilli()),
                Long.toString(line.getServicePeriodEnd().toEpochMilli()),
                MoneyFormat.plain(line.getQuantity()), MoneyFormat.plain(line.getLineTotal()), line.getCurrency());
    }
}
