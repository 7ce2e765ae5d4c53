package io.leakwatch.detect.payment;

import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What is known about one invoice of one account: its lines and the payments made against it. Kafka-free;
 * {@link PaymentRules} judges it, {@link InvoicePaymentProcessor} keeps one per {@code account|invoice_id}.
 *
 * <pre>
 * total       = Σ line_total over distinct line_id (a redelivered line replaces itself, it is not added twice)
 * currency    = the currency of the first line; lines in another currency are ignored
 * issued_at   = the earliest issued_at of the lines          (the alerts' event_time)
 * due         = the earliest of the lines' due_at, where a line without one is due at issued_at + default terms
 * as of t, over payments in the invoice's currency with attempted_at &lt;= t:
 *   paid        = Σ SUCCEEDED − Σ REFUNDED
 *   credited    = Σ CREDITED
 *   outstanding = total − paid − credited                    (exact; no rounding)
 * </pre>
 * Amounts of payments are taken as magnitudes (a refund written as -50 or 50 both reduce {@code paid} by 50).
 * A payment redelivered with the same {@code payment_id} and status is recorded once. PENDING and UNKNOWN
 * payments settle nothing and are not recorded. Payments may arrive before the invoice's lines: they are kept
 * and their currency is checked once the lines have fixed the invoice's currency.
 */
public final class InvoicePaymentState {

    /** One recorded payment event. */
    public record Entry(String paymentId, PaymentStatus status, BigDecimal amount, String currency, Instant attemptedAt,
                        String failureReason) {
        public Entry {
            Objects.requireNonNull(paymentId);
            Objects.requireNonNull(status);
            Objects.requireNonNull(currency);
            Objects.requireNonNull(attemptedAt);
            amount = amount.abs();
        }
    }

    /** Sums as of an instant, in the invoice's currency. */
    public record Amounts(BigDecimal total, BigDecimal paid, BigDecimal credited) {
        public BigDecimal outstanding() {
            return total.subtract(paid).subtract(credited);
        }
    }

    public enum LineOutcome { FIRST_LINE, ADDED, OTHER_CURRENCY }

    public enum PaymentOutcome { RECORDED, OTHER_CURRENCY, REDELIVERED, SETTLES_NOTHING }

    private final String accountId;
    private final String invoiceId;
    private String currency;
    private Instant issuedAt;
    private Instant dueAt;
    private final SortedMap<String, BigDecimal> lineTotals;
    private final List<Entry> payments;
    private boolean failureJudged;
    private boolean dueJudged;
    private Long wakeUp;

    private InvoicePaymentState(String accountId, String invoiceId) {
        this(accountId, invoiceId, null, null, null, new TreeMap<>(), new ArrayList<>(), false, false, null);
    }

    /** The full state, as the serde restores it. */
    public InvoicePaymentState(String accountId, String invoiceId, String currency, Instant issuedAt, Instant dueAt,
                        SortedMap<String, BigDecimal> lineTotals, List<Entry> payments, boolean failureJudged,
                        boolean dueJudged, Long wakeUp) {
        this.accountId = Objects.requireNonNull(accountId);
        this.invoiceId = Objects.requireNonNull(invoiceId);
        this.currency = currency;
        this.issuedAt = issuedAt;
        this.dueAt = dueAt;
        this.lineTotals = new TreeMap<>(lineTotals);
        this.payments = new ArrayList<>(payments);
        this.failureJudged = failureJudged;
        this.dueJudged = dueJudged;
        this.wakeUp = wakeUp;
    }

    public static InvoicePaymentState open(String accountId, String invoiceId) {
        return new InvoicePaymentState(accountId, invoiceId);
    }

    public LineOutcome addLine(InvoiceLine line, PaymentTerms terms) {
        boolean first = currency == null;
        if (!first && !currency.equals(line.getCurrency())) {
            return LineOutcome.OTHER_CURRENCY;
        }
        currency = line.getCurrency();
        lineTotals.put(line.getLineId(), line.getLineTotal());
        Instant issued = line.getIssuedAt();
        Instant due = line.getDueAt() != null ? line.getDueAt() : issued.plus(terms.defaultTerms());
        issuedAt = issuedAt == null || issued.isBefore(issuedAt) ? issued : issuedAt;
        dueAt = dueAt == null || due.isBefore(dueAt) ? due : dueAt;
        return first ? LineOutcome.FIRST_LINE : LineOutcome.ADDED;
    }

    public PaymentOutcome addPayment(Payment payment) {
        PaymentStatus status = payment.getStatus();
        if (status == PaymentStatus.PENDING || status == PaymentStatus.UNKNOWN) {
            return PaymentOutcome.SETTLES_NOTHING;
        }
        boolean seen = payments.stream()
                .anyMatch(p -> p.paymentId().equals(payment.getPaymentId()) && p.status() == status);
        if (seen) {
            return PaymentOutcome.REDELIVERED;
        }
        payments.add(new Entry(payment.getPaymentId(), status, payment.getAmount(), payment.getCurrency(),
                payment.getAttemptedAt(), payment.getFailureReason()));
        return currency != null && !currency.equals(payment.getCurrency())
                ? PaymentOutcome.OTHER_CURRENCY : PaymentOutcome.RECORDED;
    }

    public boolean hasLines() {
        return currency != null;
    }

    /** Payments recorded in a currency other than the invoice's (zero while the invoice's lines are unknown). */
    public long paymentsInOtherCurrency() {
        return currency == null ? 0 : payments.stream().filter(p -> !p.currency().equals(currency)).count();
    }

    /** Sums over the payments in the invoice's currency attempted at or before {@code asOf}. */
    public Amounts amountsAt(Instant asOf) {
        BigDecimal total = lineTotals.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal paid = BigDecimal.ZERO;
        BigDecimal credited = BigDecimal.ZERO;
        for (Entry p : counted(asOf)) {
            switch (p.status()) {
                case SUCCEEDED -> paid = paid.add(p.amount());
                case REFUNDED -> paid = paid.subtract(p.amount());
                case CREDITED -> credited = credited.add(p.amount());
                default -> {
                    // FAILED moves no money
                }
            }
        }
        return new Amounts(total, paid, credited);
    }

    /** Payments in the invoice's currency attempted at or before {@code asOf}, in attempt order. */
    public List<Entry> counted(Instant asOf) {
        return payments.stream()
                .filter(p -> p.currency().equals(currency) && !p.attemptedAt().isAfter(asOf))
                .sorted(Comparator.comparing(Entry::attemptedAt).thenComparing(Entry::paymentId))
                .toList();
    }

    /** The earliest FAILED attempt in the invoice's currency (any currency while the lines are unknown). */
    public Optional<Instant> firstFailure() {
        return payments.stream()
                .filter(p -> p.status() == PaymentStatus.FAILED && (currency == null || p.currency().equals(currency)))
                .map(Entry::attemptedAt)
                .min(Comparator.naturalOrder());
    }

    /** The earliest payment of any kind: the clock of an invoice whose lines have not arrived. */
    public Optional<Instant> firstPayment() {
        return payments.stream().map(Entry::attemptedAt).min(Comparator.naturalOrder());
    }

    public String accountId() {
        return accountId;
    }

    public String invoiceId() {
        return invoiceId;
    }

    public String currency() {
        return currency;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant dueAt() {
        return dueAt;
    }

    public SortedMap<String, BigDecimal> lineTotals() {
        return java.util.Collections.unmodifiableSortedMap(lineTotals);
    }

    public List<Entry> payments() {
        return List.copyOf(payments);
    }

    public boolean failureJudged() {
        return failureJudged;
    }

    public boolean dueJudged() {
        return dueJudged;
    }

    void markFailureJudged() {
        failureJudged = true;
    }

    void markDueJudged() {
        dueJudged = true;
    }

    /**
     * The instant (epoch ms) the invoice next needs a judgement, as its owner last worked it out; null = not worked out
     * since the invoice last changed. A cache, never stored.
     */
    public Long wakeUp() {
        return wakeUp;
    }

    public void wakeUp(Long epochMillis) {
        wakeUp = epochMillis;
    }
}
