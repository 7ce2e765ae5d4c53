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

/**
 * UNATTRIBUTED_REVENUE end to end, defaults: min amount 1000, min share 0.005, close grace P5D. February closes at
 * 2026-03-06T00:00Z and is judged when March's partial arrives, at March's close 2026-04-06T00:00Z.
 */
class UnattributedRevenueTopologyTest {
    private static final String KNOWN = "acct-1";
    private static final String FEBRUARY_CLOSE = "2026-03-06T00:00:00Z";
    private static final String MARCH_CLOSE = "2026-04-06T00:00:00Z";
    private final TopologyHarness lw = new TopologyHarness().watching(AlertType.UNATTRIBUTED_REVENUE, AlertType.RATE_MISMATCH, AlertType.CHARGE_ARITHMETIC, AlertType.NO_ACTIVE_CONTRACT, AlertType.CURRENCY_MISMATCH);

    @BeforeEach
    void givenAContractedAccount() {
        lw.contract(contract(KNOWN, 1, "2026-01-01T00:00:00Z",
                rate("seats", "1", "USD", "2026-01-01T00:00:00Z", null),
                rate("seats-eu", "1", "EUR", "2026-01-01T00:00:00Z", null)));
    }

    @AfterEach
    void close() {
        lw.close();
    }

    @Test
    void shouldNotDeadLetterALineWithoutAccountAndCountItAsUnattributed() {
        lw.invoice(february(null, "inv-x", "seats", "1500", "USD"));
        closeFebruaryAndMarch();

        assertThat(lw.deadLetters()).isEmpty();
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNATTRIBUTED_REVENUE");
            assertThat(a.getAccountId()).isEqualTo("UNATTRIBUTED");
            assertThat(a.getEvidenceKey()).isEqualTo("2026-02/USD");
            assertThat(a.getAmount()).isEqualByComparingTo("1500");
            assertThat(a.getCurrency()).isEqualTo("USD");
            assertThat(a.getEvidence()).containsEntry("unattributed_lines", "1").containsEntry("share", "1.0000")
                    .containsEntry("billed_total", "1500");
            assertThat(a.getEventTime()).isEqualTo(at("2026-02-01T00:00:00Z"));
            assertThat(a.getDetectedAt()).isEqualTo(at(FEBRUARY_CLOSE));
        });
    }

    @Test
    void shouldCountALineOfAnAccountWithoutContractAsUnattributedNotAsNoActiveContract() {
        lw.invoice(february("acct-unknown", "inv-u", "seats", "1200", "USD"));
        closeFebruaryAndMarch();

        assertThat(lw.alerts()).extracting(Alert::getType).containsExactly("UNATTRIBUTED_REVENUE");
    }

    @Test
    void shouldNotAlertWhenThePeriodIsBelowBothThresholds() {
        lw.invoice(february(KNOWN, "inv-1", "seats", "100000", "USD"));
        lw.invoice(february(null, "inv-x", "seats", "400", "USD"));   // 400 < 1000 and 400 / 100400 < 0.005
        closeFebruaryAndMarch();

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldAlertWhenUnattributedAmountReachesTheMinimumAmount() {
        lw.invoice(february(KNOWN, "inv-1", "seats", "999000", "USD"));
        lw.invoice(february(null, "inv-x", "seats", "600", "USD"));
        lw.invoice(february("acct-unknown", "inv-u", "seats", "400", "USD"));   // 1000 of 1,000,000: share 0.001
        closeFebruaryAndMarch();

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("1000");
            assertThat(a.getEvidence()).containsEntry("unattributed_lines", "2").containsEntry("share", "0.0010")
                    .containsEntry("billed_total", "1000000");
        });
    }

    @Test
    void shouldAlertWhenUnattributedShareReachesTheMinimumShare() {
        lw.invoice(february(KNOWN, "inv-1", "seats", "9950", "USD"));
        lw.invoice(february(null, "inv-x", "seats", "50", "USD"));   // 50 of 10,000 = 0.005
        closeFebruaryAndMarch();

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("50");
            assertThat(a.getEvidence()).containsEntry("share", "0.0050").containsEntry("billed_total", "10000");
        });
    }

    @Test
    void shouldJudgeEachCurrencyOfAPeriodOnItsOwn() {
        lw.invoice(february(KNOWN, "inv-1", "seats", "100000", "USD"));
        lw.invoice(february(null, "inv-x", "seats", "1500", "USD"));
        lw.invoice(february(KNOWN, "inv-2", "seats-eu", "1000", "EUR"));
        lw.invoice(february(null, "inv-y", "seats-eu", "20", "EUR"));   // 20 of 1020 EUR
        lw.invoice(february(null, "inv-z", "seats", "5000", "JPY"));    // JPY: 5000 >= 1000 in its own major unit
        closeFebruaryAndMarch();

        assertThat(lw.alerts()).extracting(a -> a.getEvidenceKey() + " " + a.getAmount().stripTrailingZeros().toPlainString()
                        + " " + a.getEvidence().get("share"))
                .containsExactly("2026-02/EUR 20 0.0196", "2026-02/JPY 5000 1.0000", "2026-02/USD 1500 0.0148");
    }

    @Test
    void shouldJudgeAPeriodWhenEveryPartitionHasClosedIt() {
        lw.invoice(february(null, "inv-x", "seats", "1500", "USD"));
        lw.advanceStreamTimeTo(at(FEBRUARY_CLOSE).minusMillis(1));
        assertThat(lw.alerts()).as("February not closed yet").isEmpty();

        lw.advanceStreamTimeTo(at(FEBRUARY_CLOSE));
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getEvidenceKey()).isEqualTo("2026-02/USD");
            assertThat(a.getDetectedAt()).isEqualTo(at(FEBRUARY_CLOSE));
        });
    }

    @Test
    void shouldNotCountARedeliveredLineTwice() {
        lw.invoice(february(KNOWN, "inv-1", "seats", "1000000", "USD"));
        InvoiceLine unattributed = february(null, "inv-x", "seats", "600", "USD");
        lw.invoice(unattributed).invoice(unattributed);   // 600, not 1200
        closeFebruaryAndMarch();

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldCountALineIssuedBeforeItsPeriodClosesButNotOneIssuedAfter() {
        lw.invoice(february(KNOWN, "inv-1", "seats", "1000000", "USD"));
        lw.invoice(line(null, "inv-x", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "1", "700", "700",
                "USD", "2026-03-05T23:59:59.999Z"));
        // Within the lateness of ingest, but February has already closed: checked per line, not in February's totals
        lw.invoice(line(null, "inv-y", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "1", "700", "700",
                "USD", "2026-03-06T00:00:00Z"));
        closeFebruaryAndMarch();

        assertThat(lw.alerts()).isEmpty();
    }

    /** Closes February, adds a March line, closes March: February's summary is final. */
    private void closeFebruaryAndMarch() {
        lw.advanceStreamTimeTo(at(FEBRUARY_CLOSE));
        lw.invoice(march(KNOWN, "inv-next", "seats", "10", "USD"));
        lw.advanceStreamTimeTo(at(MARCH_CLOSE));
    }

    /** A correctly priced line (quantity {@code total} at 1 per unit). */
    private static InvoiceLine february(String account, String invoiceId, String service, String total, String currency) {
        return line(account, invoiceId, "L1", service, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                total, "1", total, currency, "2026-03-01T06:00:00Z");
    }

    private static InvoiceLine march(String account, String invoiceId, String service, String total, String currency) {
        return line(account, invoiceId, "L1", service, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                total, "1", total, currency, "2026-04-01T06:00:00Z");
    }
}
