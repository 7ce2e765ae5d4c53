package io.leakwatch.slack;

import static io.leakwatch.slack.TestAlerts.alert;
import static io.leakwatch.slack.TestAlerts.revised;
import static io.leakwatch.slack.TestAlerts.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scheduler, with a hand-driven clock and a scripted sender: no sleeping, no HTTP. */
class OutboxTest {
    private Instant now = Instant.parse("2024-03-01T00:00:00Z");
    private final InstantSource clock = () -> now;
    private final Map<String, Deque<SendResult>> script = new HashMap<>();
    private final List<String> sent = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final List<String> dead = new ArrayList<>();
    private final List<SlackMessage.Kind> kinds = new ArrayList<>();
    private final List<Delivery> recorded = new ArrayList<>();
    private final List<SourceRef> settled = new ArrayList<>();
    private final Route a = Route.catchAll("a", new Destination.Channel("#a"));
    private final Route b = Route.catchAll("b", new Destination.Channel("#b"));

    private final SlackSender sender = new SlackSender() {
        @Override
        public SendResult send(Destination d, SlackMessage m) {
            sent.add(d.key() + ":" + String.join(",", m.alertIds()));
            Deque<SendResult> q = script.get(d.key());
            return q == null || q.isEmpty() ? new SendResult.Accepted() : q.removeFirst();
        }

        @Override
        public SendResult update(MessageRef target, SlackMessage m) {
            sent.add("edit " + target + ":" + String.join(",", m.alertIds()));
            Deque<SendResult> q = script.get("edit");
            return q == null || q.isEmpty() ? new SendResult.Accepted() : q.removeFirst();
        }
    };
    private final Outbox.Listener listener = new Outbox.Listener() {
        @Override
        public void sent(Destination d, SlackMessage m) {
            delivered.addAll(m.alertIds());
            kinds.add(m.kind());
        }

        @Override
        public void applied(List<Outbox.Applied> applied) {
            applied.forEach(a -> {
                recorded.add(a.delivery());
                settled.addAll(a.item().sources());
            });
        }

        @Override
        public void deadLettered(Destination d, List<Outbox.Item> items, String reason) {
            items.forEach(i -> dead.add(i.alert().getAlertId() + ":" + reason));
        }
    };

    private Outbox outbox(int stormThreshold) {
        return new Outbox(sender, new AlertMessages(Optional.empty()), new RateLimiter(1, 1),
                new StormDetector(stormThreshold, Duration.ofMinutes(1)),
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(4), 3), listener, clock);
    }

    private static SourceRef src(long offset) {
        return new SourceRef("alerts", 0, offset, null, null);
    }

    private void advance(Duration d) {
        now = now.plus(d);
    }

    @Test
    void shouldPostAtMostOneMessagePerSecondPerChannel() {
        Outbox box = outbox(100);
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));
        box.enqueue(alert("2", Severity.HIGH, "X", "1"), a, src(2));
        box.enqueue(alert("3", Severity.HIGH, "X", "1"), b, src(3));

        box.dispatch();
        box.dispatch();
        assertThat(delivered).containsExactly("1", "3");
        assertThat(box.nextWakeup()).contains(now.plusSeconds(1));

        advance(Duration.ofSeconds(1));
        box.dispatch();
        assertThat(delivered).containsExactly("1", "3", "2");
        assertThat(box.pending()).isZero();
        assertThat(box.nextWakeup()).isEmpty();
    }

    @Test
    void shouldWaitRetryAfterOnOneChannelWithoutStallingAnother() {
        Outbox box = outbox(100);
        script.put("channel:#a", new ArrayDeque<>(List.of(new SendResult.RetryAfter(Duration.ofSeconds(30)))));
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));
        box.enqueue(alert("2", Severity.HIGH, "X", "1"), b, src(2));

        box.dispatch();
        assertThat(delivered).containsExactly("2");
        advance(Duration.ofSeconds(29));
        box.dispatch();
        assertThat(delivered).containsExactly("2");
        advance(Duration.ofSeconds(1));
        box.dispatch();
        assertThat(delivered).containsExactly("2", "1");
    }

    @Test
    void shouldBackOffOnTransientErrorsAndDeadLetterWhenExhausted() {
        Outbox box = outbox(100);
        SendResult err = new SendResult.Transient("HTTP 500");
        script.put("channel:#a", new ArrayDeque<>(List.of(err, err, err)));
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));

        box.dispatch();
        assertThat(box.nextWakeup()).contains(now.plusSeconds(1));
        advance(Duration.ofSeconds(1));
        box.dispatch();
        assertThat(box.nextWakeup()).contains(now.plusSeconds(2));
        advance(Duration.ofSeconds(2));
        box.dispatch();

        assertThat(sent).hasSize(3);
        assertThat(delivered).isEmpty();
        assertThat(dead).containsExactly("1:retries exhausted after 3 attempts: HTTP 500");
        assertThat(box.pending()).isZero();
    }

    @Test
    void shouldDeadLetterPermanentErrorsAndMoveOn() {
        Outbox box = outbox(100);
        script.put("channel:#a", new ArrayDeque<>(List.of(new SendResult.Permanent("channel_not_found"))));
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));
        box.enqueue(alert("2", Severity.HIGH, "X", "1"), a, src(2));

        box.dispatch();
        advance(Duration.ofSeconds(1));
        box.dispatch();

        assertThat(dead).containsExactly("1:channel_not_found");
        assertThat(delivered).containsExactly("2");
    }

    @Test
    void shouldCollapseMoreThanThresholdAlertsWithinTheWindowIntoOneDigest() {
        Outbox box = outbox(3);
        for (int i = 1; i <= 3; i++) {
            box.enqueue(alert("s" + i, Severity.HIGH, "X", "1"), a, src(i));
        }
        box.dispatch();
        assertThat(delivered).containsExactly("s1");

        // the 4th within the minute starts the storm: what still waits and what follows goes to the digest
        for (int i = 4; i <= 12; i++) {
            advance(Duration.ofSeconds(1));
            box.enqueue(alert("s" + i, Severity.HIGH, "X", "1"), a, src(i));
            box.dispatch();
        }
        assertThat(delivered).containsExactly("s1");
        // the digest goes out one window after the storm began (s4 at 00:00:01)
        assertThat(box.nextWakeup()).contains(Instant.parse("2024-03-01T00:01:01Z"));

        now = Instant.parse("2024-03-01T00:01:01Z");
        box.dispatch();
        assertThat(sent).containsExactly("channel:#a:s1", "channel:#a:s2,s3,s4,s5,s6,s7,s8,s9,s10,s11,s12");
        assertThat(box.pending()).isZero();
    }

    @Test
    void shouldQueueADuplicateAlertIdOnlyOnce() {
        Outbox box = outbox(100);
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(2));
        assertThat(box.pending()).isEqualTo(1);
        box.dispatch();
        advance(Duration.ofSeconds(5));
        box.dispatch();
        assertThat(sent).containsExactly("channel:#a:1");
    }

    @Test
    void shouldDropItemsOfRevokedPartitions() {
        Outbox box = outbox(100);
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));
        box.enqueue(alert("2", Severity.HIGH, "X", "1"), a, new SourceRef("alerts", 1, 7, null, null));
        box.forget(s -> s.partition() == 0);
        box.dispatch();
        assertThat(sent).containsExactly("channel:#a:2");
    }

    // --- later revisions ---

    private static final MessageRef POSTED = new MessageRef("C-A", "1700000000.000001");

    private static Lifecycle.Update edit(Alert a, Route route) {
        return new Lifecycle.Update(shown(a, Optional.of(POSTED)), route.name(), route.destination(), Optional.of(POSTED));
    }

    private static Lifecycle.Update followUp(Alert a, Route route) {
        return new Lifecycle.Update(shown(a, Optional.empty()), route.name(), route.destination(), Optional.empty());
    }

    private static Delivery shown(Alert a, Optional<MessageRef> message) {
        return new Delivery(a.getAlertId(), "channel:#a", 1, AlertStatus.OPEN, message, a.getAmount(), a.getCurrency());
    }

    @Test
    void shouldPostTheLatestRevisionOnceWhenARevisionArrivesWhileThePostWaits() {
        // Given the channel's token is taken, so alert 2 waits
        Outbox box = outbox(100);
        Alert two = alert("2", Severity.HIGH, "X", "100");
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));
        box.dispatch();
        box.enqueue(two, a, src(2));

        // When its revision 2 arrives before it is posted
        box.enqueue(revised(two, 2, "150", "usage corrected"), a, src(3));
        advance(Duration.ofSeconds(1));
        box.dispatch();

        // Then Slack gets one post, of revision 2, and both records settle with it
        assertThat(sent).containsExactly("channel:#a:1", "channel:#a:2");
        assertThat(recorded.get(1).revision()).isEqualTo(2);
        assertThat(recorded.get(1).amount()).isEqualByComparingTo("150");
        assertThat(settled).extracting(SourceRef::offset).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldDropAWaitingPostWhenItIsCancelled() {
        Outbox box = outbox(100);
        box.enqueue(alert("1", Severity.HIGH, "X", "1"), a, src(1));
        box.dispatch();
        box.enqueue(alert("2", Severity.HIGH, "X", "1"), a, src(2));

        Optional<Outbox.Item> cancelled = box.cancel("2");
        advance(Duration.ofSeconds(5));
        box.dispatch();

        assertThat(cancelled).hasValueSatisfying(i -> assertThat(i.sources()).extracting(SourceRef::offset).containsExactly(2L));
        assertThat(sent).containsExactly("channel:#a:1");
        assertThat(box.pending()).isZero();
    }

    @Test
    void shouldEditTheMessagePostedEarlierAndRecordTheRevisionItShows() {
        Outbox box = outbox(100);
        Alert one = alert("1", Severity.HIGH, "X", "100");

        box.enqueueUpdate(withdrawn(one, 2, "late contract"), edit(one, a), src(5));
        box.dispatch();

        assertThat(sent).containsExactly("edit C-A/1700000000.000001:1");
        assertThat(kinds).containsExactly(SlackMessage.Kind.EDIT);
        assertThat(recorded).containsExactly(new Delivery("1", "channel:#a", 2, AlertStatus.WITHDRAWN, Optional.of(POSTED),
                one.getAmount(), "USD"));
    }

    @Test
    void shouldPostAFollowUpWhenTheMessageCannotBeEdited() {
        Outbox box = outbox(100);
        Alert one = alert("1", Severity.HIGH, "X", "100");

        box.enqueueUpdate(withdrawn(one, 2, "late contract"), followUp(one, a), src(5));
        box.dispatch();

        assertThat(sent).containsExactly("channel:#a:1");
        assertThat(kinds).containsExactly(SlackMessage.Kind.FOLLOW_UP);
        assertThat(recorded).extracting(Delivery::revision).containsExactly(2);
    }

    @Test
    void shouldCollapseABurstOfFollowUpsIntoOneDigestOfChanges() {
        // Given a storm threshold of 3 and twelve withdrawals of webhook messages, one a second
        Outbox box = outbox(3);
        for (int i = 1; i <= 12; i++) {
            Alert posted = alert("w" + i, Severity.HIGH, "X", "1");
            box.enqueueUpdate(withdrawn(posted, 2, "late contract"), followUp(posted, a), src(i));
            box.dispatch();
            advance(Duration.ofSeconds(1));
        }

        // When the window after the storm began has passed
        now = Instant.parse("2024-03-01T00:01:03Z");
        box.dispatch();

        // Then three follow-ups went out before the storm, and one digest for the rest
        assertThat(kinds).containsExactly(SlackMessage.Kind.FOLLOW_UP, SlackMessage.Kind.FOLLOW_UP, SlackMessage.Kind.FOLLOW_UP,
                SlackMessage.Kind.UPDATE_DIGEST);
        assertThat(sent.get(3)).isEqualTo("channel:#a:w4,w5,w6,w7,w8,w9,w10,w11,w12");
        assertThat(recorded).hasSize(12);
        assertThat(box.pending()).isZero();
    }

    @Test
    void shouldStillEditEachMessageDuringABurstAndRecordItOnlyOnceTheDigestIsPosted() {
        // Given a storm threshold of 2 and five withdrawals of bot-token messages arriving at once
        Outbox box = outbox(2);
        for (int i = 1; i <= 5; i++) {
            Alert posted = alert("e" + i, Severity.HIGH, "X", "1");
            box.enqueueUpdate(withdrawn(posted, 2, "late contract"), edit(posted, a), src(i));
        }

        // When the edits go out one a second
        for (int s = 0; s < 5; s++) {
            box.dispatch();
            advance(Duration.ofSeconds(1));
        }

        // Then every message is edited, and none is recorded before the channel is told
        assertThat(sent).hasSize(5).allMatch(c -> c.startsWith("edit "));
        assertThat(recorded).isEmpty();

        // When the digest is due (one window after the third arrival began the storm)
        now = Instant.parse("2024-03-01T00:01:00Z");
        box.dispatch();

        // Then it lists all five (the two still waiting when the storm began too) and they are recorded now
        assertThat(kinds.get(5)).isEqualTo(SlackMessage.Kind.UPDATE_DIGEST);
        assertThat(sent.get(5)).isEqualTo("channel:#a:e1,e2,e3,e4,e5");
        assertThat(recorded).extracting(Delivery::alertId).containsExactly("e1", "e2", "e3", "e4", "e5");
        assertThat(box.pending()).isZero();
    }

    @Test
    void shouldEditAgainWithTheLatestRevisionWhenAChangeArrivesWhileItsDigestWaits() {
        Outbox box = outbox(1);
        Alert one = alert("1", Severity.HIGH, "X", "100");
        Alert two = alert("2", Severity.HIGH, "X", "100");
        box.enqueueUpdate(withdrawn(one, 2, "late contract"), edit(one, a), src(1));
        box.enqueueUpdate(withdrawn(two, 2, "late contract"), edit(two, a), src(2));
        box.dispatch();
        advance(Duration.ofSeconds(1));
        box.dispatch();

        // When alert 2, edited and waiting for the digest, is reopened
        box.enqueueUpdate(revised(two, 3, "120", "contract v3"), edit(two, a), src(3));
        advance(Duration.ofSeconds(1));
        box.dispatch();
        now = Instant.parse("2024-03-01T00:01:00Z");
        box.dispatch();

        // Then its message is edited again, the digest lists it, and the record says revision 3
        assertThat(sent).containsExactly("edit C-A/1700000000.000001:1", "edit C-A/1700000000.000001:2",
                "edit C-A/1700000000.000001:2", "channel:#a:1,2");
        assertThat(recorded).extracting(Delivery::alertId, Delivery::revision).containsExactly(
                tuple("1", 2), tuple("2", 3));
    }

    @Test
    void shouldDeadLetterAnEditSlackRefuses() {
        Outbox box = outbox(100);
        script.put("edit", new ArrayDeque<>(List.of(new SendResult.Permanent("message_not_found"))));
        Alert one = alert("1", Severity.HIGH, "X", "100");

        box.enqueueUpdate(withdrawn(one, 2, "late contract"), edit(one, a), src(5));
        box.dispatch();

        assertThat(dead).containsExactly("1:message_not_found");
        assertThat(recorded).isEmpty();
        assertThat(box.pending()).isZero();
    }
}
