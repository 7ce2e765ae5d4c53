package io.leakwatch.generator;

import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payments of a generated world: every invoice is paid in full, on time, by one successful payment of the
 * invoiced total (what the customer was billed, errors included). Without them, every invoice of the world would
 * be an UNPAID_INVOICE, which it is not: no payment leakage is injected (yet), so none is labelled.
 *
 * <pre>
 * per invoice: amount = Σ line_total, currency = the lines' currency,
 *              attempted_at = issued_at + d days, d = 1 + (|hash(invoice_id)| mod 20), capped at the due date
 * </pre>
 * Derived from the lines alone (no draw from the world's random stream), so adding it changes no other file.
 */
public final class InvoiceSettlements {
    private static final int MAX_DAYS = 20;

    private InvoiceSettlements() {
    }

    public static List<Payment> of(List<InvoiceLine> lines) {
        Map<String, List<InvoiceLine>> byInvoice = new LinkedHashMap<>();
        for (InvoiceLine line : lines) {
            byInvoice.computeIfAbsent(line.getAccountId() + "|" + line.getInvoiceId(), k -> new ArrayList<>()).add(line);
        }
        List<Payment> payments = new ArrayList<>(byInvoice.size());
        for (List<InvoiceLine> invoice : byInvoice.values()) {
            InvoiceLine first = invoice.get(0);
            BigDecimal total = invoice.stream().map(InvoiceLine::getLineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
            Instant issued = invoice.stream().map(InvoiceLine::getIssuedAt).min(Comparator.naturalOrder()).orElseThrow();
            Instant paidAt = issued.plus(Duration.ofDays(1 + Math.floorMod(first.getInvoiceId().hashCode(), MAX_DAYS)));
            if (first.getDueAt() != null && paidAt.isAfter(first.getDueAt())) {
                paidAt = first.getDueAt();
            }
            payments.add(Payment.newBuilder()
                    .setPaymentId("pay-" + first.getInvoiceId())
                    .setAccountId(first.getAccountId())
                    .setInvoiceId(first.getInvoiceId())
                    .setAmount(total.setScale(4))
                    .setCurrency(first.getCurrency())
                    .setStatus(PaymentStatus.SUCCEEDED)
                    .setFailureReason(null)
                    .setAttempt(1)
                    .setAttemptedAt(paidAt)
                    .build());
        }
        payments.sort(Comparator.comparing(Payment::getAttemptedAt).thenComparing(Payment::getPaymentId));
        return payments;
    }
}
