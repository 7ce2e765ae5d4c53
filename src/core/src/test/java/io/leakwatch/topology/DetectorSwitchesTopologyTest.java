package io.leakwatch.topology;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.DetectorSwitches;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.testing.TopologyHarness;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Detectors switched off by alert type, end to end through the production topology: the same history raises the
 * switched-off types with every detector on, and nothing of them with the switch set, while the other types stand.
 * The history: a contract for seats at 1.00, one February invoice (USD 500) under-billed at 0.90 and never paid, and
 * USD 2,000 billed to no account in February.
 */
class DetectorSwitchesTopologyTest {
    private static final String ACCOUNT = "acct-1";

    private static List<String> standingTypes(DetectorSwitches switches) {
        try (TopologyHarness lw = new TopologyHarness(s -> s.toBuilder()
                .detection(s.detection().withSwitches(switches)).build())) {
            lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                    rate("seats", "1", "USD", "2026-01-01T00:00:00Z", null)));
            lw.invoice(february(ACCOUNT, "inv-1", "500", "0.90", "450.00"));
            lw.invoice(february(null, "inv-x", "2000", "1", "2000"));
            lw.advanceStreamTimeTo(at("2026-06-01T00:00:00Z"));
            return lw.standing().stream().map(Alert::getType).sorted().toList();
        }
    }

    private static InvoiceLine february(String account, String invoiceId, String quantity, String rate, String total) {
        return line(account, invoiceId, "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                quantity, rate, total, "USD", "2026-03-01T06:00:00Z");
    }

    @Test
    void shouldRaiseEveryTypeTheHistoryHoldsWhenAllDetectorsAreOn() {
        assertThat(standingTypes(DetectorSwitches.allOn()))
                .contains("RATE_MISMATCH", "UNPAID_INVOICE", "UNATTRIBUTED_REVENUE");
    }

    @Test
    void shouldRaiseNoAlertOfATypeSwitchedOffAndKeepTheOthers() {
        List<String> allOn = standingTypes(DetectorSwitches.allOn());

        List<String> switched = standingTypes(
                DetectorSwitches.off(Set.of(AlertType.UNPAID_INVOICE, AlertType.UNATTRIBUTED_REVENUE)));

        assertThat(switched).doesNotContain("UNPAID_INVOICE", "UNATTRIBUTED_REVENUE").contains("RATE_MISMATCH");
        assertThat(switched).isEqualTo(allOn.stream()
                .filter(t -> !t.equals("UNPAID_INVOICE") && !t.equals("UNATTRIBUTED_REVENUE")).toList());
    }
}
