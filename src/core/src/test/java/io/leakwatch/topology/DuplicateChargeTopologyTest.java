package io.leakwatch.topology;

import io.leakwatch.alerts.AlertType;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.testing.TopologyHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DUPLICATE_CHARGE end to end: the duplicate screen in front of the per-line checks (window P62D by default). */
class DuplicateChargeTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private final TopologyHarness lw = new TopologyHarness().watching(AlertType.DUPLICATE_CHARGE, AlertType.RATE_MISMATCH, AlertType.CHARGE_ARITHMETIC, AlertType.NO_ACTIVE_CONTRACT, AlertType.CURRENCY_MISMATCH);

    @BeforeEach
    void givenAContractAtTen() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
    }

    @AfterEach
    void close() {
        lw.close();
    }

    @Test
    void shouldFlagTheSameChargeOnAnotherInvoiceWithinTheWindow() {
        lw.invoice(february("inv-1", "L1", "10", "30.00", "2026-03-01T06:00:00Z"));
        lw.invoice(february("inv-2", "L4", "10", "30.00", "2026-03-15T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("DUPLICATE_CHARGE");
            assertThat(a.getAccountId()).isEqualTo(ACCOUNT);
            assertThat(a.getEvidenceKey()).isEqualTo("inv-2/L4");
            assertThat(a.getAmount()).isEqualByComparingTo("-30");
            assertThat(a.getCurrency()).isEqualTo("USD");
            assertThat(a.getEvidence()).containsEntry("original_invoice_id", "inv-1")
                    .containsEntry("original_line_id", "L1")
                    .containsEntry("original_issued_at", "2026-03-01T06:00:00Z");
            assertThat(a.getDetectedAt()).isEqualTo(at("2026-03-15T06:00:00Z"));
            assertThat(a.getEventTime()).isEqualTo(at("2026-02-01T00:00:00Z"));
        });
    }

    @Test
    void shouldFlagADuplicateIssuedExactlyAtTheEndOfTheWindow() {
        lw.invoice(february("inv-1", "L1", "10", "30.00", "2026-03-01T06:00:00Z"));
        lw.invoice(february("inv-2", "L1", "10", "30.00", "2026-05-02T06:00:00Z"));   // + 62 days

        assertThat(lw.alerts()).extracting(Alert::getType).containsExactly("DUPLICATE_CHARGE");
    }

    @Test
    void shouldNotFlagTheSameSignatureAfterTheWindow() {
        lw.invoice(february("inv-1", "L1", "10", "30.00", "2026-03-01T06:00:00Z"));
        lw.invoice(february("inv-2", "L1", "10", "30.00", "2026-05-02T06:00:00.001Z"));   // + 62 days + 1 ms

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldNotFlagALineThatDiffersInQuantity() {
        lw.invoice(february("inv-1", "L1", "10", "30.00", "2026-03-01T06:00:00Z"));
        lw.invoice(line(ACCOUNT, "inv-2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "4", "10", "40.00", "USD", "2026-03-02T06:00:00Z"));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldIgnoreAnIdenticalRedelivery() {
        InvoiceLine correct = february("inv-1", "L1", "10", "30.00", "2026-03-01T06:00:00Z");
        lw.invoice(correct).invoice(correct);

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldNotRepeatPerLineAlertsOfARedeliveredLine() {
        InvoiceLine underBilled = february("inv-1", "L1", "9", "27.00", "2026-03-01T06:00:00Z");
        lw.invoice(underBilled).invoice(underBilled);

        assertThat(lw.alerts()).extracting(Alert::getType).containsExactly("RATE_MISMATCH");
    }

    @Test
    void shouldFlagTheSameLineReissuedWithAnotherIssueTime() {
        lw.invoice(february("inv-1", "L1", "10", "30.00", "2026-03-01T06:00:00Z"));
        lw.invoice(february("inv-1", "L1", "10", "30.00", "2026-03-02T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("DUPLICATE_CHARGE");
            assertThat(a.getEvidenceKey()).isEqualTo("inv-1/L1");
            assertThat(a.getAmount()).isEqualByComparingTo("-30");
            assertThat(a.getEvidence()).containsEntry("original_invoice_id", "inv-1")
                    .containsEntry("original_issued_at", "2026-03-01T06:00:00Z")
                    .containsEntry("issued_at", "2026-03-02T06:00:00Z");
        });
    }

    @Test
    void shouldNotAlsoFlagADuplicateAsRateMismatch() {
        lw.invoice(february("inv-1", "L1", "9", "27.00", "2026-03-01T06:00:00Z"));
        lw.invoice(february("inv-2", "L1", "9", "27.00", "2026-03-10T06:00:00Z"));

        assertThat(lw.alerts()).extracting(a -> a.getType() + " " + a.getEvidenceKey())
                .containsExactly("RATE_MISMATCH inv-1/L1", "DUPLICATE_CHARGE inv-2/L1");
    }

    @Test
    void shouldKeepARedeliveredDuplicateOutOfThePerLineChecks() {
        InvoiceLine copy = february("inv-2", "L1", "9", "27.00", "2026-03-10T06:00:00Z");
        lw.invoice(february("inv-1", "L1", "9", "27.00", "2026-03-01T06:00:00Z"));
        lw.invoice(copy).invoice(copy);

        assertThat(lw.alerts()).extracting(a -> a.getType() + " " + a.getEvidenceKey())
                .containsExactly("RATE_MISMATCH inv-1/L1", "DUPLICATE_CHARGE inv-2/L1");
    }

    @Test
    void shouldKeepASignatureThatALaterLineTookOverWhenTheFirstLinesEntryExpires() {
        // Given a charge, and the same charge again 70 days later: outside the window, so it is new and now holds
        // the signature
        lw.invoice(february("inv-1", "L1", "10", "30.00", "2026-03-01T06:00:00Z"));
        lw.invoice(february("inv-2", "L1", "10", "30.00", "2026-05-10T06:00:00Z"));
        // When the first line is forgotten (more than the 62-day window behind the account's history)
        lw.advanceStreamTimeTo(at("2026-05-12T06:00:00Z"));
        lw.invoice(february("inv-3", "L1", "10", "30.00", "2026-05-20T06:00:00Z"));

        // Then the signature still names inv-2, and a third copy is its duplicate
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getEvidenceKey()).isEqualTo("inv-3/L1");
            assertThat(a.getEvidence()).containsEntry("original_invoice_id", "inv-2");
        });
    }

    private static InvoiceLine february(String invoiceId, String lineId, String unitRate, String total, String issuedAt) {
        return line(ACCOUNT, invoiceId, lineId, "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", unitRate, total, "USD", issuedAt);
    }
}
