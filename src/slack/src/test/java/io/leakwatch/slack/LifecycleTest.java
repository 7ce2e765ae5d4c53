package io.leakwatch.slack;

import static io.leakwatch.slack.TestAlerts.alert;
import static io.leakwatch.slack.TestAlerts.revised;
import static io.leakwatch.slack.TestAlerts.revision;
import static io.leakwatch.slack.TestAlerts.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.config.Secret;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which step each record of an alert's life leads to, from what Slack shows and what waits in the outbox. */
class LifecycleTest {
    private static final Destination OPS = new Destination.Channel("#ops");
    private static final Destination FINANCE = new Destination.Webhook(new Secret("https://hooks.example.com/finance", "test"));
    private static final MessageRef POSTED = new MessageRef("C-OPS", "1700000000.000001");

    private final Route critical = new Route("critical", OPS, Set.of(), Severity.CRITICAL, null, Set.of());
    private final Router router = new Router(List.of(critical), Optional.of(Route.catchAll("default", FINANCE)),
            Severity.LOW, AmountThreshold.NONE);
    private final Lifecycle lifecycle = new Lifecycle(router, true);

    private final Alert first = alert("a1", Severity.CRITICAL, "ACC-1", "2500");

    private static Delivery shown(Alert a, int revision, Destination where, Optional<MessageRef> message) {
        return new Delivery(a.getAlertId(), where.key(), revision, AlertStatus.OPEN, message, new BigDecimal("2500"), "USD");
    }

    @Test
    void shouldPostTheFirstRevisionOfAnAlertSlackHasNotShown() {
        Lifecycle.Step step = lifecycle.decide(first, Optional.empty(), OptionalInt.empty());

        assertThat(step).isEqualTo(new Lifecycle.Post(critical));
    }

    @Test
    void shouldSkipARevisionNotNewerThanTheOneSlackShows() {
        // Given Slack shows revision 2 (the withdrawal)
        Delivery applied = new Delivery("a1", OPS.key(), 2, AlertStatus.WITHDRAWN, Optional.of(POSTED), null, null);

        // When the withdrawal is read again, and the first revision too (a replay)
        Lifecycle.Step again = lifecycle.decide(withdrawn(first, 2, "late contract"), Optional.of(applied), OptionalInt.empty());
        Lifecycle.Step older = lifecycle.decide(first, Optional.of(applied), OptionalInt.empty());

        // Then
        assertThat(again).isEqualTo(new Lifecycle.Repeat(false));
        assertThat(older).isEqualTo(new Lifecycle.Repeat(false));
    }

    @Test
    void shouldJoinTheWaitingItemWhenItsRevisionIsReadAgainBeforeItIsSent() {
        Lifecycle.Step step = lifecycle.decide(first, Optional.empty(), OptionalInt.of(1));

        assertThat(step).isEqualTo(new Lifecycle.Repeat(true));
    }

    @Test
    void shouldEditTheMessageTheBotTokenPostedWhenALaterRevisionArrives() {
        Delivery prior = shown(first, 1, OPS, Optional.of(POSTED));

        Lifecycle.Step step = lifecycle.decide(withdrawn(first, 2, "late contract"), Optional.of(prior), OptionalInt.empty());

        assertThat(step).isEqualTo(new Lifecycle.Update(prior, "critical", OPS, Optional.of(POSTED)));
    }

    @Test
    void shouldUpdateTheMessageWithWhatIsWaitingWhenARevisionFollowsAnotherNotSentYet() {
        Delivery prior = shown(first, 1, OPS, Optional.of(POSTED));

        Lifecycle.Step step = lifecycle.decide(revised(first, 3, "3000", "usage corrected"), Optional.of(prior), OptionalInt.of(2));

        assertThat(step).isEqualTo(new Lifecycle.Update(prior, "critical", OPS, Optional.of(POSTED)));
    }

    @Test
    void shouldFollowUpWhereTheAlertWentWhenItsMessageCannotBeEdited() {
        // Given the alert went out through the default webhook (no ts)
        Alert low = alert("a2", Severity.MEDIUM, "ACC-2", "10");
        Delivery prior = shown(low, 1, FINANCE, Optional.empty());

        Lifecycle.Step step = lifecycle.decide(withdrawn(low, 2, "late contract"), Optional.of(prior), OptionalInt.empty());

        assertThat(step).isEqualTo(new Lifecycle.Update(prior, "default", FINANCE, Optional.empty()));
    }

    @Test
    void shouldFollowUpInsteadOfEditingWhenNoBotTokenIsConfigured() {
        Delivery prior = shown(first, 1, OPS, Optional.of(POSTED));

        Lifecycle.Step step = new Lifecycle(router, false)
                .decide(withdrawn(first, 2, "late contract"), Optional.of(prior), OptionalInt.empty());

        assertThat(step).isEqualTo(new Lifecycle.Update(prior, "critical", OPS, Optional.empty()));
    }

    @Test
    void shouldEditInTheRecordedChannelWhenItsRouteIsNoLongerConfigured() {
        Delivery prior = new Delivery("a1", "channel:#old-alerts", 1, AlertStatus.OPEN,
                Optional.of(new MessageRef("C-OLD", "1700000000.000009")), null, null);

        Lifecycle.Step step = lifecycle.decide(withdrawn(first, 2, "late contract"), Optional.of(prior), OptionalInt.empty());

        assertThat(step).isEqualTo(new Lifecycle.Update(prior, Lifecycle.ORIGINAL_MESSAGE, new Destination.Channel("C-OLD"),
                Optional.of(new MessageRef("C-OLD", "1700000000.000009"))));
    }

    @Test
    void shouldFollowUpWhereTheRouterSendsTheAlertTodayWhenTheOriginalWebhookIsGone() {
        Delivery prior = new Delivery("a1", "webhook:deadbeef", 1, AlertStatus.OPEN, Optional.empty(), null, null);

        Lifecycle.Step step = lifecycle.decide(withdrawn(first, 2, "late contract"), Optional.of(prior), OptionalInt.empty());

        assertThat(step).isEqualTo(new Lifecycle.Update(prior, "critical", OPS, Optional.empty()));
    }

    @Test
    void shouldPostNothingWhenAnAlertSlackNeverShowedIsWithdrawn() {
        Lifecycle.Step step = lifecycle.decide(withdrawn(first, 2, "late contract"), Optional.empty(), OptionalInt.empty());

        assertThat(step).isInstanceOfSatisfying(Lifecycle.NotPosted.class,
                n -> assertThat(n.reason()).isEqualTo(Lifecycle.Reason.NEVER_POSTED));
    }

    @Test
    void shouldPostNothingWhenAnAlertSlackNeverShowedIsResolvedWhileItsPostWaits() {
        Lifecycle.Step step = lifecycle.decide(revision(first, 2, AlertStatus.RESOLVED, "credit note issued"),
                Optional.empty(), OptionalInt.of(1));

        assertThat(step).isInstanceOfSatisfying(Lifecycle.NotPosted.class,
                n -> assertThat(n.reason()).isEqualTo(Lifecycle.Reason.NEVER_POSTED));
    }

    @Test
    void shouldRouteAReopenedAlertSlackNeverShowedLikeANewOne() {
        Alert belowFloor = alert("a3", Severity.INFO, "ACC-3", "1");

        Lifecycle.Step reopened = lifecycle.decide(revision(first, 3, AlertStatus.OPEN, "contract v3"), Optional.empty(), OptionalInt.empty());
        Lifecycle.Step filtered = lifecycle.decide(revision(belowFloor, 3, AlertStatus.OPEN, "contract v3"), Optional.empty(), OptionalInt.empty());

        assertThat(reopened).isEqualTo(new Lifecycle.Post(critical));
        assertThat(filtered).isInstanceOfSatisfying(Lifecycle.NotPosted.class,
                n -> assertThat(n.reason()).isEqualTo(Lifecycle.Reason.BELOW_FLOOR));
    }
}
