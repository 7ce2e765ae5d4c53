package io.leakwatch.topology;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.FeedbackAction;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.testing.TopologyHarness;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** People's decisions about alerts, through the alert-feedback topic of the production topology. */
class AlertFeedbackTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private final TopologyHarness lw = new TopologyHarness();

    @AfterEach
    void close() {
        lw.close();
    }

    /** A RATE_MISMATCH of acct-1 on inv-1/L1 (billed 11, contract 12.50), judged on 2026-03-01. */
    private Alert rateMismatch() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "12.50", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "10", "11.00", "110.00", "USD", "2026-03-01T06:00:00Z"));
        return lw.allAlerts().stream().filter(a -> a.getType().equals("RATE_MISMATCH")).findFirst().orElseThrow();
    }

    private static AlertFeedback feedback(String alertId, String account, FeedbackAction action, String comment,
                                          String givenAt) {
        return AlertFeedback.newBuilder().setFeedbackId("f-" + givenAt).setAlertId(alertId).setAccountId(account)
                .setAction(action).setComment(comment).setBy("Dana").setGivenAt(at(givenAt)).build();
    }

    @Test
    void shouldEmitTheAlertsNextRecordWhenFeedbackMarksItAFalsePositive() {
        Alert raised = rateMismatch();

        lw.feedback(feedback(raised.getAlertId(), ACCOUNT, FeedbackAction.FALSE_POSITIVE,
                "the customer has a side letter", "2026-03-05T10:00:00Z"));

        List<TestRecord<String, byte[]>> records = lw.alertRecords();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(ACCOUNT);
            assertThat(r.timestamp()).isEqualTo(at("2026-03-05T10:00:00Z").toEpochMilli());
        });
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldCarryStatusRevisionAndWhoDecidedInTheNextRecord() {
        Alert raised = rateMismatch();

        lw.feedback(feedback(raised.getAlertId(), ACCOUNT, FeedbackAction.FALSE_POSITIVE,
                "the customer has a side letter", "2026-03-05T10:00:00Z"));

        assertThat(lw.allAlerts()).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo(raised.getAlertId());
            assertThat(a.getStatus()).isEqualTo(AlertStatus.FALSE_POSITIVE);
            assertThat(a.getRevision()).isEqualTo(raised.getRevision() + 1);
            assertThat(a.getStatusReason()).isEqualTo("Marked a false positive by Dana: the customer has a side letter.");
            assertThat(a.getDetectedAt()).isEqualTo(at("2026-03-05T10:00:00Z"));
            assertThat(a.getAmount()).isEqualByComparingTo(raised.getAmount());
        });
    }

    @Test
    void shouldSayNothingWhenTheSameFeedbackIsDeliveredAgain() {
        Alert raised = rateMismatch();
        AlertFeedback resolved = feedback(raised.getAlertId(), ACCOUNT, FeedbackAction.RESOLVE, "credit note cn-4",
                "2026-03-05T10:00:00Z");
        lw.feedback(resolved);
        assertThat(lw.allAlerts()).hasSize(1);

        lw.feedback(resolved);

        assertThat(lw.allAlerts()).isEmpty();
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldDeadLetterFeedbackForAnAlertIdTheAccountDoesNotHave() {
        Alert raised = rateMismatch();

        lw.feedback(feedback("0123456789abcdef0123456789abcdef", ACCOUNT, FeedbackAction.ACKNOWLEDGE, null,
                "2026-03-05T10:00:00Z"));
        lw.feedback(feedback(raised.getAlertId(), "acct-2", FeedbackAction.ACKNOWLEDGE, null, "2026-03-05T11:00:00Z"));

        List<TestRecord<String, byte[]>> dead = lw.deadLetters();
        assertThat(dead).hasSize(2).allSatisfy(r -> {
            assertThat(header(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("feedback-refused");
            assertThat(header(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("alert-feedback");
        });
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.DETAIL))
                .isEqualTo("no alert 0123456789abcdef0123456789abcdef is known for account acct-1: it was never raised"
                        + " for that account, or it is older than the alert retention");
        assertThat(header(dead.get(1).headers(), DeadLetterHeaders.DETAIL))
                .isEqualTo("alert " + raised.getAlertId() + " belongs to account acct-1, not to acct-2");
        assertThat(lw.allAlerts()).isEmpty();
        assertThat(lw.driver().metrics().entrySet()).anySatisfy(m -> {
            assertThat(m.getKey().name()).isEqualTo("feedback-refused-total");
            assertThat(m.getValue().metricValue()).isEqualTo(2.0);
        });
    }

    @Test
    void shouldDeadLetterFeedbackGivenBeforeItsAlertExistsAndRaiseTheAlertOpenLater() {
        String id = io.leakwatch.alerts.AlertIds.of(io.leakwatch.alerts.AlertType.RATE_MISMATCH, ACCOUNT, "inv-1/L1");
        lw.feedback(feedback(id, ACCOUNT, FeedbackAction.FALSE_POSITIVE, "premature", "2026-02-15T10:00:00Z"));

        Alert raised = rateMismatch();

        assertThat(lw.deadLetters()).singleElement().satisfies(r ->
                assertThat(header(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("feedback-refused"));
        assertThat(raised.getAlertId()).isEqualTo(id);
        assertThat(raised.getStatus()).isEqualTo(AlertStatus.OPEN);
        assertThat(raised.getRevision()).isEqualTo(1);
    }

    @Test
    void shouldNotLetAFeedbacksTimeJudgeWhatTheEventsHaveNotReached() {
        Alert raised = rateMismatch();
        // an unpaid invoice of another account: due 30 days after 2026-03-01, judged when stream time passes it
        lw.invoice(line("acct-2", "inv-9", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "10", "12.50", "125.00", "USD", "2026-03-01T07:00:00Z"));
        lw.allAlerts();

        lw.feedback(feedback(raised.getAlertId(), ACCOUNT, FeedbackAction.ACKNOWLEDGE, null, "2027-06-01T00:00:00Z"));

        assertThat(lw.allAlerts()).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo(raised.getAlertId());
            assertThat(a.getStatus()).isEqualTo(AlertStatus.ACKNOWLEDGED);
        });
        lw.advanceStreamTimeTo(at("2027-06-01T00:00:00Z"));
        assertThat(lw.allAlerts()).as("the events' own time still judges acct-2 when it gets there")
                .anySatisfy(a -> assertThat(a.getAccountId()).isEqualTo("acct-2"));
    }

    @Test
    void shouldKeepAFalsePositiveWhenALaterContractRevisesTheFinding() {
        Alert raised = rateMismatch();
        lw.feedback(feedback(raised.getAlertId(), ACCOUNT, FeedbackAction.FALSE_POSITIVE, "side letter",
                "2026-03-05T10:00:00Z"));
        lw.allAlerts();

        // a contract version signed before the line, reaching us late, sets another rate: the finding changes
        lw.contract(contract(ACCOUNT, 2, "2026-01-15T00:00:00Z", rate("seats", "13", "USD", "2026-01-01T00:00:00Z", null)));

        assertThat(lw.allAlerts()).noneSatisfy(a -> assertThat(a.getAlertId()).isEqualTo(raised.getAlertId()));
        assertThat(lw.standing()).anySatisfy(a -> {
            assertThat(a.getAlertId()).isEqualTo(raised.getAlertId());
            assertThat(a.getStatus()).isEqualTo(AlertStatus.FALSE_POSITIVE);
        });
    }
}
