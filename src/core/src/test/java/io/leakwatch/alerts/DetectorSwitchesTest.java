package io.leakwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorSwitchesTest {

    @Test
    void shouldReadTypesInAnyCaseAndIgnoreBlanks() {
        DetectorSwitches switches = DetectorSwitches.parseOff(" unpaid_invoice, ,UNDERPAYMENT ");

        assertThat(switches.off()).containsExactlyInAnyOrder(AlertType.UNPAID_INVOICE, AlertType.UNDERPAYMENT);
        assertThat(switches.isOn(AlertType.RATE_MISMATCH)).isTrue();
        assertThat(switches.isOn(AlertType.UNDERPAYMENT)).isFalse();
    }

    @Test
    void shouldTurnEveryDetectorOnForAnEmptyList() {
        assertThat(DetectorSwitches.parseOff("")).isEqualTo(DetectorSwitches.allOn());
        assertThat(DetectorSwitches.allOn().describe("the key")).isEqualTo("detectors: all 18 alert types on");
    }

    @Test
    void shouldNameTheWordThatIsNoAlertType() {
        assertThatThrownBy(() -> DetectorSwitches.parseOff("UNPAID_INVOICE,UNPAID"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'UNPAID' is no alert type (one of RATE_MISMATCH,");
    }

    @Test
    void shouldSayWhichTypesAreOffAndWhere() {
        DetectorSwitches switches = DetectorSwitches.parseOff("UNDERPAYMENT,UNPAID_INVOICE");

        assertThat(switches.describe("leakwatch.detectors.off"))
                .isEqualTo("detectors: 16 of 18 alert types on; off by leakwatch.detectors.off: UNPAID_INVOICE, UNDERPAYMENT");
    }

    @Test
    void shouldDropOnlyTheFindingsOfTypesSwitchedOff() {
        Finding unpaid = finding(AlertType.UNPAID_INVOICE);
        Finding rate = finding(AlertType.RATE_MISMATCH);

        List<Finding> kept = DetectorSwitches.parseOff("UNPAID_INVOICE").filter(List.of(unpaid, rate));

        assertThat(kept).containsExactly(rate);
    }

    private static Finding finding(AlertType type) {
        return new Finding(type, "acct-1", "inv-1", new BigDecimal("10.00"), "USD", Instant.parse("2026-02-01T00:00:00Z"),
                Map.of(), "explanation", "action");
    }
}
