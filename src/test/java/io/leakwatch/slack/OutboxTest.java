package io.leakwatch.slack;

import static io.leakwatch.slack.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

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
            throw new AssertionError("no edits expected here");
        }
    };
    private final Outbox.Listener listener = new Outbox.Listener() {
        @Override
        public void delivered(Destination d, SlackMessage m, List<Outbox.Item> items) {
            delivered.addAll(m.alertIds());
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
}
