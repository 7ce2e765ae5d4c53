package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The payments of one invoice, clean or with one labelled payment problem. Per invoice (docs/detectors.md):
 * <pre>
 * paid = sum SUCCEEDED - sum REFUNDED, credited = sum CREDITED, outstanding = total - paid - credited
 * </pre>
 * Clean invoices end with {@code outstanding = 0} by their due date: one full payment (usually), 2-3
 * partial payments, a failed attempt recovered within the 7-day retry window (some exactly on its last
 * instant), a credit note plus a payment of the rest, or a full payment later partly or wholly refunded
 * together with an equal credit note. Every record lies within 32 days of the invoice's issue, so a world's
 * payments never push stream time past the close of the month after its last billed month.
 */
final class PaymentPlanner {
    static final List<String> FAILURE_REASONS = List.of("insufficient_funds", "expired_card", "do_not_honor",
            "processing_error");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** What happens to an invoice's payments. */
    enum Plan { CLEAN, FULL_ONLY, FAILED_NOT_RECOVERED, UNPAID, UNDERPAID, STRUGGLING }

    /** An invoice to be paid. {@code period} is the billed month ({@code yyyy-MM}). */
    record Invoice(String invoiceId, String accountId, String currency, Instant issuedAt, Instant dueAt,
                   BigDecimal total, String period) {
    }

    /** The payments and, for an injected problem, its label. */
    record Outcome(List<Payment> payments, Optional<Judged> label) {
    }

    private final SplittableRandom random;
    private final Invoice invoice;
    private final BigDecimal minor;
    private final List<Draft> drafts = new ArrayList<>();

    private record Draft(Instant at, PaymentStatus status, BigDecimal amount, String reason) {
    }

    private PaymentPlanner(SplittableRandom random, Invoice invoice) {
        this.random = random;
        this.invoice = invoice;
        this.minor = Currencies.minorUnit(invoice.currency());
    }

    static Outcome plan(SplittableRandom random, Invoice invoice, Plan plan) {
        return new PaymentPlanner(random, invoice).run(plan);
    }

    private Outcome run(Plan plan) {
        BigDecimal total = invoice.total();
        if (total.compareTo(minor) < 0) {
            return new Outcome(List.of(), Optional.empty());
        }
        Optional<Judged> label = switch (plan) {
            case FULL_ONLY -> {
                succeed(after(invoice.issuedAt(), 1, 25), total);
                yield Optional.empty();
            }
            case CLEAN -> {
                clean();
                yield Optional.empty();
            }
            case STRUGGLING -> {
                struggling();
                yield Optional.empty();
            }
            case FAILED_NOT_RECOVERED -> failedNotRecovered();
            case UNPAID -> unpaid();
            case UNDERPAID -> underpaid();
        };
        return new Outcome(payments(), label);
    }

    private void clean() {
        BigDecimal total = invoice.total();
        Instant issued = invoice.issuedAt();
        double u = random.nextDouble();
        boolean divisible = total.compareTo(minor.multiply(BigDecimal.valueOf(10))) >= 0;
        if (!divisible || u < 0.72) {
            succeed(after(issued, 1, 25), total);
        } else if (u < 0.82) {
            int parts = 2 + random.nextInt(2);
            Instant at = after(issued, 1, 8);
            BigDecimal left = total;
            for (int i = 1; i < parts; i++) {
                BigDecimal part = share(left, 0.3, 0.7);
                succeed(at, part);
                left = left.subtract(part);
                at = at.plus(between(DAY, Duration.ofDays(9)));
            }
            succeed(at, left);
        } else if (u < 0.90) {
            Instant failed = after(issued, 1, 20);
            String reason = reason();
            fail(failed, reason);
            Instant last = failed;
            if (random.nextDouble() < 0.3) {
                last = failed.plus(between(HOUR, Duration.ofDays(3)));
                fail(last, reason);
            }
            Instant deadline = failed.plus(Judged.RETRY_WINDOW);
            // A retry exactly on the last instant of the window still recovers the failure.
            Instant retry = random.nextDouble() < 0.25 ? deadline : last.plus(between(HOUR, Duration.between(last, deadline)));
            succeed(retry, total);
        } else if (u < 0.96) {
            BigDecimal credit = share(total, 0.05, 0.5);
            Instant credited = after(issued, 1, 10);
            credit(credited, credit);
            succeed(credited.plus(between(HOUR, Duration.ofDays(10))), total.subtract(credit));
        } else {
            Instant paid = after(issued, 1, 15);
            succeed(paid, total);
            BigDecimal refund = random.nextDouble() < 0.4 ? total : share(total, 0.1, 0.5);
            Instant credited = paid.plus(between(DAY, Duration.ofDays(8)));
            credit(credited, refund);
            refund(credited.plus(HOUR), refund);
        }
    }

    /**
     * A clean invoice of an account in trouble: one to three failed attempts recovered within the retry window, or
     * the whole amount paid late, in the last days before the due date. Not a finding; a precursor.
     */
    private void struggling() {
        BigDecimal total = invoice.total();
        Instant issued = invoice.issuedAt();
        if (random.nextBoolean()) {
            succeed(after(issued, 20, 29), total);
            return;
        }
        Instant failed = after(issued, 1, 15);
        String reason = reason();
        fail(failed, reason);
        Instant deadline = failed.plus(Judged.RETRY_WINDOW);
        Instant last = failed;
        int retries = random.nextInt(3);
        for (int i = 0; i < retries; i++) {
            last = last.plus(between(HOUR, Duration.ofDays(2)));
            fail(last, reason);
        }
        Instant retry = last.isBefore(deadline) ? last.plus(between(HOUR, Duration.between(last, deadline))) : deadline;
        succeed(retry.isAfter(deadline) ? deadline : retry, total);
    }

    private Optional<Judged> failedNotRecovered() {
        BigDecimal total = invoice.total();
        Instant issued = invoice.issuedAt();
        Instant failed = after(issued, 2, 20);
        BigDecimal credited = BigDecimal.ZERO;
        if (random.nextDouble() < 0.2 && total.compareTo(minor.multiply(BigDecimal.TEN)) >= 0) {
            credited = share(total, 0.05, 0.4);
            credit(issued.plus(between(HOUR, Duration.between(issued, failed))), credited);
        }
        String reason = reason();
        fail(failed, reason);
        int retries = random.nextInt(4);
        Instant deadline = failed.plus(Judged.RETRY_WINDOW);
        List<Instant> retryTimes = new ArrayList<>();
        for (int i = 0; i < retries; i++) {
            retryTimes.add(failed.plus(between(HOUR, Duration.ofDays(6))));
        }
        retryTimes.sort(Comparator.naturalOrder());
        for (Instant at : retryTimes) {
            fail(at, reason.equals("processing_error") && random.nextBoolean() ? "insufficient_funds" : reason);
        }
        BigDecimal outstanding = total.subtract(credited);
        if (random.nextDouble() < 0.3) {
            // Collected later by dunning: the failure was still not recovered within the window.
            succeed(deadline.plus(between(HOUR, Duration.ofDays(4))), outstanding);
        }
        String cause = switch (reason) {
            case "expired_card" -> "expired payment method";
            case "insufficient_funds" -> "failed retries: insufficient funds";
            case "do_not_honor" -> "card declined by the issuer (do not honor), retries exhausted";
            default -> "payment processor errors, retries exhausted";
        };
        return Optional.of(label(AlertType.FAILED_PAYMENT_NOT_RECOVERED, outstanding, cause, deadline));
    }

    private Optional<Judged> unpaid() {
        BigDecimal total = invoice.total();
        BigDecimal credited = BigDecimal.ZERO;
        if (random.nextDouble() < 0.25 && total.compareTo(minor.multiply(BigDecimal.TEN)) >= 0) {
            credited = share(total, 0.05, 0.5);
            credit(after(invoice.issuedAt(), 1, 10), credited);
        }
        String cause = switch (random.nextInt(3)) {
            case 0 -> "invoice never collected: no payment method on file";
            case 1 -> "invoice sent to a stale billing contact";
            default -> "dunning never started for the invoice";
        };
        return Optional.of(label(AlertType.UNPAID_INVOICE, total.subtract(credited), cause,
                invoice.dueAt().plus(Judged.PAYMENT_GRACE)));
    }

    private Optional<Judged> underpaid() {
        BigDecimal total = invoice.total();
        BigDecimal fee = BigDecimal.valueOf(10 + random.nextInt(31))
                .multiply(minor.compareTo(BigDecimal.ONE) >= 0 ? BigDecimal.valueOf(100) : BigDecimal.ONE);
        BigDecimal paid;
        String cause;
        if (random.nextBoolean() && fee.compareTo(total) < 0) {
            paid = total.subtract(fee);
            cause = "customer short-paid: bank and wire fees deducted";
            succeed(after(invoice.issuedAt(), 1, 25), paid);
        } else if (total.compareTo(minor.multiply(BigDecimal.TEN)) >= 0) {
            paid = share(total, 0.3, 0.9);
            cause = "partial payment, balance never collected";
            Instant at = after(invoice.issuedAt(), 1, 12);
            if (random.nextBoolean()) {
                BigDecimal first = share(paid, 0.3, 0.7);
                succeed(at, first);
                succeed(at.plus(between(DAY, Duration.ofDays(10))), paid.subtract(first));
            } else {
                succeed(at, paid);
            }
        } else {
            paid = total.subtract(minor);
            cause = "customer short-paid by rounding";
            succeed(after(invoice.issuedAt(), 1, 25), paid);
        }
        return Optional.of(label(AlertType.UNDERPAYMENT, total.subtract(paid), cause,
                invoice.dueAt().plus(Judged.PAYMENT_GRACE)));
    }

    private Judged label(AlertType type, BigDecimal amount, String cause, Instant judgedAt) {
        return new Judged(new Label(type.name(), invoice.accountId(), invoice.invoiceId(), amount,
                invoice.currency(), invoice.invoiceId(), null, invoice.period(), cause), judgedAt);
    }

    /** The drafts as payments in time order, numbered {@code pay-<invoice>-<n>}; charges count attempts. */
    private List<Payment> payments() {
        List<Draft> ordered = new ArrayList<>(drafts);
        ordered.sort(Comparator.comparing(Draft::at));
        List<Payment> out = new ArrayList<>(ordered.size());
        int attempt = 0;
        for (int i = 0; i < ordered.size(); i++) {
            Draft d = ordered.get(i);
            boolean charge = d.status() == PaymentStatus.SUCCEEDED || d.status() == PaymentStatus.FAILED;
            if (charge) {
                attempt++;
            }
            out.add(Payment.newBuilder()
                    .setPaymentId("pay-" + invoice.invoiceId() + "-" + (i + 1))
                    .setAccountId(invoice.accountId())
                    .setInvoiceId(invoice.invoiceId())
                    .setAmount(Pricing.total(d.amount()))
                    .setCurrency(invoice.currency())
                    .setStatus(d.status())
                    .setFailureReason(d.reason())
                    .setAttempt(charge ? attempt : 1)
                    .setAttemptedAt(d.at())
                    .build());
        }
        return out;
    }

    private void succeed(Instant at, BigDecimal amount) {
        drafts.add(new Draft(at, PaymentStatus.SUCCEEDED, amount, null));
    }

    private void fail(Instant at, String reason) {
        drafts.add(new Draft(at, PaymentStatus.FAILED, invoice.total(), reason));
    }

    private void credit(Instant at, BigDecimal amount) {
        drafts.add(new Draft(at, PaymentStatus.CREDITED, amount, null));
    }

    private void refund(Instant at, BigDecimal amount) {
        drafts.add(new Draft(at, PaymentStatus.REFUNDED, amount, null));
    }

    private String reason() {
        return FAILURE_REASONS.get(random.nextInt(FAILURE_REASONS.size()));
    }

    /** A share of {@code amount} between the fractions, rounded to the minor unit, strictly inside (0, amount). */
    private BigDecimal share(BigDecimal amount, double low, double high) {
        BigDecimal part = amount.multiply(BigDecimal.valueOf(random.nextDouble(low, high)))
                .setScale(minor.scale(), RoundingMode.HALF_EVEN);
        if (part.compareTo(minor) < 0) {
            part = minor;
        }
        if (part.compareTo(amount) >= 0) {
            part = amount.subtract(minor);
        }
        return part;
    }

    /** A whole second between {@code days} and {@code maxDays} days after {@code from}. */
    private Instant after(Instant from, int days, int maxDays) {
        return from.plus(between(Duration.ofDays(days), Duration.ofDays(maxDays)));
    }

    /** A duration in whole seconds in {@code [low, high)}. */
    private Duration between(Duration low, Duration high) {
        long span = high.minus(low).toSeconds();
        return span <= 0 ? low : low.plusSeconds(random.nextLong(span));
    }
}
