package io.leakwatch.slack;

import io.leakwatch.events.Alert;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The alerts waiting to be posted, one lane per Slack channel, and the single-threaded scheduler that posts
 * them. Nothing here blocks or sleeps: {@link #dispatch()} sends what is due now and {@link #nextWakeup()} says
 * when the next thing will be, so the caller can keep polling Kafka in between.
 *
 * <p>Per lane, at most one message is in front: the oldest alert, or the digest when the lane is in a storm.
 * It is sent when {@code now >= notBefore} (Retry-After or backoff) and the channel's token bucket has a token.
 * A lane waiting for Slack never holds back another lane.
 *
 * <p>Storm: when an arrival makes the channel's count within the window exceed the threshold, every alert still
 * queued for that channel, and every further one, goes into a digest that is posted one window after the storm
 * began. Outcomes go to the {@link Listener}: delivered (record the ids, then commit) or dead-lettered.
 */
public final class Outbox {
    /** An alert waiting to be posted, with every record it was read from (duplicates share one item). */
    public static final class Item {
        private final Alert alert;
        private final Route route;
        private final List<SourceRef> sources = new ArrayList<>();

        Item(Alert alert, Route route, SourceRef source) {
            this.alert = alert;
            this.route = route;
            this.sources.add(source);
        }

        public Alert alert() {
            return alert;
        }

        public Route route() {
            return route;
        }

        public List<SourceRef> sources() {
            return List.copyOf(sources);
        }
    }

    public interface Listener {
        /** Slack accepted a message reporting these items. Throwing here stops the bridge (nothing is committed). */
        void delivered(Destination destination, SlackMessage message, List<Item> items);

        /** The items cannot be posted (permanent error or retries exhausted). */
        void deadLettered(Destination destination, List<Item> items, String reason);
    }

    private static final class Lane {
        final Destination destination;
        final Deque<Item> queue = new ArrayDeque<>();
        final List<Item> digest = new ArrayList<>();
        Instant digestDue;
        Instant notBefore = Instant.MIN;
        int failures;

        Lane(Destination destination) {
            this.destination = destination;
        }

        boolean idle() {
            return queue.isEmpty() && digest.isEmpty();
        }
    }

    private final SlackSender sender;
    private final AlertMessages messages;
    private final RateLimiter limiter;
    private final StormDetector storm;
    private final RetryPolicy retry;
    private final Listener listener;
    private final InstantSource clock;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Map<String, Item> pendingById = new HashMap<>();

    public Outbox(SlackSender sender, AlertMessages messages, RateLimiter limiter, StormDetector storm,
                  RetryPolicy retry, Listener listener, InstantSource clock) {
        this.sender = sender;
        this.messages = messages;
        this.limiter = limiter;
        this.storm = storm;
        this.retry = retry;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Queues an alert for its route's destination. An alert id that is already waiting is not queued twice:
     * the new source joins the waiting item and is settled with it.
     */
    public void enqueue(Alert alert, Route route, SourceRef source) {
        Item waiting = pendingById.get(alert.getAlertId());
        if (waiting != null) {
            waiting.sources.add(source);
            return;
        }
        Item item = new Item(alert, route, source);
        pendingById.put(alert.getAlertId(), item);
        Lane lane = lanes.computeIfAbsent(route.destination().key(), k -> new Lane(route.destination()));
        Instant now = clock.instant();
        boolean stormy = storm.arrive(lane.destination.key(), now);
        if (!lane.digest.isEmpty()) {
            lane.digest.add(item);
        } else if (stormy) {
            lane.digest.addAll(lane.queue);
            lane.queue.clear();
            lane.digest.add(item);
            lane.digestDue = now.plus(storm.window());
            lane.failures = 0;
        } else {
            lane.queue.addLast(item);
        }
    }

    /** Sends every message that is due now: at most one per lane per call. */
    public void dispatch() {
        for (Lane lane : List.copyOf(lanes.values())) {
            Instant now = clock.instant();
            if (lane.idle() || now.isBefore(lane.notBefore)) {
                continue;
            }
            boolean digestDue = !lane.digest.isEmpty() && !now.isBefore(lane.digestDue);
            if (!digestDue && lane.queue.isEmpty()) {
                continue;
            }
            if (!limiter.tryAcquire(lane.destination.key(), now)) {
                continue;
            }
            List<Item> items = digestDue ? List.copyOf(lane.digest) : List.of(lane.queue.peekFirst());
            SlackMessage message = digestDue
                    ? messages.digest(items.stream().map(Item::alert).toList(), storm.threshold(), storm.window())
                    : messages.single(items.get(0).alert());
            SendResult result = sender.send(lane.destination, message);
            if (result instanceof SendResult.Accepted) {
                listener.delivered(lane.destination, message, items);
                settle(lane, items, digestDue);
            } else if (result instanceof SendResult.RetryAfter r) {
                lane.notBefore = clock.instant().plus(r.delay());
            } else if (result instanceof SendResult.Transient t) {
                lane.failures++;
                if (retry.exhausted(lane.failures)) {
                    listener.deadLettered(lane.destination, items,
                            "retries exhausted after " + lane.failures + " attempts: " + t.reason());
                    settle(lane, items, digestDue);
                } else {
                    lane.notBefore = clock.instant().plus(retry.backoff(lane.failures));
                }
            } else if (result instanceof SendResult.Permanent p) {
                listener.deadLettered(lane.destination, items, p.reason());
                settle(lane, items, digestDue);
            }
        }
        lanes.values().removeIf(Lane::idle);
    }

    private void settle(Lane lane, List<Item> items, boolean digest) {
        if (digest) {
            lane.digest.clear();
            lane.digestDue = null;
        } else {
            lane.queue.removeFirst();
        }
        lane.failures = 0;
        items.forEach(i -> pendingById.remove(i.alert.getAlertId()));
    }

    /** When the next message may be sent, if any is waiting. */
    public Optional<Instant> nextWakeup() {
        Instant now = clock.instant();
        Instant earliest = null;
        for (Lane lane : lanes.values()) {
            if (lane.idle()) {
                continue;
            }
            Instant due = lane.queue.isEmpty() ? lane.digestDue : now;
            if (!lane.queue.isEmpty() && !lane.digest.isEmpty() && lane.digestDue.isBefore(due)) {
                due = lane.digestDue;
            }
            due = max(due, lane.notBefore);
            due = max(due, limiter.nextAllowed(lane.destination.key(), now));
            earliest = earliest == null || due.isBefore(earliest) ? due : earliest;
        }
        return Optional.ofNullable(earliest);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Alerts waiting (queued or held for a digest). */
    public int pending() {
        return pendingById.size();
    }

    /**
     * Forgets the sources that match (their partitions were revoked); an item left with no source is dropped,
     * because the partition's new owner will read it again.
     */
    public void forget(Predicate<SourceRef> revoked) {
        for (Lane lane : lanes.values()) {
            for (Iterator<Item> it = lane.queue.iterator(); it.hasNext(); ) {
                Item item = it.next();
                if (dropSources(item, revoked)) {
                    it.remove();
                }
            }
            lane.digest.removeIf(item -> dropSources(item, revoked));
            if (lane.digest.isEmpty()) {
                lane.digestDue = null;
            }
        }
        lanes.values().removeIf(Lane::idle);
    }

    private boolean dropSources(Item item, Predicate<SourceRef> revoked) {
        item.sources.removeIf(revoked);
        if (item.sources.isEmpty()) {
            pendingById.remove(item.alert.getAlertId());
            return true;
        }
        return false;
    }
}
