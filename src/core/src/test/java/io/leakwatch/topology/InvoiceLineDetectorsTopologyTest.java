package io.leakwatch.topology;

import io.leakwatch.alerts.AlertType;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import io.leakwatch.testing.TopologyHarness;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-line detectors, end to end through the production topology on TopologyTestDriver. */
class InvoiceLineDetectorsTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private final TopologyHarness lw = new TopologyHarness().watching(AlertType.RATE_MISMATCH, AlertType.CHARGE_ARITHMETIC, AlertType.NO_ACTIVE_CONTRACT, AlertType.CURRENCY_MISMATCH);

    @AfterEach
    void close() {
        lw.close();
    }

    @Test
    void shouldNotAlertWhenLineMatchesContract() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "12.50", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "10", "12.50", "125.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).isEmpty();
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldFlagRateMismatchWhenBilledBelowContract() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "12.50", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "10", "11.00", "110.00", "USD", "2026-03-01T06:00:00Z"));

        List<Alert> alerts = lw.alerts();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("RATE_MISMATCH");
            assertThat(a.getAccountId()).isEqualTo(ACCOUNT);
            assertThat(a.getEvidenceKey()).isEqualTo("inv-1/L1");
            assertThat(a.getAmount()).isEqualByComparingTo("15.00");
            assertThat(a.getCurrency()).isEqualTo("USD");
            assertThat(a.getEvidence()).containsEntry("expected_unit_rate", "12.5")
                    .containsEntry("billed_unit_rate", "11").containsEntry("contract_version", "1");
            assertThat(a.getEventTime()).isEqualTo(at("2026-02-01T00:00:00Z"));
            assertThat(a.getDetectedAt()).isEqualTo(at("2026-03-01T06:00:00Z"));
            assertThat(a.getExplanation()).contains("under-billed by USD 15.00");
            assertThat(a.getRecommendedAction()).isNotBlank();
            assertThat(a.getSeverity()).isEqualTo(Severity.LOW);
        });
    }

    @Test
    void shouldReportOverBillingAsNegativeLeakage() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "100", "12", "1200.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("RATE_MISMATCH");
            assertThat(a.getAmount()).isEqualByComparingTo("-200");
            assertThat(a.getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(a.getExplanation()).contains("over-billed");
        });
    }

    @Test
    void shouldUseRateInForceAtServiceDateWhenAmendedMidPeriod() {
        // Given v1 at 10 from Jan, amended (v2, signed 10 March) to 8 from 15 March
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("api", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.contract(contract(ACCOUNT, 2, "2026-03-10T00:00:00Z",
                rate("api", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-15T00:00:00Z"),
                rate("api", "8", "USD", "2026-03-15T00:00:00Z", null)));
        // When March is billed as two prorated lines, each at the rate of its own window
        lw.invoice(line(ACCOUNT, "inv-3", "L1", "api", "2026-03-01T00:00:00Z", "2026-03-15T00:00:00Z",
                "14", "10", "140.00", "USD", "2026-04-01T06:00:00Z"));
        lw.invoice(line(ACCOUNT, "inv-3", "L2", "api", "2026-03-15T00:00:00Z", "2026-04-01T00:00:00Z",
                "17", "8", "136.00", "USD", "2026-04-01T06:00:00Z"));
        // And the second half is wrongly billed at the old rate on the next invoice
        lw.invoice(line(ACCOUNT, "inv-4", "L1", "api", "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z",
                "30", "10", "300.00", "USD", "2026-05-01T06:00:00Z"));

        // Then only the line after the amendment billed at the old rate is flagged, against v2
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getEvidenceKey()).isEqualTo("inv-4/L1");
            assertThat(a.getAmount()).isEqualByComparingTo("-60");
            assertThat(a.getEvidence()).containsEntry("contract_version", "2");
        });
    }

    @Test
    void shouldCheckOldPeriodAgainstOldRateAfterAmendment() {
        lw.contract(contract(ACCOUNT, 2, "2026-02-20T00:00:00Z",
                rate("api", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
                rate("api", "8", "USD", "2026-03-01T00:00:00Z", null)));
        // A late-issued February line at the February rate is correct, although March's rate is lower
        lw.invoice(line(ACCOUNT, "inv-2b", "L1", "api", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "5", "10", "50.00", "USD", "2026-03-05T06:00:00Z"));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldFlagNoActiveContractWhenContractEnded() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")));
        lw.invoice(line(ACCOUNT, "inv-3", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                "3", "10", "30.00", "USD", "2026-04-01T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("NO_ACTIVE_CONTRACT");
            assertThat(a.getAmount()).isEqualByComparingTo("30");
            assertThat(a.getEvidence()).containsEntry("gap", "ENDED");
            assertThat(a.getExplanation()).contains("ended on 2026-03-01");
        });
    }

    @Test
    void shouldFlagNoActiveContractWhenLineIsBeforeContractStart() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-03-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "10", "30.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("NO_ACTIVE_CONTRACT");
            assertThat(a.getEvidence()).containsEntry("gap", "BEFORE_START");
        });
    }

    @Test
    void shouldNotFlagNoActiveContractWhenAccountHasNoContract() {
        // A line of an account no contract knows is unattributed revenue (judged per period), not a
        // per-line finding: see UnattributedRevenueTopologyTest.
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "10", "30.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).isEmpty();
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldIgnoreContractSignedAfterTheInvoiceWasIssued() {
        // The versioned table answers with the version held at the line's record time: the first line, billed at 9
        // before any contract existed, is not checked against the rate of 10 signed the next day.
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-03-01T06:00:00Z"));
        lw.contract(contract(ACCOUNT, 1, "2026-03-02T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-2", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-04-01T06:00:00Z"));

        assertThat(lw.alerts()).extracting(Alert::getEvidenceKey).containsExactly("inv-2/L1");
    }

    @Test
    void shouldFlagCurrencyMismatchAndSkipRateComparison() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "EUR", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "11", "33.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("CURRENCY_MISMATCH");
            assertThat(a.getAmount()).isEqualByComparingTo("33");
            assertThat(a.getCurrency()).isEqualTo("USD");
            assertThat(a.getEvidence()).containsEntry("expected_currency", "EUR").containsEntry("billed_currency", "USD");
        });
    }

    @Test
    void shouldAcceptATotalRoundedToTheNearestCentAndFlagATruncatedOne() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("api", "0.3333", "USD", "2026-01-01T00:00:00Z", null)));
        // 3 x 0.3333 = 0.9999: 1.00 is the nearest cent; 0.99 (truncated) is 0.0099 away, more than half a cent
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "api", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "0.3333", "1.00", "USD", "2026-03-01T06:00:00Z"));
        lw.invoice(line(ACCOUNT, "inv-1", "L2", "api", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "0.3333", "0.99", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("CHARGE_ARITHMETIC");
            assertThat(a.getEvidenceKey()).isEqualTo("inv-1/L2");
            assertThat(a.getAmount()).isEqualByComparingTo("0.01");
        });
    }

    @Test
    void shouldFlagChargeArithmeticOneCentBeyondRounding() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("api", "0.3333", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "api", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "0.3333", "0.98", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("CHARGE_ARITHMETIC");
            assertThat(a.getAmount()).isEqualByComparingTo("0.02");
            assertThat(a.getEvidence()).containsEntry("expected_line_total", "1").containsEntry("billed_line_total", "0.98");
        });
    }

    @Test
    void shouldRoundJapaneseYenToWholeUnits() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "1500", "JPY", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "1400", "4200", "JPY", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo(new BigDecimal("300"));
            assertThat(a.getExplanation()).contains("JPY 300");
        });
    }

    @Test
    void shouldNotChangeAnythingOnDuplicateContractUpdate() {
        var v1 = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null));
        lw.contract(v1).contract(v1);
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "10", "30.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.alerts()).isEmpty();
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldAlertOnceWhenTheSameLineIsSentTwice() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        var wrong = line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-03-01T06:00:00Z");
        lw.invoice(wrong).invoice(wrong);

        assertThat(lw.alerts()).hasSize(1);
    }

    @Test
    void shouldWithdrawTheRateMismatchWhenTheAmendmentThatExplainsItArrivesAfterTheLine() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        // The line (issued 06:00 at the new rate) arrives before the amendment signed at 05:00 reaches Kafka
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                "3", "8", "24.00", "USD", "2026-04-01T06:00:00Z"));
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("RATE_MISMATCH");
            assertThat(a.getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(a.getRevision()).isEqualTo(1);
        });

        lw.contract(contract(ACCOUNT, 2, "2026-04-01T05:00:00Z",
                rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
                rate("seats", "8", "USD", "2026-03-01T00:00:00Z", null)));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("RATE_MISMATCH");
            assertThat(a.getEvidenceKey()).isEqualTo("inv-1/L1");
            assertThat(a.getStatus()).isEqualTo(AlertStatus.WITHDRAWN);
            assertThat(a.getRevision()).isEqualTo(2);
            assertThat(a.getStatusReason()).isEqualTo("Contract ctr-" + ACCOUNT + " v2 (signed 2026-04-01) reached us"
                    + " after invoice inv-1 line L1 was checked; invoice inv-1 line L1 matches contract ctr-" + ACCOUNT
                    + " v2's rate of 8 per unit.");
        });
    }
}
