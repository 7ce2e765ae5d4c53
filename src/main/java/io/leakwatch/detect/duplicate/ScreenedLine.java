package io.leakwatch.detect.duplicate;

import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;

/**
 * An invoice line after the duplicate screen: passed on ({@link Status#NEW} or {@link Status#REDELIVERY}) or
 * stopped as a duplicate, with the alert that says so.
 *
 * @param duplicateAlert the DUPLICATE_CHARGE alert when {@code status == DUPLICATE}, else null
 */
public record ScreenedLine(InvoiceLine line, Status status, Alert duplicateAlert) {

    public enum Status {
        /** First time seen: checked per line and counted in the period totals. */
        NEW,
        /** The identical record again: checked per line (alerts are idempotent), not counted again. */
        REDELIVERY,
        /** A second charge for a line already billed: reported, not checked per line. */
        DUPLICATE
    }

    public static ScreenedLine passed(InvoiceLine line, boolean redelivery) {
        return new ScreenedLine(line, redelivery ? Status.REDELIVERY : Status.NEW, null);
    }

    public static ScreenedLine duplicate(InvoiceLine line, Alert alert) {
        return new ScreenedLine(line, Status.DUPLICATE, alert);
    }

    public boolean isDuplicate() {
        return status == Status.DUPLICATE;
    }

    public boolean isRedelivery() {
        return status == Status.REDELIVERY;
    }

    /** No account_id on the line (missing or blank): it cannot be joined with a contract. */
    public boolean hasNoAccount() {
        String account = line.getAccountId();
        return account == null || account.isBlank();
    }
}
