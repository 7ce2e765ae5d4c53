package io.leakwatch.detect.payment;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.money.Currencies;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The payment rules of docs/detectors.md ("Payments"), per invoice, judged on an {@link InvoicePaymentState}.
 * Kafka-free. Every judgement is made as of its own instant J (only payments with {@code attempted_at <= J}
 * count), so the result does not depend on when the caller gets round to judging.
 *
 * <pre>
 * f = the first FAILED attempt;  J = f + retry-window
 *   FAILED_PAYMENT_NOT_RECOVERED at J  when no SUCCEEDED payment has attempted_at &lt;= J
 *                                       and outstanding(J) &gt;= one minor unit;   amount = outstanding(J)
 *   (at most one per invoice: later failures are covered by this judgement)
 * D = due + grace
 *   UNPAID_INVOICE at D  when paid(D) &lt;= 0, no FAILED attempt &lt;= D, outstanding(D) &gt;= one minor unit
 *   UNDERPAYMENT   at D  when paid(D) &gt; 0,                         outstanding(D) &gt;= one minor unit
 *   amount = outstanding(D)
 * evidence key = invoice_id; event_time = the invoice's issue time; detected_at = J or D
 * </pre>
 * An invoice whose lines have not arrived cannot be judged (no total, no currency, no due date): its payments are
 * kept until {@code first payment + default terms} and then abandoned. A failure judgement that falls due while
 * the lines are unknown is made as soon as they arrive, still as of J. Once all judgements are made the state is
 * kept until {@code issued_at + line lateness} (after which ingest refuses the invoice's lines as late), then
 * forgotten; a payment arriving after that starts a new, line-less state and is eventually abandoned.
 */
public final class PaymentRules {

    /** A finding and the instant it was judged at (its {@code detected_at}). */
    public record Judged(Finding finding, Instant detectedAt) {
    }

    /**
     * @param findings  what the judgements due by then found, in order of their instants
     * @param finished  nothing is left to judge: the state can be forgotten
     * @param abandoned the invoice's lines never arrived and its payments are forgotten unjudged
     */
    public record Outcome(List<Judged> findings, boolean finished, boolean abandoned) {
    }

    private final PaymentTerms terms;

    public PaymentRules(PaymentTerms terms) {
        this.terms = terms;
    }

    /**
     * When the state next needs attention: the earliest judgement still to make; when all are made, the instant
     * it may be forgotten ({@code issued_at + line lateness}); for an invoice whose lines are unknown, the instant
     * its payments are abandoned ({@code first payment + default terms}).
     */
    public Optional<Instant> nextWakeUp(InvoicePaymentState state) {
        if (!state.hasLines()) {
            return state.firstPayment().map(t -> t.plus(terms.defaultTerms()));
        }
        return Optional.of(nextJudgement(state).orElse(forgetAt(state)));
    }

    /** The earliest judgement still to make; empty when all are made (or the invoice's lines are unknown). */
    public Optional<Instant> nextJudgement(InvoicePaymentState state) {
        return nextJudgement(state, Instant.MAX);
    }

    /**
     * The earliest judgement still to make of a failure or a due date at or before {@code by} (the end of a history
     * judged as if every grace had passed); empty when there is none.
     */
    public Optional<Instant> nextJudgement(InvoicePaymentState state, Instant by) {
        if (!state.hasLines()) {
            return Optional.empty();
        }
        Instant next = null;
        if (!state.failureJudged() && state.firstFailure().isPresent() && !state.firstFailure().get().isAfter(by)) {
            next = state.firstFailure().get().plus(terms.retryWindow());
        }
        if (!state.dueJudged() && !state.dueAt().isAfter(by)) {
            Instant due = state.dueAt().plus(terms.grace());
            next = next == null || due.isBefore(next) ? due : next;
        }
        return Optional.ofNullable(next);
    }

    /** Makes every judgement whose instant is at or before {@code upTo}, and marks it done in the state. */
    public Outcome judgeUpTo(InvoicePaymentState state, Instant upTo) {
        return judgeUpTo(state, upTo, Instant.MAX);
    }

    /**
     * Makes every judgement whose instant is at or before {@code upTo} of a failure or a due date at or before
     * {@code by} (see {@link #nextJudgement(InvoicePaymentState, Instant)}), and marks it done in the state.
     */
    public Outcome judgeUpTo(InvoicePaymentState state, Instant upTo, Instant by) {
        if (!state.hasLines()) {
            boolean expired = nextWakeUp(state).map(t -> !t.isAfter(upTo)).orElse(true);
            return new Outcome(List.of(), expired, expired);
        }
        List<Judged> found = new ArrayList<>(2);
        Optional<Instant> failure = state.firstFailure();
        if (!state.failureJudged() && failure.isPresent() && !failure.get().isAfter(by)) {
            Instant judgedAt = failure.get().plus(terms.retryWindow());
            if (!judgedAt.isAfter(upTo)) {
                state.markFailureJudged();
                failedNotRecovered(state, judgedAt).ifPresent(f -> found.add(new Judged(f, judgedAt)));
            }
        }
        Instant dueJudgement = state.dueAt().plus(terms.grace());
        if (!state.dueJudged() && !dueJudgement.isAfter(upTo) && !state.dueAt().isAfter(by)) {
            state.markDueJudged();
            unpaidOrUnderpaid(state, dueJudgement).ifPresent(f -> found.add(new Judged(f, dueJudgement)));
        }
        found.sort(Comparator.comparing(Judged::detectedAt));
        boolean finished = nextJudgement(state).isEmpty() && !forgetAt(state).isAfter(upTo);
        return new Outcome(List.copyOf(found), finished, false);
    }

    private Instant forgetAt(InvoicePaymentState state) {
        return state.issuedAt().plus(terms.lineLateness());
    }

    private Optional<Finding> failedNotRecovered(InvoicePaymentState state, Instant judgedAt) {
        List<InvoicePaymentState.Entry> counted = state.counted(judgedAt);
        boolean recovered = counted.stream().anyMatch(p -> p.status() == PaymentStatus.SUCCEEDED);
        InvoicePaymentState.Amounts amounts = state.amountsAt(judgedAt);
        if (recovered || !atLeastOneMinorUnit(amounts.outstanding(), state.currency())) {
            return Optional.empty();
        }
        String ccy = state.currency();
        Instant failedAt = state.firstFailure().orElseThrow();
        Set<String> reasons = failureReasons(counted);
        String explanation = String.format(
                "A payment of %s for invoice %s failed on %s%s and was not successfully retried within %s, so %s is still unpaid.",
                money(amounts.total(), ccy), state.invoiceId(), day(failedAt),
                reasons.isEmpty() ? "" : " (" + String.join(", ", reasons) + ")", days(terms.retryWindow()),
                money(amounts.outstanding(), ccy));
        String action = "Ask the customer for an updated card or another payment method and retry the charge of "
                + money(amounts.outstanding(), ccy) + " for invoice " + state.invoiceId() + ".";
        return Optional.of(finding(AlertType.FAILED_PAYMENT_NOT_RECOVERED, state, amounts, counted, judgedAt,
                explanation, action));
    }

    private Optional<Finding> unpaidOrUnderpaid(InvoicePaymentState state, Instant judgedAt) {
        List<InvoicePaymentState.Entry> counted = state.counted(judgedAt);
        InvoicePaymentState.Amounts amounts = state.amountsAt(judgedAt);
        String ccy = state.currency();
        if (!atLeastOneMinorUnit(amounts.outstanding(), ccy)) {
            return Optional.empty();
        }
        String credit = amounts.credited().signum() > 0
                ? " (" + money(amounts.credited(), ccy) + " of it credited)" : "";
        if (amounts.paid().signum() > 0) {
            String explanation = String.format(
                    "Invoice %s for %s%s was due on %s and %s later only %s has been paid, leaving %s outstanding.",
                    state.invoiceId(), money(amounts.total(), ccy), credit, day(state.dueAt()), days(terms.grace()),
                    money(amounts.paid(), ccy), money(amounts.outstanding(), ccy));
            String action = "Ask the customer's billing contact to pay the remaining " + money(amounts.outstanding(), ccy)
                    + " of invoice " + state.invoiceId() + ", or issue a credit note if the difference was agreed.";
            return Optional.of(finding(AlertType.UNDERPAYMENT, state, amounts, counted, judgedAt, explanation, action));
        }
        boolean failed = counted.stream().anyMatch(p -> p.status() == PaymentStatus.FAILED);
        if (failed) {
            return Optional.empty();
        }
        String explanation = String.format(
                "Invoice %s for %s%s was due on %s and nothing has been paid %s later.",
                state.invoiceId(), money(amounts.total(), ccy), credit, day(state.dueAt()), days(terms.grace()));
        String action = "Contact the customer's billing contact about invoice " + state.invoiceId()
                + " and start dunning for " + money(amounts.outstanding(), ccy) + ".";
        return Optional.of(finding(AlertType.UNPAID_INVOICE, state, amounts, counted, judgedAt, explanation, action));
    }

    private static Finding finding(AlertType type, InvoicePaymentState state, InvoicePaymentState.Amounts amounts,
                                   List<InvoicePaymentState.Entry> counted, Instant judgedAt, String explanation,
                                   String action) {
        String ccy = state.currency();
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("invoice_id", state.invoiceId());
        evidence.put("issued_at", state.issuedAt().toString());
        evidence.put("due_at", state.dueAt().toString());
        evidence.put("judged_at", judgedAt.toString());
        evidence.put("lines", Integer.toString(state.lineTotals().size()));
        evidence.put("total", exact(amounts.total(), ccy));
        evidence.put("paid", exact(amounts.paid(), ccy));
        evidence.put("credited", exact(amounts.credited(), ccy));
        evidence.put("outstanding", exact(amounts.outstanding(), ccy));
        List<InvoicePaymentState.Entry> attempts = counted.stream()
                .filter(p -> p.status() == PaymentStatus.SUCCEEDED || p.status() == PaymentStatus.FAILED)
                .toList();
        evidence.put("attempts", Integer.toString(attempts.size()));
        evidence.put("failed_attempts",
                Long.toString(attempts.stream().filter(p -> p.status() == PaymentStatus.FAILED).count()));
        Set<String> reasons = failureReasons(counted);
        if (!reasons.isEmpty()) {
            evidence.put("failure_reasons", String.join(",", reasons));
        }
        if (!attempts.isEmpty()) {
            evidence.put("last_attempt_at", attempts.get(attempts.size() - 1).attemptedAt().toString());
        }
        return new Finding(type, state.accountId(), state.invoiceId(), amounts.outstanding(), ccy, state.issuedAt(),
                evidence, explanation, action);
    }

    /** Distinct failure reasons in the order they first occurred. */
    private static Set<String> failureReasons(List<InvoicePaymentState.Entry> counted) {
        Set<String> reasons = new LinkedHashSet<>();
        counted.stream()
                .filter(p -> p.status() == PaymentStatus.FAILED && p.failureReason() != null && !p.failureReason().isBlank())
                .forEach(p -> reasons.add(p.failureReason()));
        return reasons;
    }

    private static boolean atLeastOneMinorUnit(BigDecimal outstanding, String currency) {
        return outstanding.compareTo(Currencies.minorUnit(currency)) >= 0;
    }

    private static String money(BigDecimal amount, String currency) {
        return MoneyFormat.format(amount, currency);
    }

    /** The exact amount, with at least the currency's minor digits: "500.00", "12.3456". */
    static String exact(BigDecimal amount, String currency) {
        BigDecimal stripped = amount.stripTrailingZeros();
        int digits = Currencies.minorUnitDigits(currency);
        return (stripped.scale() < digits ? stripped.setScale(digits) : stripped).toPlainString();
    }

    private static String day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    private static String days(Duration duration) {
        long d = duration.toDays();
        if (Duration.ofDays(d).equals(duration)) {
            return d == 1 ? "1 day" : d + " days";
        }
        long h = duration.toHours();
        return Duration.ofHours(h).equals(duration) ? (h == 1 ? "1 hour" : h + " hours") : duration.toString();
    }
}
