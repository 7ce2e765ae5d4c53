package io.leakwatch.topology;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.payment;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.usage;
import static io.leakwatch.testing.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.testing.TopologyHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records that arrive after what they change was judged: the account is judged again from its last month checkpoint
 * and the difference reaches the alerts topic as revisions and withdrawals that say why. Defaults unless a test says
 * otherwise: horizon P90D, close grace P5D, payment terms P30D + grace P3D.
 */
class LateDataTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private TopologyHarness lw = new TopologyHarness();

    @AfterEach
    void close() {
        lw.close();
    }

    private static InvoiceLine february(String account, String invoiceId, String quantity, String rate, String total) {
        return line(account, invoiceId, "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", quantity, rate,
                total, "USD", "2026-03-01T06:00:00Z");
    }

    @Test
    void shouldWithdrawAnUnpaidInvoiceWhenThePaymentThatSettledItArrivesLate() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(february(ACCOUNT, "inv-1", "5", "10", "50.00"));
        lw.advanceStreamTimeTo(at("2026-04-05T00:00:00Z"));
        assertThat(lw.standing()).extracting(Alert::getType).containsExactly("UNPAID_INVOICE");

        lw.payment(payment(ACCOUNT, "p-9", "inv-1", "50.00", "USD", PaymentStatus.SUCCEEDED, "2026-03-20T10:00:00Z"));

        assertThat(lw.standing()).isEmpty();
        List<Alert> log = lw.alertLog();
        assertThat(log).last().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNPAID_INVOICE");
            assertThat(a.getStatus()).isEqualTo(AlertStatus.WITHDRAWN);
            assertThat(a.getRevision()).isEqualTo(2);
            assertThat(a.getStatusReason()).isEqualTo("Payment p-9 (succeeded, 2026-03-20) reached us after the payments"
                    + " of invoice inv-1 were judged; invoice inv-1 was settled by 2026-04-03: USD 50.00 paid or credited,"
                    + " USD 0.00 outstanding.");
        });
    }

    @Test
    void shouldRaiseUnbilledUsageWhenUsageOfAClosedMonthArrivesLate() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("api", "2", "USD", "2026-01-01T00:00:00Z", null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "100", "2026-02-10T00:00:00Z"));
        lw.invoice(line(ACCOUNT, "inv-2", "L1", "api", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "100", "2",
                "200.00", "USD", "2026-03-01T06:00:00Z"));
        lw.payment(payment(ACCOUNT, "p-1", "inv-2", "200.00", "USD", PaymentStatus.SUCCEEDED, "2026-03-02T00:00:00Z"));
        lw.advanceStreamTimeTo(at("2026-03-20T00:00:00Z"));
        assertThat(lw.standing()).isEmpty();

        lw.usage(usage(ACCOUNT, "u2", "api", "25", "2026-02-27T00:00:00Z"));

        assertThat(lw.standing()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNBILLED_USAGE");
            assertThat(a.getAmount()).isEqualByComparingTo("50.00");
            assertThat(a.getRevision()).isEqualTo(1);
        });
    }

    @Test
    void shouldWithdrawUnattributedRevenueWhenTheContractThatAttributesTheLinesArrivesLate() {
        lw.invoice(february("acct-new", "inv-n", "1500", "1", "1500.00"));
        lw.advanceStreamTimeTo(at("2026-03-06T00:00:00Z"));
        lw.advanceStreamTimeTo(at("2026-03-10T00:00:00Z"));
        assertThat(lw.standing()).extracting(Alert::getType).contains("UNATTRIBUTED_REVENUE");

        // the account's contract, signed before its first invoice, keyed into the billing system late
        lw.contract(contract("acct-new", 1, "2026-01-15T00:00:00Z", rate("seats", "1", "USD", "2026-01-01T00:00:00Z", null)));

        assertThat(lw.standing()).extracting(Alert::getType).doesNotContain("UNATTRIBUTED_REVENUE");
        assertThat(lw.alertLog()).filteredOn(a -> a.getType().equals("UNATTRIBUTED_REVENUE")).last().satisfies(a -> {
            assertThat(a.getStatus()).isEqualTo(AlertStatus.WITHDRAWN);
            assertThat(a.getStatusReason()).startsWith("Invoice lines or contracts that reached us late changed the"
                    + " totals of 2026-02 in USD; unattributed revenue of 2026-02 is now USD 0.00");
        });
    }

    @Test
    void shouldMoveADuplicateChargeToTheLaterLineWhenTheEarlierOneArrivesLate() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        InvoiceLine earlier = line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "3",
                "10", "30.00", "USD", "2026-03-01T06:00:00Z");
        InvoiceLine later = line(ACCOUNT, "inv-2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "3",
                "10", "30.00", "USD", "2026-03-05T06:00:00Z");
        lw.invoice(later);
        lw.invoice(earlier);

        assertThat(lw.standing()).filteredOn(a -> a.getType().equals("DUPLICATE_CHARGE")).singleElement().satisfies(a -> {
            assertThat(a.getEvidenceKey()).isEqualTo("inv-2/L1");
            assertThat(a.getEvidence()).containsEntry("original_invoice_id", "inv-1");
        });
    }

    @Test
    void shouldNotCallTheSameLineIdOfTwoAccountsARe_issue() {
        lw.contract(contract("acct-a", 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.contract(contract("acct-b", 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line("acct-a", "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "3", "10",
                "30.00", "USD", "2026-03-01T06:00:00Z"));
        lw.invoice(line("acct-b", "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "4", "10",
                "40.00", "USD", "2026-03-02T06:00:00Z"));

        assertThat(lw.standing()).extracting(Alert::getType).doesNotContain("DUPLICATE_CHARGE");
    }

    @Test
    void shouldIgnoreARedeliveryAndReviseWhenTheSameLineIsCorrected() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        InvoiceLine wrong = february(ACCOUNT, "inv-1", "3", "9", "27.00");
        lw.invoice(wrong).invoice(wrong);
        assertThat(lw.alertLog()).hasSize(1);

        // the billing system sends the line again with a corrected quantity: same invoice, line and issue time
        lw.invoice(february(ACCOUNT, "inv-1", "5", "9", "45.00"));

        assertThat(lw.standing()).filteredOn(a -> a.getType().equals("RATE_MISMATCH")).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("5.00");
            assertThat(a.getRevision()).isEqualTo(2);
            assertThat(a.getStatusReason()).startsWith("Revised: ").contains("the amount at risk is now USD 5.00 (was USD 3.00)");
        });
    }

    @Test
    void shouldDeadLetterARecordOlderThanTheHorizonButNeverAContractVersion() {
        lw.close();
        lw = new TopologyHarness(s -> s.withHorizon(Duration.ofDays(30)));
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.advanceStreamTimeTo(at("2026-06-01T00:00:00Z"));

        lw.usage(usage(ACCOUNT, "u-old", "seats", "1", "2026-04-20T00:00:00Z"));
        lw.contract(contract("acct-2", 1, "2025-06-01T00:00:00Z", rate("seats", "10", "USD", "2025-06-01T00:00:00Z", null)));

        assertThat(lw.deadLetters()).singleElement().satisfies(d -> {
            assertThat(header(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("late");
            assertThat(header(d.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("usage");
            assertThat(header(d.headers(), DeadLetterHeaders.DETAIL)).contains("late-data horizon PT720H");
        });
    }
}
