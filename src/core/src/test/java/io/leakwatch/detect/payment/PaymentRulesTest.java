package io.leakwatch.detect.payment;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.testing.Events;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The payment formulas of docs/detectors.md as plain Java: no Kafka, explicit UTC instants. */
class PaymentRulesTest {
    private static final PaymentTerms TERMS =
            new PaymentTerms(Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(7));
    private static final PaymentRules RULES = new PaymentRules(TERMS);
    private static final Instant ISSUED = at("2026-03-01T00:00:00Z");
    private static final Instant DUE_PLUS_GRACE = at("2026-04-03T00:00:00Z");
    private static final Instant FAILED_AT = at("2026-03-05T00:00:00Z");
    private static final Instant RETRY_DEADLINE = at("2026-03-12T00:00:00Z");

    private static InvoiceLine invoiceLine(String lineId, String total, String currency) {
        return line("acct-1", "inv-1", lineId, "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                total, "1", total, currency, ISSUED.toString());
    }

    private static Payment pay(String id, String amount, PaymentStatus status, Instant at) {
        return Events.payment("acct-1", id, "inv-1", amount, "USD", status, at.toString());
    }

    private static InvoicePaymentState invoiceOf(String total) {
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-1");
        state.addLine(invoiceLine("L1", total, "USD"), TERMS);
        return state;
    }

    @Test
    void shouldComputeOutstandingAsTotalMinusPaidMinusCredited() {
        InvoicePaymentState state = invoiceOf("1000.00");
        state.addPayment(pay("p1", "700.00", PaymentStatus.SUCCEEDED, at("2026-03-10T00:00:00Z")));
        state.addPayment(pay("r1", "100.00", PaymentStatus.REFUNDED, at("2026-03-11T00:00:00Z")));
        state.addPayment(pay("c1", "250.00", PaymentStatus.CREDITED, at("2026-03-12T00:00:00Z")));
        state.addPayment(pay("f1", "999.00", PaymentStatus.FAILED, at("2026-03-09T00:00:00Z")));

        InvoicePaymentState.Amounts amounts = state.amountsAt(DUE_PLUS_GRACE);

        assertThat(amounts.total()).isEqualByComparingTo("1000.00");
        assertThat(amounts.paid()).isEqualByComparingTo("600.00");
        assertThat(amounts.credited()).isEqualByComparingTo("250.00");
        assertThat(amounts.outstanding()).isEqualByComparingTo("150.00");
    }

    @Test
    void shouldCountOnlyPaymentsAttemptedAtOrBeforeTheInstant() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("p1", "200.00", PaymentStatus.SUCCEEDED, DUE_PLUS_GRACE));
        state.addPayment(pay("p2", "300.00", PaymentStatus.SUCCEEDED, DUE_PLUS_GRACE.plusMillis(1)));

        assertThat(state.amountsAt(DUE_PLUS_GRACE).paid()).isEqualByComparingTo("200.00");
    }

    @Test
    void shouldCountARedeliveredLineOnce() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addLine(invoiceLine("L1", "500.00", "USD"), TERMS);
        state.addLine(invoiceLine("L2", "20.00", "USD"), TERMS);

        assertThat(state.amountsAt(DUE_PLUS_GRACE).total()).isEqualByComparingTo("520.00");
    }

    @Test
    void shouldIgnoreALineInAnotherCurrency() {
        InvoicePaymentState state = invoiceOf("500.00");

        assertThat(state.addLine(invoiceLine("L2", "20.00", "EUR"), TERMS))
                .isEqualTo(InvoicePaymentState.LineOutcome.OTHER_CURRENCY);
        assertThat(state.amountsAt(DUE_PLUS_GRACE).total()).isEqualByComparingTo("500.00");
    }

    @Test
    void shouldRecordARedeliveredPaymentOnce() {
        InvoicePaymentState state = invoiceOf("500.00");
        Payment p = pay("p1", "200.00", PaymentStatus.SUCCEEDED, at("2026-03-10T00:00:00Z"));

        assertThat(state.addPayment(p)).isEqualTo(InvoicePaymentState.PaymentOutcome.RECORDED);
        assertThat(state.addPayment(p)).isEqualTo(InvoicePaymentState.PaymentOutcome.REDELIVERED);
        assertThat(state.amountsAt(DUE_PLUS_GRACE).paid()).isEqualByComparingTo("200.00");
    }

    @Test
    void shouldNotRecordPendingPayments() {
        InvoicePaymentState state = invoiceOf("500.00");

        assertThat(state.addPayment(pay("p1", "500.00", PaymentStatus.PENDING, at("2026-03-10T00:00:00Z"))))
                .isEqualTo(InvoicePaymentState.PaymentOutcome.SETTLES_NOTHING);
        assertThat(state.payments()).isEmpty();
    }

    @Test
    void shouldIgnoreAndReportAPaymentInAnotherCurrencyOnceTheInvoiceCurrencyIsKnown() {
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-1");
        state.addPayment(Events.payment("acct-1", "p1", "inv-1", "500.00", "EUR", PaymentStatus.SUCCEEDED,
                "2026-02-28T00:00:00Z"));
        assertThat(state.paymentsInOtherCurrency()).isZero();

        state.addLine(invoiceLine("L1", "500.00", "USD"), TERMS);

        assertThat(state.paymentsInOtherCurrency()).isEqualTo(1);
        assertThat(state.amountsAt(DUE_PLUS_GRACE).paid()).isEqualByComparingTo("0");
    }

    @Test
    void shouldDueAtIssuePlusDefaultTermsWhenTheLineHasNoDueDate() {
        InvoicePaymentState state = invoiceOf("500.00");

        assertThat(state.dueAt()).isEqualTo(at("2026-03-31T00:00:00Z"));
        assertThat(RULES.nextWakeUp(state)).contains(DUE_PLUS_GRACE);
    }

    @Test
    void shouldUseTheLinesDueDateWhenGiven() {
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-1");
        InvoiceLine line = invoiceLine("L1", "500.00", "USD");
        line.setDueAt(at("2026-03-15T00:00:00Z"));
        state.addLine(line, TERMS);

        assertThat(RULES.nextWakeUp(state)).contains(at("2026-03-18T00:00:00Z"));
    }

    @Test
    void shouldRecoverAFailureWithASuccessExactlyAtTheEndOfTheRetryWindow() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("f1", "500.00", PaymentStatus.FAILED, FAILED_AT));
        state.addPayment(pay("p1", "500.00", PaymentStatus.SUCCEEDED, RETRY_DEADLINE));

        assertThat(RULES.judgeUpTo(state, RETRY_DEADLINE).findings()).isEmpty();
    }

    @Test
    void shouldNotRecoverAFailureWithASuccessOneMillisecondAfterTheRetryWindow() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("f1", "500.00", PaymentStatus.FAILED, FAILED_AT));
        state.addPayment(pay("p1", "500.00", PaymentStatus.SUCCEEDED, RETRY_DEADLINE.plusMillis(1)));

        PaymentRules.Outcome outcome = RULES.judgeUpTo(state, RETRY_DEADLINE.plusMillis(1));

        assertThat(outcome.findings()).singleElement().satisfies(j -> {
            assertThat(j.finding().type()).isEqualTo(AlertType.FAILED_PAYMENT_NOT_RECOVERED);
            assertThat(j.finding().amount()).isEqualByComparingTo("500.00");
            assertThat(j.detectedAt()).isEqualTo(RETRY_DEADLINE);
            assertThat(j.finding().eventTime()).isEqualTo(ISSUED);
        });
        assertThat(outcome.finished()).isFalse();
    }

    @Test
    void shouldJudgeTheFailureOnlyOnce() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("f1", "500.00", PaymentStatus.FAILED, FAILED_AT));
        assertThat(RULES.judgeUpTo(state, RETRY_DEADLINE).findings()).hasSize(1);

        state.addPayment(pay("f2", "500.00", PaymentStatus.FAILED, at("2026-03-20T00:00:00Z")));

        assertThat(RULES.nextJudgement(state)).contains(DUE_PLUS_GRACE);
        assertThat(RULES.judgeUpTo(state, at("2026-04-30T00:00:00Z")).findings()).isEmpty();
    }

    @Test
    void shouldNotRaiseUnpaidInvoiceWhenAnAttemptFailed() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("f1", "500.00", PaymentStatus.FAILED, at("2026-04-01T00:00:00Z")));

        PaymentRules.Outcome outcome = RULES.judgeUpTo(state, DUE_PLUS_GRACE);

        assertThat(outcome.findings()).isEmpty();
        assertThat(RULES.nextJudgement(state)).contains(at("2026-04-08T00:00:00Z"));
    }

    @Test
    void shouldRaiseUnpaidInvoiceWhenRefundsExceedPayments() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("p1", "100.00", PaymentStatus.SUCCEEDED, at("2026-03-10T00:00:00Z")));
        state.addPayment(pay("r1", "100.00", PaymentStatus.REFUNDED, at("2026-03-11T00:00:00Z")));

        assertThat(RULES.judgeUpTo(state, DUE_PLUS_GRACE).findings()).singleElement().satisfies(j -> {
            assertThat(j.finding().type()).isEqualTo(AlertType.UNPAID_INVOICE);
            assertThat(j.finding().amount()).isEqualByComparingTo("500.00");
        });
    }

    @Test
    void shouldRaiseUnderpaymentWhenPaidIsPositiveAndAtLeastOneMinorUnitIsOutstanding() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("p1", "499.99", PaymentStatus.SUCCEEDED, at("2026-03-10T00:00:00Z")));

        assertThat(RULES.judgeUpTo(state, DUE_PLUS_GRACE).findings()).singleElement().satisfies(j -> {
            assertThat(j.finding().type()).isEqualTo(AlertType.UNDERPAYMENT);
            assertThat(j.finding().amount()).isEqualTo(new BigDecimal("0.0100"));
            assertThat(j.finding().evidenceKey()).isEqualTo("inv-1");
            assertThat(j.detectedAt()).isEqualTo(DUE_PLUS_GRACE);
        });
    }

    @Test
    void shouldNotAlertWhenLessThanOneMinorUnitIsOutstanding() {
        InvoicePaymentState state = invoiceOf("500.0040");
        state.addPayment(pay("p1", "500.00", PaymentStatus.SUCCEEDED, at("2026-03-10T00:00:00Z")));

        assertThat(RULES.judgeUpTo(state, DUE_PLUS_GRACE).findings()).isEmpty();
    }

    @Test
    void shouldNotAlertOnOverpayment() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("p1", "600.00", PaymentStatus.SUCCEEDED, at("2026-03-10T00:00:00Z")));

        assertThat(RULES.judgeUpTo(state, DUE_PLUS_GRACE).findings()).isEmpty();
    }

    @Test
    void shouldNotJudgeBeforeDuePlusGrace() {
        InvoicePaymentState state = invoiceOf("500.00");

        PaymentRules.Outcome outcome = RULES.judgeUpTo(state, DUE_PLUS_GRACE.minusMillis(1));

        assertThat(outcome.findings()).isEmpty();
        assertThat(outcome.finished()).isFalse();
        assertThat(state.dueJudged()).isFalse();
    }

    @Test
    void shouldKeepAJudgedInvoiceUntilItsLinesCanNoLongerArrive() {
        // due before issue + lateness: judged at 2026-03-05, kept until issued + 7 days
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-1");
        InvoiceLine line = invoiceLine("L1", "500.00", "USD");
        line.setDueAt(at("2026-03-02T00:00:00Z"));
        state.addLine(line, TERMS);

        PaymentRules.Outcome judged = RULES.judgeUpTo(state, at("2026-03-05T00:00:00Z"));
        assertThat(judged.findings()).hasSize(1);
        assertThat(judged.finished()).isFalse();
        assertThat(RULES.nextWakeUp(state)).contains(at("2026-03-08T00:00:00Z"));

        assertThat(RULES.judgeUpTo(state, at("2026-03-08T00:00:00Z")).finished()).isTrue();
    }

    @Test
    void shouldFinishOnceBothJudgementsAreMade() {
        InvoicePaymentState state = invoiceOf("500.00");
        state.addPayment(pay("f1", "500.00", PaymentStatus.FAILED, at("2026-04-01T00:00:00Z")));

        assertThat(RULES.judgeUpTo(state, DUE_PLUS_GRACE).finished()).isFalse();
        PaymentRules.Outcome last = RULES.judgeUpTo(state, at("2026-04-08T00:00:00Z"));

        assertThat(last.findings()).singleElement()
                .satisfies(j -> assertThat(j.finding().type()).isEqualTo(AlertType.FAILED_PAYMENT_NOT_RECOVERED));
        assertThat(last.finished()).isTrue();
    }

    @Test
    void shouldJudgeAFailureThatFellDueBeforeTheLinesArrivedAsOfItsOwnInstant() {
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-1");
        state.addPayment(pay("f1", "500.00", PaymentStatus.FAILED, at("2026-02-20T00:00:00Z")));
        assertThat(RULES.nextJudgement(state)).isEmpty();

        state.addLine(invoiceLine("L1", "500.00", "USD"), TERMS);

        assertThat(RULES.nextWakeUp(state)).contains(at("2026-02-27T00:00:00Z"));
        assertThat(RULES.judgeUpTo(state, ISSUED).findings()).singleElement()
                .satisfies(j -> assertThat(j.detectedAt()).isEqualTo(at("2026-02-27T00:00:00Z")));
    }

    @Test
    void shouldAbandonPaymentsWhoseInvoiceNeverArrives() {
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-1");
        state.addPayment(pay("p1", "500.00", PaymentStatus.SUCCEEDED, at("2026-03-10T00:00:00Z")));

        assertThat(RULES.nextWakeUp(state)).contains(at("2026-04-09T00:00:00Z"));
        assertThat(RULES.judgeUpTo(state, at("2026-04-08T23:59:59Z")).finished()).isFalse();
        PaymentRules.Outcome outcome = RULES.judgeUpTo(state, at("2026-04-09T00:00:00Z"));
        assertThat(outcome.abandoned()).isTrue();
        assertThat(outcome.finished()).isTrue();
        assertThat(outcome.findings()).isEmpty();
    }

    @Test
    void shouldWriteTheUnpaidExplanationForAFinancePerson() {
        InvoicePaymentState state = invoiceOf("500.00");

        assertThat(RULES.judgeUpTo(state, DUE_PLUS_GRACE).findings()).singleElement().satisfies(j -> {
            assertThat(j.finding().explanation())
                    .isEqualTo("Invoice inv-1 for USD 500.00 was due on 2026-03-31 and nothing has been paid 3 days later.");
            assertThat(j.finding().action()).startsWith("Contact the customer's billing contact");
        });
    }

    @Test
    void shouldFormatExactAmountsWithAtLeastTheMinorDigits() {
        assertThat(PaymentRules.exact(new BigDecimal("500.0000"), "USD")).isEqualTo("500.00");
        assertThat(PaymentRules.exact(new BigDecimal("12.3456"), "USD")).isEqualTo("12.3456");
        assertThat(PaymentRules.exact(new BigDecimal("1200.0000"), "JPY")).isEqualTo("1200");
    }
}
