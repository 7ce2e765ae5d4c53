package io.leakwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
    private final Map<String, Alert> told = new HashMap<>();
    private final AlertLifecycle lifecycle = new AlertLifecycle(new AlertLifecycle.Told() {
        @Override
        public Alert get(String alertId) {
            return told.get(alertId);
        }

        @Override
        public void put(Alert alert) {
            told.put(alert.getAlertId(), alert);
        }
    });

    private static Alert finding(String amount, String detectedAt) {
        return Alert.newBuilder().setAlertId("a1").setType("RATE_MISMATCH").setSeverity(Severity.LOW)
                .setAccountId("acct-1").setEvidenceKey("inv-1/L1").setAmount(new BigDecimal(amount)).setCurrency("USD")
                .setExplanation("Invoice inv-1 billed 10 seats at 11, contract ctr-1 v1 sets 12.5.")
                .setRecommendedAction("Correct the rate.").setEventTime(Instant.parse("2026-02-01T00:00:00Z"))
                .setDetectedAt(Instant.parse(detectedAt)).setEvidence(Map.of("contract_version", "1")).build();
    }

    @Test
    void shouldRaiseANewFindingAsOpenRevisionOneWithoutAReason() {
        Alert first = lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), "ignored for a first record").orElseThrow();

        assertThat(first.getStatus()).isEqualTo(AlertStatus.OPEN);
        assertThat(first.getRevision()).isEqualTo(1);
        assertThat(first.getStatusReason()).isNull();
    }

    @Test
    void shouldSayNothingWhenTheSameFindingIsJudgedAgainLater() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);

        assertThat(lifecycle.raised(finding("15.0000", "2026-04-01T00:00:00Z"), "a replay")).isEmpty();
    }

    @Test
    void shouldReviseAFindingWhoseAmountChangedAndSayFromWhatToWhat() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);

        Alert revised = lifecycle.raised(finding("12.0000", "2026-03-01T06:00:00Z"),
                "Contract ctr-1 v2 (signed 2026-02-25) reached us after invoice inv-1 line L1 was judged").orElseThrow();

        assertThat(revised.getRevision()).isEqualTo(2);
        assertThat(revised.getStatus()).isEqualTo(AlertStatus.OPEN);
        assertThat(revised.getStatusReason()).isEqualTo("Revised: contract ctr-1 v2 (signed 2026-02-25) reached us after"
                + " invoice inv-1 line L1 was judged; the amount at risk is now USD 12.00 (was USD 15.00).");
    }

    @Test
    void shouldWithdrawAStandingFindingWithItsLastContentAndTheReason() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);

        Alert withdrawn = lifecycle.withdrawn("a1", Instant.parse("2026-03-02T00:00:00Z"),
                "payment p-9 (succeeded, 2026-03-01) reached us after the payments of invoice inv-1 were judged").orElseThrow();

        assertThat(withdrawn.getStatus()).isEqualTo(AlertStatus.WITHDRAWN);
        assertThat(withdrawn.getRevision()).isEqualTo(2);
        assertThat(withdrawn.getAmount()).isEqualByComparingTo("15");
        assertThat(withdrawn.getDetectedAt()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(withdrawn.getStatusReason()).isEqualTo("Payment p-9 (succeeded, 2026-03-01) reached us after the"
                + " payments of invoice inv-1 were judged.");
    }

    @Test
    void shouldNotWithdrawWhatWasNeverRaisedOrIsAlreadyWithdrawn() {
        assertThat(lifecycle.withdrawn("a1", Instant.parse("2026-03-02T00:00:00Z"), "why")).isEmpty();
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        lifecycle.withdrawn("a1", Instant.parse("2026-03-02T00:00:00Z"), "why");

        assertThat(lifecycle.withdrawn("a1", Instant.parse("2026-03-03T00:00:00Z"), "why")).isEmpty();
    }

    @Test
    void shouldRaiseAWithdrawnFindingAgainAsTheNextRevision() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        lifecycle.withdrawn("a1", Instant.parse("2026-03-02T00:00:00Z"), "why");

        Alert again = lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), "Usage record u-7 reached us late")
                .orElseThrow();

        assertThat(again.getRevision()).isEqualTo(3);
        assertThat(again.getStatus()).isEqualTo(AlertStatus.OPEN);
        assertThat(again.getStatusReason()).isEqualTo("Raised again: usage record u-7 reached us late; the finding holds again.");
    }

    @Test
    void shouldLeaveAFindingPeopleHaveJudgedAlone() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        told.put("a1", Alert.newBuilder(told.get("a1")).setStatus(AlertStatus.FALSE_POSITIVE).setRevision(2).build());

        assertThat(lifecycle.raised(finding("12.0000", "2026-03-01T06:00:00Z"), "why")).isEmpty();
        assertThat(lifecycle.withdrawn("a1", Instant.parse("2026-03-02T00:00:00Z"), "why")).isEmpty();
    }
}
