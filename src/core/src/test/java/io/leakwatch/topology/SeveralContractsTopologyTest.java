package io.leakwatch.topology;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.testing.TopologyHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An account with several contracts (a main plan and an add-on; a second contract for the same service): each line
 * is checked against the contract that prices its service, and the alerts standing at the end do not depend on
 * which contract arrived first. Defaults: close grace P5D, payment terms P30D + grace P3D.
 */
class SeveralContractsTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private static final String FEB = "2026-02-01T00:00:00Z";
    private static final String MAR = "2026-03-01T00:00:00Z";
    private static final String ISSUED = "2026-03-01T06:00:00Z";

    private static final Contract PLAN = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
            rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null));
    /** Support and metered API calls, sold as an add-on two weeks after the plan. */
    private static final Contract ADD_ON = contract("ctr-addon", ACCOUNT, 1, "2026-01-15T00:00:00Z",
            rate("support", "200", "USD", "2026-01-01T00:00:00Z", null),
            rate("api", "2", "USD", "2026-01-01T00:00:00Z", null));

    private static InvoiceLine february(String lineId, String service, String quantity, String rate, String total) {
        return line(ACCOUNT, "inv-1", lineId, service, FEB, MAR, quantity, rate, total, "USD", ISSUED);
    }

    private static final List<InvoiceLine> LINES = List.of(
            february("L1", "seats", "5", "10", "50.00"),
            february("L2", "support", "1", "150", "150.00"),
            february("L3", "api", "80", "2", "160.00"));
    private static final UsageRecord API_USE = usage(ACCOUNT, "u1", "api", "100", "2026-02-10T00:00:00Z");

    /** alert id, type, amount: what stands, in alert id order. */
    private static List<String> standing(TopologyHarness lw) {
        return lw.standing().stream().sorted(java.util.Comparator.comparing(Alert::getAlertId))
                .map(a -> a.getAlertId() + " " + a.getType() + " " + a.getAmount().stripTrailingZeros().toPlainString())
                .toList();
    }

    @Test
    void shouldCheckEachLineAgainstTheContractThatPricesItsService() {
        try (TopologyHarness lw = new TopologyHarness()) {
            lw.contract(PLAN).contract(ADD_ON).usage(API_USE);
            LINES.forEach(lw::invoice);
            lw.advanceStreamTimeTo(at("2026-03-20T00:00:00Z"));

            assertThat(lw.standing()).extracting(a -> a.getType() + " " + a.getEvidenceKey() + " "
                    + a.getAmount().stripTrailingZeros().toPlainString())
                    .containsExactlyInAnyOrder("RATE_MISMATCH inv-1/L2 50", "UNBILLED_USAGE api/2026-02 40");
        }
    }

    @Test
    void shouldLeaveTheSameAlertsStandingWhenTheAddOnContractArrivesLate() {
        List<String> inOrder;
        try (TopologyHarness lw = new TopologyHarness()) {
            lw.contract(PLAN).contract(ADD_ON).usage(API_USE);
            LINES.forEach(lw::invoice);
            lw.advanceStreamTimeTo(at("2026-03-20T00:00:00Z"));
            inOrder = standing(lw);
        }
        try (TopologyHarness lw = new TopologyHarness()) {
            // Given the add-on's lines judged before the add-on contract reached us: priced by no contract
            lw.contract(PLAN).usage(API_USE);
            LINES.forEach(lw::invoice);
            lw.advanceStreamTimeTo(at("2026-03-20T00:00:00Z"));
            assertThat(lw.standing()).extracting(Alert::getType).contains("NO_ACTIVE_CONTRACT");

            // When the add-on contract, signed before the invoice, arrives
            lw.contract(ADD_ON);

            // Then what stands is what an in-order run leaves, and the NO_ACTIVE_CONTRACT alerts are withdrawn
            assertThat(standing(lw)).isEqualTo(inOrder);
            assertThat(lw.alertLog()).filteredOn(a -> a.getType().equals("NO_ACTIVE_CONTRACT"))
                    .filteredOn(a -> a.getStatus() == AlertStatus.WITHDRAWN).hasSize(2);
        }
    }

    @Test
    void shouldRaiseContractOverlapWhenASecondContractForTheSameServiceArrivesLateAndWithdrawItWhenAmended() {
        try (TopologyHarness lw = new TopologyHarness()) {
            lw.contract(PLAN).invoice(february("L1", "seats", "5", "10", "50.00"));
            lw.advanceStreamTimeTo(at("2026-03-10T00:00:00Z"));
            assertThat(lw.standing()).isEmpty();

            // a seats bundle, signed in January, that also prices seats in February
            lw.contract(contract("ctr-bundle", ACCOUNT, 1, "2026-01-20T00:00:00Z",
                    rate("seats", "9", "USD", "2026-01-01T00:00:00Z", null)));
            assertThat(lw.standing()).singleElement().satisfies(a -> {
                assertThat(a.getType()).isEqualTo("CONTRACT_OVERLAP");
                assertThat(a.getAmount()).isEqualByComparingTo("50.00");
                assertThat(a.getEvidence()).containsEntry("contract_ids", "ctr-acct-1,ctr-bundle");
            });

            // its amendment, signed before the invoice, ends the bundle's seats before February
            lw.contract(contract("ctr-bundle", ACCOUNT, 2, "2026-02-15T00:00:00Z",
                    rate("seats", "9", "USD", "2026-01-01T00:00:00Z", FEB)));
            assertThat(lw.standing()).isEmpty();
            assertThat(lw.alertLog()).last().satisfies(a -> {
                assertThat(a.getType()).isEqualTo("CONTRACT_OVERLAP");
                assertThat(a.getStatus()).isEqualTo(AlertStatus.WITHDRAWN);
            });
        }
    }
}
