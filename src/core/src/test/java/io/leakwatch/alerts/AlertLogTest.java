package io.leakwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertLogTest {
    private static Alert alert(String id, int revision, AlertStatus status, String amount) {
        return Alert.newBuilder().setAlertId(id).setType("RATE_MISMATCH").setSeverity(Severity.LOW)
                .setAccountId("acct-1").setEvidenceKey("inv-1/" + id).setAmount(new BigDecimal(amount)).setCurrency("USD")
                .setExplanation("e").setRecommendedAction("a").setEventTime(Instant.parse("2026-02-01T00:00:00Z"))
                .setDetectedAt(Instant.parse("2026-03-01T00:00:00Z")).setEvidence(Map.of())
                .setStatus(status).setRevision(revision).build();
    }

    @Test
    void shouldKeepTheHighestRevisionOfEachAlertWhateverTheOrderItWasRead() {
        AlertLog log = AlertLog.of(List.of(
                alert("a", 2, AlertStatus.OPEN, "12.0000"),
                alert("a", 1, AlertStatus.OPEN, "15.0000"),
                alert("b", 1, AlertStatus.OPEN, "5.0000"),
                alert("b", 2, AlertStatus.WITHDRAWN, "5.0000"),
                alert("b", 2, AlertStatus.WITHDRAWN, "5.0000")));

        assertThat(log.standing()).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo("a");
            assertThat(a.getAmount()).isEqualByComparingTo("12");
        });
        assertThat(log.withdrawn()).extracting(Alert::getAlertId).containsExactly("b");
        assertThat(log.raisedThenWithdrawn()).isEqualTo(1);
        assertThat(log.records()).isEqualTo(5);
    }

    @Test
    void shouldStandAgainWhenAWithdrawnAlertIsReopened() {
        AlertLog log = AlertLog.of(List.of(
                alert("a", 1, AlertStatus.OPEN, "15.0000"),
                alert("a", 2, AlertStatus.WITHDRAWN, "15.0000"),
                alert("a", 3, AlertStatus.OPEN, "15.0000")));

        assertThat(log.standing()).extracting(Alert::getRevision).containsExactly(3);
        assertThat(log.raisedThenWithdrawn()).isZero();
    }
}
