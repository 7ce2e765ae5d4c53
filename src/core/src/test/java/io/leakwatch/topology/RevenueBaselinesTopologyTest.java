package io.leakwatch.topology;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.testing.TopologyHarness;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Revenue baselines through the production topology: period close in stream time, late invoices, detected_at. */
class RevenueBaselinesTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private final TopologyHarness lw = new TopologyHarness();

    @BeforeEach
    void contractAtOneDollarPerUnit() {
        lw.contract(contract(ACCOUNT, 1, "2023-12-01T00:00:00Z", rate("seats", "1", "USD", "2024-01-01T00:00:00Z", null)));
    }

    @AfterEach
    void close() {
        lw.close();
    }

    /** The month's invoice: one line of {@code total} units at 1 USD, issued on the 1st of the next month. */
    private void invoice(String month, String total, String lineId, String issuedAt) {
        YearMonth m = YearMonth.parse(month);
        lw.invoice(line(ACCOUNT, "inv-" + month, lineId, "seats", m.atDay(1) + "T00:00:00Z",
                m.plusMonths(1).atDay(1) + "T00:00:00Z", total, "1", total, "USD", issuedAt));
    }

    private void sixNormalMonths() {
        for (int i = 0; i < 6; i++) {
            YearMonth m = YearMonth.of(2024, 1 + i);
            invoice(m.toString(), "1000", "L1", m.plusMonths(1).atDay(1) + "T06:00:00Z");
        }
    }

    private List<Alert> revenueAlerts() {
        return lw.alerts().stream().filter(a -> a.getType().startsWith("REVENUE_")).toList();
    }

    @Test
    void shouldFlagDropOnlyWhenStreamTimePassesPeriodEndPlusGrace() {
        // Given six months at 1000 and July at 300
        sixNormalMonths();
        invoice("2024-07", "300", "L1", "2024-08-01T06:00:00Z");

        // When stream time reaches just before the close of July (end + 5 days)
        lw.advanceStreamTimeTo(at("2024-08-05T23:59:59Z"));
        assertThat(revenueAlerts()).isEmpty();
        lw.advanceStreamTimeTo(at("2024-08-06T00:30:00Z"));

        // Then one drop, detected at the close instant, not at the punctuation time
        assertThat(revenueAlerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("REVENUE_DROP");
            assertThat(a.getEvidenceKey()).isEqualTo("2024-07");
            assertThat(a.getAmount()).isEqualByComparingTo("700");
            assertThat(a.getEventTime()).isEqualTo(at("2024-07-01T00:00:00Z"));
            assertThat(a.getDetectedAt()).isEqualTo(at("2024-08-06T00:00:00Z"));
            assertThat(a.getEvidence()).containsEntry("baseline_mean", "1000").containsEntry("percent_vs_baseline", "-70.0");
        });
        lw.advanceStreamTimeTo(at("2024-10-06T00:30:00Z"));
        assertThat(revenueAlerts()).isEmpty();
    }

    @Test
    void shouldJudgeAgainWhenLateInvoiceForClosedPeriodArrivesWithinRevisionGrace() {
        // Given July closed as normal
        sixNormalMonths();
        invoice("2024-07", "1000", "L1", "2024-08-01T06:00:00Z");
        lw.advanceStreamTimeTo(at("2024-08-06T01:00:00Z"));
        assertThat(revenueAlerts()).isEmpty();

        // When a supplementary July line arrives two days after the close (revision grace 7 days)
        invoice("2024-07", "2000", "L2", "2024-08-08T06:00:00Z");

        // Then July is judged again with the new revenue: a spike, detected when the late line arrived
        assertThat(revenueAlerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("REVENUE_SPIKE");
            assertThat(a.getEvidenceKey()).isEqualTo("2024-07");
            assertThat(a.getAmount()).isEqualByComparingTo("-2000");
            assertThat(a.getDetectedAt()).isEqualTo(at("2024-08-08T06:00:00Z"));
        });
    }

    @Test
    void shouldOnlyUpdateHistoryWhenLateInvoiceArrivesAfterRevisionGrace() {
        sixNormalMonths();
        invoice("2024-07", "1000", "L1", "2024-08-01T06:00:00Z");
        lw.advanceStreamTimeTo(at("2024-08-12T01:00:00Z"));

        invoice("2024-07", "2000", "L2", "2024-08-14T06:00:00Z");

        assertThat(revenueAlerts()).isEmpty();
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldNotJudgeDuringColdStart() {
        invoice("2024-01", "1000", "L1", "2024-02-01T06:00:00Z");
        invoice("2024-02", "10", "L1", "2024-03-01T06:00:00Z");
        invoice("2024-03", "5000", "L1", "2024-04-01T06:00:00Z");

        lw.advanceStreamTimeTo(at("2024-05-01T00:00:00Z"));

        assertThat(revenueAlerts()).isEmpty();
    }
}
