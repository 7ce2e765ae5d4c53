package io.leakwatch.topology;

import io.leakwatch.alerts.AlertType;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.Severity;
import io.leakwatch.testing.Events;
import io.leakwatch.testing.TopologyHarness;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment detectors (FAILED_PAYMENT_NOT_RECOVERED, UNPAID_INVOICE, UNDERPAYMENT), end to end through the
 * production topology on TopologyTestDriver. Defaults: grace P3D, retry window P7D, terms P30D. Invoice inv-1 of
 * USD 500.00 is issued 2026-03-01, so it is due 2026-03-31 and judged at 2026-04-03T00:00Z.
 */
class PaymentDetectorsTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private static final String ISSUED = "2026-03-01T00:00:00Z";
    private static final String DUE_PLUS_GRACE = "2026-04-03T00:00:00Z";
    private static final String AFTER_ALL_DEADLINES = "2026-05-01T00:00:00Z";
    private final TopologyHarness lw = new TopologyHarness().watching(AlertType.UNPAID_INVOICE, AlertType.FAILED_PAYMENT_NOT_RECOVERED, AlertType.UNDERPAYMENT);

    @BeforeEach
    void contractPricingSeatsAtOneDollar() {
        // so that the per-line detectors have nothing to say about the lines below
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "1", "USD", "2026-01-01T00:00:00Z", null)));
    }

    @AfterEach
    void close() {
        lw.close();
    }

    private static InvoiceLine invoiceLine(String invoiceId, String lineId, String total) {
        return line(ACCOUNT, invoiceId, lineId, "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                total, "1", total, "USD", ISSUED);
    }

    private static Payment pay(String id, String amount, PaymentStatus status, String attemptedAt) {
        return Events.payment(ACCOUNT, id, "inv-1", amount, "USD", status, attemptedAt);
    }

    private static Payment failed(String id, String reason, String attemptedAt) {
        Payment payment = pay(id, "500.00", PaymentStatus.FAILED, attemptedAt);
        payment.setFailureReason(reason);
        return payment;
    }

    @Test
    void shouldNotAlertWhenFailedPaymentIsRetriedSuccessfullyOnTheLastDayOfTheRetryWindow() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(failed("p1", "insufficient_funds", "2026-03-05T00:00:00Z"));
        lw.payment(pay("p2", "500.00", PaymentStatus.SUCCEEDED, "2026-03-12T00:00:00Z"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldFlagFailedPaymentWhenSuccessfulRetryComesOneMillisecondAfterTheRetryWindow() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(failed("p1", "insufficient_funds", "2026-03-05T00:00:00Z"));
        lw.payment(pay("p2", "500.00", PaymentStatus.SUCCEEDED, "2026-03-12T01:00:00Z"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("FAILED_PAYMENT_NOT_RECOVERED");
            assertThat(a.getEvidenceKey()).isEqualTo("inv-1");
            assertThat(a.getAmount()).isEqualByComparingTo("500.00");
            assertThat(a.getCurrency()).isEqualTo("USD");
            assertThat(a.getDetectedAt()).isEqualTo(at("2026-03-12T00:00:00Z"));
            assertThat(a.getEvidence()).containsEntry("paid", "0.00").containsEntry("attempts", "1");
        });
    }

    @Test
    void shouldFlagFailedPaymentOnceStreamTimePassesTheEndOfTheRetryWindow() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(failed("p1", "insufficient_funds", "2026-03-05T00:00:00Z"));

        lw.advanceStreamTimeTo(at("2026-03-12T00:00:00Z"));
        assertThat(lw.alerts()).isEmpty();

        lw.advanceStreamTimeTo(at("2026-03-12T01:00:00Z"));
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("FAILED_PAYMENT_NOT_RECOVERED");
            assertThat(a.getRecommendedAction()).contains("updated card");
        });
    }

    @Test
    void shouldKeepFailureReasonsAttemptCountAndLastAttemptInEvidence() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(failed("p1", "expired_card", "2026-03-05T00:00:00Z"));
        lw.payment(failed("p2", "insufficient_funds", "2026-03-06T10:00:00Z"));

        lw.advanceStreamTimeTo(at("2026-03-12T01:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getEvidence())
                    .containsEntry("failure_reasons", "expired_card,insufficient_funds")
                    .containsEntry("attempts", "2")
                    .containsEntry("failed_attempts", "2")
                    .containsEntry("last_attempt_at", "2026-03-06T10:00:00Z")
                    .containsEntry("invoice_id", "inv-1")
                    .containsEntry("total", "500.00")
                    .containsEntry("due_at", "2026-03-31T00:00:00Z");
            assertThat(a.getExplanation()).contains("expired_card");
        });
    }

    @Test
    void shouldNotRaiseASecondAlertWhenASecondFailureFollowsTheFirst() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(failed("p1", "insufficient_funds", "2026-03-05T00:00:00Z"));
        lw.payment(failed("p2", "insufficient_funds", "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        // one FAILED_PAYMENT_NOT_RECOVERED for the first failure; no UNPAID_INVOICE (the invoice has failures)
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("FAILED_PAYMENT_NOT_RECOVERED");
            assertThat(a.getDetectedAt()).isEqualTo(at("2026-03-12T00:00:00Z"));
        });
    }

    @Test
    void shouldNotAlertWhenSplitPaymentsSumToTheTotal() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(pay("p1", "200.00", PaymentStatus.SUCCEEDED, "2026-03-10T00:00:00Z"));
        lw.payment(pay("p2", "300.00", PaymentStatus.SUCCEEDED, "2026-03-30T00:00:00Z"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldFlagUnderpaymentWithTheExactOutstandingAmount() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(pay("p1", "123.45", PaymentStatus.SUCCEEDED, "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNDERPAYMENT");
            assertThat(a.getAmount()).isEqualTo(Events.dec("376.55", 4));
            assertThat(a.getEvidence()).containsEntry("total", "500.00").containsEntry("paid", "123.45")
                    .containsEntry("credited", "0.00").containsEntry("outstanding", "376.55");
            assertThat(a.getExplanation()).isEqualTo("Invoice inv-1 for USD 500.00 was due on 2026-03-31 and 3 days"
                    + " later only USD 123.45 has been paid, leaving USD 376.55 outstanding.");
            assertThat(a.getSeverity()).isEqualTo(Severity.MEDIUM);
        });
    }

    @Test
    void shouldNotAlertWhenARefundIsPairedWithACreditNote() {
        // Given a line billed twice (1000.00 instead of 500.00), paid in full, then refunded and credited
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.invoice(invoiceLine("inv-1", "L2", "500.00"));
        lw.payment(pay("p1", "1000.00", PaymentStatus.SUCCEEDED, "2026-03-10T00:00:00Z"));
        lw.payment(pay("r1", "500.00", PaymentStatus.REFUNDED, "2026-03-15T00:00:00Z"));
        lw.payment(pay("c1", "500.00", PaymentStatus.CREDITED, "2026-03-15T00:00:01Z"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldNotAlertWhenACreditNoteCoversTheWholeInvoice() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(pay("c1", "500.00", PaymentStatus.CREDITED, "2026-03-20T00:00:00Z"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldFlagUnpaidInvoiceOnceStreamTimePassesDuePlusGrace() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));

        lw.advanceStreamTimeTo(at(DUE_PLUS_GRACE));
        assertThat(lw.alerts()).isEmpty();

        lw.advanceStreamTimeTo(at(DUE_PLUS_GRACE).plusSeconds(3600));
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNPAID_INVOICE");
            assertThat(a.getAccountId()).isEqualTo(ACCOUNT);
            assertThat(a.getEvidenceKey()).isEqualTo("inv-1");
            assertThat(a.getAmount()).isEqualByComparingTo("500.00");
            assertThat(a.getEvidence()).containsEntry("attempts", "0").doesNotContainKey("failure_reasons");
            assertThat(a.getExplanation())
                    .isEqualTo("Invoice inv-1 for USD 500.00 was due on 2026-03-31 and nothing has been paid 3 days later.");
            assertThat(a.getRecommendedAction()).startsWith("Contact the customer's billing contact");
        });
    }

    @Test
    void shouldUseTheSumOfAllLinesAsTheInvoiceTotal() {
        lw.invoice(invoiceLine("inv-1", "L1", "200.00"));
        lw.invoice(invoiceLine("inv-1", "L2", "300.50"));
        lw.invoice(invoiceLine("inv-1", "L3", "0.25"));

        lw.advanceStreamTimeTo(at(DUE_PLUS_GRACE).plusSeconds(3600));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNPAID_INVOICE");
            assertThat(a.getAmount()).isEqualByComparingTo("500.75");
            assertThat(a.getEvidence()).containsEntry("total", "500.75").containsEntry("lines", "3");
        });
    }

    @Test
    void shouldMatchAPaymentThatArrivesBeforeTheInvoiceLines() {
        lw.payment(pay("p1", "500.00", PaymentStatus.SUCCEEDED, "2026-02-28T12:00:00Z"));
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));

        lw.advanceStreamTimeTo(at(AFTER_ALL_DEADLINES));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldIgnoreAPaymentInAnotherCurrency() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(Events.payment(ACCOUNT, "p1", "inv-1", "500.00", "EUR", PaymentStatus.SUCCEEDED,
                "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at(DUE_PLUS_GRACE).plusSeconds(3600));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNPAID_INVOICE");
            assertThat(a.getAmount()).isEqualByComparingTo("500.00");
            assertThat(a.getCurrency()).isEqualTo("USD");
            assertThat(a.getEvidence()).containsEntry("paid", "0.00").containsEntry("attempts", "0");
        });
    }

    @Test
    void shouldIgnoreAPaymentWithoutInvoiceId() {
        lw.invoice(invoiceLine("inv-1", "L1", "500.00"));
        lw.payment(Events.payment(ACCOUNT, "p1", null, "500.00", "USD", PaymentStatus.SUCCEEDED,
                "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at(DUE_PLUS_GRACE).plusSeconds(3600));

        assertThat(lw.deadLetters()).isEmpty();
        assertThat(lw.alerts()).singleElement().satisfies(a -> assertThat(a.getType()).isEqualTo("UNPAID_INVOICE"));
    }

    @Test
    void shouldStampJudgementInstantAndIssueTimeRegardlessOfWhenStreamTimeMoves() {
        // Given the same unpaid invoice replayed twice: once with stream time jumping far past the deadline,
        // once with stream time crawling past it in small steps at odd offsets
        List<TestRecord<String, byte[]>> jumped = unpaidInvoiceAlertRecords(List.of("2026-06-30T17:43:12.345Z"));
        List<TestRecord<String, byte[]>> crawled = unpaidInvoiceAlertRecords(List.of("2026-04-02T23:30:00Z",
                "2026-04-03T00:00:00.001Z", "2026-04-03T00:59:59Z", "2026-04-03T01:00:00.007Z"));

        // Then both runs emit the same bytes, timed at due + grace, about the invoice's issue time
        assertThat(jumped).hasSize(1);
        assertThat(crawled).hasSize(1);
        assertThat(jumped.get(0).value()).isEqualTo(crawled.get(0).value());
        assertThat(jumped.get(0).timestamp()).isEqualTo(at(DUE_PLUS_GRACE).toEpochMilli());
        assertThat(crawled.get(0).timestamp()).isEqualTo(at(DUE_PLUS_GRACE).toEpochMilli());
        try (TopologyHarness again = new TopologyHarness()) {
            again.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "1", "USD", "2026-01-01T00:00:00Z", null)));
            again.invoice(invoiceLine("inv-1", "L1", "500.00")).advanceStreamTimeTo(at("2026-06-30T00:00:00Z"));
            Alert alert = again.alerts().get(0);
            assertThat(alert.getDetectedAt()).isEqualTo(at(DUE_PLUS_GRACE));
            assertThat(alert.getEventTime()).isEqualTo(at(ISSUED));
        }
    }

    private static List<TestRecord<String, byte[]>> unpaidInvoiceAlertRecords(List<String> streamTimes) {
        try (TopologyHarness run = new TopologyHarness()) {
            run.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "1", "USD", "2026-01-01T00:00:00Z", null)));
            run.invoice(invoiceLine("inv-1", "L1", "500.00"));
            streamTimes.forEach(t -> run.advanceStreamTimeTo(at(t)));
            return run.alertRecords();
        }
    }
}
