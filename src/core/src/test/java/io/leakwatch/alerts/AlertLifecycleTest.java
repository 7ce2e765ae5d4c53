package io.leakwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.FeedbackAction;
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

    private static AlertFeedback feedback(FeedbackAction action, String comment, String givenAt) {
        return AlertFeedback.newBuilder().setFeedbackId("f-" + givenAt).setAlertId("a1").setAccountId("acct-1")
                .setAction(action).setComment(comment).setBy("Dana").setGivenAt(Instant.parse(givenAt)).build();
    }

    @Test
    void shouldMarkAStandingAlertAFalsePositiveWithWhoAndWhyInPlainWords() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);

        AlertLifecycle.FeedbackOutcome outcome = lifecycle.feedback(
                feedback(FeedbackAction.FALSE_POSITIVE, "the customer has a side letter", "2026-03-05T10:00:00Z"));

        Alert marked = outcome.next().orElseThrow();
        assertThat(outcome.refused()).isFalse();
        assertThat(marked.getStatus()).isEqualTo(AlertStatus.FALSE_POSITIVE);
        assertThat(marked.getRevision()).isEqualTo(2);
        assertThat(marked.getStatusReason()).isEqualTo("Marked a false positive by Dana: the customer has a side letter.");
        assertThat(marked.getDetectedAt()).isEqualTo(Instant.parse("2026-03-05T10:00:00Z"));
        assertThat(marked.getAmount()).isEqualByComparingTo("15");
    }

    @Test
    void shouldSayNothingWhenTheSameFeedbackComesAgain() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        lifecycle.feedback(feedback(FeedbackAction.RESOLVE, "credit note cn-4 issued", "2026-03-05T10:00:00Z"));

        AlertLifecycle.FeedbackOutcome again =
                lifecycle.feedback(feedback(FeedbackAction.RESOLVE, "credit note cn-4 issued", "2026-03-06T10:00:00Z"));

        assertThat(again.refused()).isFalse();
        assertThat(again.next()).isEmpty();
        assertThat(told.get("a1").getRevision()).isEqualTo(2);
    }

    @Test
    void shouldRefuseFeedbackForAnAlertNeverRaisedOrOfAnotherAccount() {
        assertThat(lifecycle.feedback(feedback(FeedbackAction.ACKNOWLEDGE, null, "2026-03-05T10:00:00Z")).refusal())
                .isEqualTo("no alert a1 is known for account acct-1: it was never raised for that account, or it is"
                        + " older than the alert retention");
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);

        AlertFeedback otherAccount = AlertFeedback.newBuilder(feedback(FeedbackAction.ACKNOWLEDGE, null,
                "2026-03-05T10:00:00Z")).setAccountId("acct-2").build();

        assertThat(lifecycle.feedback(otherAccount).refusal())
                .isEqualTo("alert a1 belongs to account acct-1, not to acct-2");
        assertThat(told.get("a1").getRevision()).isEqualTo(1);
    }

    @Test
    void shouldKeepAnAcknowledgedAlertFollowingTheRules() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        Alert seen = lifecycle.feedback(feedback(FeedbackAction.ACKNOWLEDGE, null, "2026-03-05T10:00:00Z"))
                .next().orElseThrow();

        Alert revised = lifecycle.raised(finding("12.0000", "2026-03-06T00:00:00Z"), null).orElseThrow();
        Alert withdrawn = lifecycle.withdrawn("a1", Instant.parse("2026-03-07T00:00:00Z"), "the payment came").orElseThrow();

        assertThat(seen.getStatusReason()).isEqualTo("Acknowledged by Dana.");
        assertThat(revised.getStatus()).isEqualTo(AlertStatus.ACKNOWLEDGED);
        assertThat(revised.getRevision()).isEqualTo(3);
        assertThat(withdrawn.getStatus()).isEqualTo(AlertStatus.WITHDRAWN);
        assertThat(withdrawn.getRevision()).isEqualTo(4);
    }

    @Test
    void shouldNeverRaiseAgainAWithdrawnAlertPeopleMarkedAFalsePositive() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        lifecycle.withdrawn("a1", Instant.parse("2026-03-02T00:00:00Z"), "why");
        Alert marked = lifecycle.feedback(feedback(FeedbackAction.FALSE_POSITIVE, "not ours", "2026-03-05T10:00:00Z"))
                .next().orElseThrow();

        assertThat(marked.getRevision()).isEqualTo(3);
        assertThat(lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), "Usage u-7 reached us late")).isEmpty();
        assertThat(lifecycle.raised(finding("20.0000", "2026-03-08T00:00:00Z"), "Contract v3 reached us late")).isEmpty();
        assertThat(told.get("a1").getStatus()).isEqualTo(AlertStatus.FALSE_POSITIVE);
    }

    @Test
    void shouldRefuseToAcknowledgeAnAlertThatNoLongerStands() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        lifecycle.withdrawn("a1", Instant.parse("2026-03-02T00:00:00Z"), "why");

        assertThat(lifecycle.feedback(feedback(FeedbackAction.ACKNOWLEDGE, null, "2026-03-05T10:00:00Z")).refusal())
                .isEqualTo("alert a1 is WITHDRAWN: only a standing alert can be acknowledged");
    }

    @Test
    void shouldLetPeopleChangeAResolvedAlertIntoAFalsePositive() {
        lifecycle.raised(finding("15.0000", "2026-03-01T06:00:00Z"), null);
        lifecycle.feedback(feedback(FeedbackAction.RESOLVE, null, "2026-03-05T10:00:00Z"));

        Alert changed = lifecycle.feedback(feedback(FeedbackAction.FALSE_POSITIVE, "side letter.", "2026-03-04T10:00:00Z"))
                .next().orElseThrow();

        assertThat(changed.getStatus()).isEqualTo(AlertStatus.FALSE_POSITIVE);
        assertThat(changed.getRevision()).isEqualTo(3);
        assertThat(changed.getStatusReason()).isEqualTo("Marked a false positive by Dana: side letter.");
        assertThat(changed.getDetectedAt()).as("never earlier than the record it follows")
                .isEqualTo(Instant.parse("2026-03-05T10:00:00Z"));
    }
}
