package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.InvoiceLine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DUPLICATE_CHARGE: a clean whole-month line of a month without other month-level errors, at the options'
 * duplicate charge rate (at most one per month), is billed a second time, unchanged: on the account's next
 * invoice (line {@code L<n+1>}), or on a supplementary invoice {@code <invoice>-S1} issued 3-20 days after the
 * original. A supplementary invoice is only issued for a month before the world's last one, so it and its payment
 * stay well inside the world.
 * <pre>
 * label: evidence = copy invoice/line, amount = -(copied line total), period = the original's service month,
 *        judged when the copy is issued
 * </pre>
 */
final class DuplicateChargeInjector {
    /** What the copies change downstream: which months' invoices carry a copy, and the supplementary invoices. */
    record Result(boolean[] carriesCopy, List<PaymentPlanner.Invoice> supplementary) {
    }

    private DuplicateChargeInjector() {
    }

    /**
     * Copies lines of {@code invoices} (the account's invoices by month, empty when missing) onto the next month's
     * invoice, in place, or onto supplementary invoices, whose lines go straight to {@code sink}, like every label.
     * An invoice that carries a copy is paid in full; the supplementary invoices are returned to be paid.
     */
    static Result inject(Account account, GeneratorOptions options, SplittableRandom random,
                         List<List<BuiltLine>> invoices, boolean[] missing, Shortfall[] shortfalls,
                         WorldGenerator.Sink sink) {
        List<PaymentPlanner.Invoice> supplementary = new ArrayList<>();
        int billedMonths = account.billedMonths();
        boolean[] carries = new boolean[billedMonths];
        for (int month = 0; month < billedMonths; month++) {
            if (missing[month] || shortfalls[month] != null) {
                continue;
            }
            for (BuiltLine built : List.copyOf(invoices.get(month))) {
                if (!built.copyable() || random.nextDouble() >= options.duplicateChargeRate()) {
                    continue;
                }
                boolean next = month + 1 < billedMonths && !missing[month + 1] && !carries[month + 1];
                boolean supp = month <= options.months() - 2;
                if (!next && !supp) {
                    continue;
                }
                InvoiceLine original = built.line();
                InvoiceLine.Builder copy = InvoiceLine.newBuilder(original);
                if (next && (!supp || random.nextBoolean())) {
                    List<BuiltLine> carrier = invoices.get(month + 1);
                    InvoiceLine first = carrier.get(0).line();
                    copy.setInvoiceId(first.getInvoiceId())
                            .setLineId("L" + (carrier.size() + 1))
                            .setIssuedAt(first.getIssuedAt())
                            .setDueAt(first.getDueAt());
                    carries[month + 1] = true;
                    InvoiceLine line = copy.build();
                    carrier.add(new BuiltLine(line, false));
                    sink.labels.add(label(account, line, original, "billing glitch: line billed again on the next invoice"));
                } else {
                    Instant issued = original.getIssuedAt().plus(Duration.ofDays(3 + random.nextInt(18)))
                            .plus(Duration.ofMinutes(random.nextInt(12 * 60)));
                    copy.setInvoiceId(original.getInvoiceId() + "-S1")
                            .setLineId("L1")
                            .setIssuedAt(issued)
                            .setDueAt(issued.plus(WorldGenerator.PAYMENT_TERMS));
                    InvoiceLine line = copy.build();
                    sink.lines.add(line);
                    sink.labels.add(label(account, line, original,
                            "billing glitch: billing run repeated, supplementary invoice bills the line again"));
                    supplementary.add(new PaymentPlanner.Invoice(line.getInvoiceId(), account.id(), account.currency(),
                            issued, line.getDueAt(), line.getLineTotal(),
                            WorldGenerator.PERIOD.format(account.period(month))));
                }
                break;
            }
        }
        return new Result(carries, supplementary);
    }

    private static Judged label(Account account, InvoiceLine copy, InvoiceLine original, String cause) {
        String period = WorldGenerator.PERIOD.format(account.period(account.monthIndex(original.getServicePeriodStart())));
        return new Judged(new Label(AlertType.DUPLICATE_CHARGE.name(), account.id(),
                copy.getInvoiceId() + "/" + copy.getLineId(), copy.getLineTotal().negate(), account.currency(),
                copy.getInvoiceId(), copy.getLineId(), period, cause), copy.getIssuedAt());
    }
}
