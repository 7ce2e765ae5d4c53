package io.leakwatch.detect.duplicate;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.money.MoneyFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DUPLICATE_CHARGE (docs/detectors.md). Kafka-free: the processor looks up what it remembers and asks here.
 *
 * <pre>
 * id  = invoice_id/line_id,  sig = LineSignature.of(line),  near(a, b) = |a.issued_at - b.issued_at| &lt;= window
 * seen[id] with the same issued_at                      -> REDELIVERY (the identical record again; ignored)
 * seen[id] with another issued_at and near              -> DUPLICATE of (id, first issued_at)   (re-issued)
 * signatures[sig] on another id and near                -> DUPLICATE of signatures[sig]
 * otherwise                                             -> NEW (remembered: seen[id], signatures[sig] if free or stale)
 * DUPLICATE: amount = -line_total (over-billing), evidence key = the duplicate's id, evidence names the original
 *            (a credit given twice: -line_total is positive, revenue given away)
 * </pre>
 * A redelivery of a line that was judged a duplicate is a duplicate again (same alert id, suppressed downstream), so
 * a copy never reaches the per-line checks. The window is applied here, not only by purging, so the verdict does
 * not depend on when the purge happened to run.
 */
public final class DuplicateRule {
    private final long windowMs;

    public DuplicateRule(Duration window) {
        this.windowMs = window.toMillis();
    }

    /** The verdict on a line. */
    public sealed interface Verdict {
        /** Seen for the first time (or its previous copy is outside the window). */
        record New() implements Verdict {
        }

        /** The identical record again: same id, same issue time. */
        record Redelivery() implements Verdict {
        }

        /** A second charge for what {@code original} already billed. */
        record Duplicate(LineRef original) implements Verdict {
        }
    }

    /**
     * @param line          the arriving line (with an account: lines without one are not judged)
     * @param seen          what is remembered under its {@code invoice_id/line_id}, or null
     * @param signatureHeld the line first seen with its signature, or null
     */
    public Verdict judge(InvoiceLine line, SeenLine seen, LineRef signatureHeld) {
        long issuedAt = line.getIssuedAt().toEpochMilli();
        if (seen != null && near(seen.issuedAtMs(), issuedAt)) {
            if (seen.issuedAtMs() == issuedAt) {
                return seen.duplicateOf() != null ? new Verdict.Duplicate(seen.duplicateOf()) : new Verdict.Redelivery();
            }
            return new Verdict.Duplicate(new LineRef(line.getInvoiceId(), line.getLineId(), seen.issuedAtMs()));
        }
        if (signatureHeld != null && !signatureHeld.id().equals(InvoiceLineChecks.evidenceKey(line))
                && near(signatureHeld.issuedAtMs(), issuedAt)) {
            return new Verdict.Duplicate(signatureHeld);
        }
        return new Verdict.New();
    }

    /** Whether a remembered entry issued at {@code issuedAtMs} can still matter at stream time minus lateness. */
    public boolean expired(long issuedAtMs, long oldestAcceptedMs) {
        return issuedAtMs < expiredBefore(oldestAcceptedMs);
    }

    /** Remembered entries issued before this instant are {@link #expired}. */
    public long expiredBefore(long oldestAcceptedMs) {
        return oldestAcceptedMs - windowMs;
    }

    private boolean near(long a, long b) {
        return Math.abs(a - b) <= windowMs;
    }

    public Finding finding(InvoiceLine duplicate, LineRef original) {
        String currency = duplicate.getCurrency();
        String key = InvoiceLineChecks.evidenceKey(duplicate);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("invoice_id", duplicate.getInvoiceId());
        evidence.put("line_id", duplicate.getLineId());
        evidence.put("issued_at", duplicate.getIssuedAt().toString());
        evidence.put("service", duplicate.getService());
        evidence.put("service_period_start", duplicate.getServicePeriodStart().toString());
        evidence.put("service_period_end", duplicate.getServicePeriodEnd().toString());
        evidence.put("quantity", MoneyFormat.plain(duplicate.getQuantity()));
        evidence.put("billed_line_total", MoneyFormat.plain(duplicate.getLineTotal()));
        evidence.put("original_invoice_id", original.invoiceId());
        evidence.put("original_line_id", original.lineId());
        evidence.put("original_issued_at", original.issuedAt().toString());
        boolean reissued = original.id().equals(key);
        String explanation = reissued
                ? String.format("Invoice %s line %s, first issued %s, was issued again on %s: %s of %s billed twice.",
                        duplicate.getInvoiceId(), duplicate.getLineId(), original.issuedAt(), duplicate.getIssuedAt(),
                        MoneyFormat.format(duplicate.getLineTotal(), currency), duplicate.getService())
                : String.format("Invoice %s line %s charges %s for %s of the same period and quantity that invoice %s "
                                + "line %s (issued %s) already billed.",
                        duplicate.getInvoiceId(), duplicate.getLineId(),
                        MoneyFormat.format(duplicate.getLineTotal(), currency), duplicate.getService(),
                        original.invoiceId(), original.lineId(), original.issuedAt());
        String action = duplicate.getLineTotal().signum() < 0
                ? "Void the duplicate credit or invoice the customer " + MoneyFormat.format(
                        duplicate.getLineTotal().negate(), currency) + ", and check the billing run that produced it."
                : "Void the duplicate line or credit the customer " + MoneyFormat.format(duplicate.getLineTotal(), currency)
                  + ", and check the billing run that produced it.";
        return new Finding(AlertType.DUPLICATE_CHARGE, duplicate.getAccountId(), key, duplicate.getLineTotal().negate(),
                currency, duplicate.getServicePeriodStart(), evidence, explanation, action);
    }
}
