package io.leakwatch.slack;

import io.leakwatch.events.Alert;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Slack calls waiting to be made, one lane per Slack channel, and the single-threaded scheduler that makes
 * them. Nothing here blocks or sleeps: {@link #dispatch()} makes the calls due now and {@link #nextWakeup()}
 * says when the next one will be, so the caller can keep polling Kafka in between.
 *
 * <p>An item is one alert_id and what it still needs from Slack: a post (a new alert), an edit (chat.update
 * of the message posted earlier) or an announcement (a follow-up post, or a line in a digest). Per lane, one
 * call at a time: a digest that is due, else the oldest item's own call. It is made when
 * {@code now >= notBefore} (Retry-After or backoff) and the channel's token bucket has a token. A lane waiting
 * for Slack never holds back another lane. A later revision of an alert that is still waiting replaces the
 * waiting content, so Slack gets the latest revision once.
 *
 * <p>Storm: when an arrival makes the channel's count within the window exceed the threshold, what still waits
 * for that channel, and what follows, is announced in digests posted one window after they began: one for new
 * alerts, one for changes. A change whose message can be edited is still edited one by one (an edit does not
 * notify the channel); it is listed in the digest as well, and counts as applied once both calls succeeded.
 * Outcomes go to the {@link Listener}: applied (record, then commit) or dead-lettered.
 */
public final class Outbox {
    /** What an item still needs from Slack. */
    private enum Need {
        POST,
        EDIT,
        ANNOUNCE
    }

    /** One alert_id waiting for Slack, with every record it was read from (repeats and revisions share one item). */
    public static final class Item {
        private Alert alert;
        private final String routeName;
        private final Optional<Delivery> prior;
        private final Optional<MessageRef> edit;
        private final List<SourceRef> sources = new ArrayList<>();
        private final Set<Need> needs = EnumSet.noneOf(Need.class);
        private final Lane lane;
        private Optional<MessageRef> posted = Optional.empty();

        private Item(Alert alert, String routeName, Optional<Delivery> prior, Optional<MessageRef> edit, Lane lane,
                     List<SourceRef> sources) {
            this.alert = alert;
            this.routeName = routeName;
            this.prior = prior;
            this.edit = edit;
            this.lane = lane;
            this.sources.addAll(sources);
        }

        /** The latest revision read for this alert_id. */
        public Alert alert() {
            return alert;
        }

        public String routeName() {
            return routeName;
        }

        /** What Slack showed for the alert before; empty for an alert not posted yet. */
        public Optional<Delivery> prior() {
            return prior;
        }

        public List<SourceRef> sources() {
            return List.copyOf(sources);
        }

        /** The record of the latest revision: the one a dead letter copies. */
        public SourceRef latestSource() {
            return sources.get(sources.size() - 1);
        }

        private boolean isUpdate() {
            return prior.isPresent();
        }

        private AlertMessages.Change change() {
            return new AlertMessages.Change(alert, prior.orElseThrow());
        }

        /** What Slack shows for the alert once every call of this item succeeded. */
        private Delivery delivery() {
            String destination = prior.map(Delivery::destination).orElse(lane.destination.key());
            Optional<MessageRef> message = prior.isPresent() ? prior.get().message() : posted;
            return new Delivery(alert.getAlertId(), destination, alert.getRevision(), alert.getStatus(), message,
                    alert.getAmount(), alert.getCurrency());
        }
    }

    /** An item Slack has everything for, and the record that says so. */
    public record Applied(Item item, Delivery delivery) {
    }

    public interface Listener {
        /** Slack accepted one call (a post, a digest, an edit, a follow-up): for logs and counters. */
        void sent(Destination destination, SlackMessage message);

        /** These items need nothing more from Slack. Throwing here stops the bridge (nothing is committed). */
        void applied(List<Applied> applied);

        /** The items cannot be sent (permanent error or retries exhausted). */
        void deadLettered(Destination destination, List<Item> items, String reason);

        /**
         * A call was refused for now and will be made again: Slack asked to wait ({@code rateLimited}), or the call
         * failed in a way worth retrying (a 5xx, a network error). For counters.
         */
        default void retrying(Destination destination, boolean rateLimited) {
        }
    }

    private static final class Lane {
        final Destination destination;
        /** Items with a call of their own to make: a post, an edit, or a follow-up. */
        final Deque<Item> queue = new ArrayDeque<>();
        /** New alerts of a storm. */
        final List<Item> digest = new ArrayList<>();
        Instant digestDue;
        /** Changes during a storm. */
        final List<Item> updates = new ArrayList<>();
        Instant updatesDue;
        Instant notBefore = Instant.MIN;
        int failures;

        Lane(Destination destination) {
            this.destination = destination;
        }

        boolean idle() {
            return queue.isEmpty() && digest.isEmpty() && updates.isEmpty();
        }

        boolean storming() {
            return !digest.isEmpty() || !updates.isEmpty();
        }

        void remove(Item item) {
            queue.remove(item);
            if (digest.remove(item) && digest.isEmpty()) {
                digestDue = null;
            }
            if (updates.remove(item) && updates.isEmpty()) {
                updatesDue = null;
            }
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
     * Queues an alert to be posted to its route's destination. When the alert id is already waiting to be
     * posted to the same destination, this revision replaces the waiting one and its record joins the item;
     * waiting for another destination (a revision routed elsewhere), the item moves there.
     */
    public void enqueue(Alert alert, Route route, SourceRef source) {
        List<SourceRef> sources = new ArrayList<>();
        Item waiting = pendingById.get(alert.getAlertId());
        if (waiting != null) {
            if (!waiting.isUpdate() && waiting.lane.destination.key().equals(route.destination().key())) {
                waiting.alert = alert;
                waiting.sources.add(source);
                return;
            }
            cancel(alert.getAlertId()).ifPresent(i -> sources.addAll(i.sources));
        }
        sources.add(source);
        Lane lane = lane(route.destination());
        Item item = new Item(alert, route.name(), Optional.empty(), Optional.empty(), lane, sources);
        item.needs.add(Need.POST);
        arrive(item);
    }

    /**
     * Queues a later revision of an alert Slack shows: an edit of its message when {@code update} has one,
     * else a follow-up. A change still waiting for the same alert is replaced by this one (an edit already made
     * for it is made again, with this content).
     */
    public void enqueueUpdate(Alert alert, Lifecycle.Update update, SourceRef source) {
        List<SourceRef> sources = new ArrayList<>();
        Item waiting = pendingById.get(alert.getAlertId());
        if (waiting != null) {
            if (waiting.isUpdate() && waiting.edit.equals(update.edit())
                    && waiting.lane.destination.key().equals(update.destination().key())) {
                waiting.alert = alert;
                waiting.sources.add(source);
                if (waiting.edit.isPresent() && waiting.needs.add(Need.EDIT)) {
                    waiting.lane.queue.addLast(waiting);
                }
                return;
            }
            cancel(alert.getAlertId()).ifPresent(i -> sources.addAll(i.sources));
        }
        sources.add(source);
        Lane lane = lane(update.destination());
        Item item = new Item(alert, update.routeName(), Optional.of(update.prior()), update.edit(), lane, sources);
        item.needs.add(update.edit().isPresent() ? Need.EDIT : Need.ANNOUNCE);
        arrive(item);
    }

    private Lane lane(Destination destination) {
        return lanes.computeIfAbsent(destination.key(), k -> new Lane(destination));
    }

    private void arrive(Item item) {
        pendingById.put(item.alert.getAlertId(), item);
        Lane lane = item.lane;
        Instant now = clock.instant();
        boolean stormy = storm.arrive(lane.destination.key(), now);
        if (!lane.storming() && !stormy) {
            lane.queue.addLast(item);
            return;
        }
        if (!lane.storming()) {
            // the storm begins: what still waits is announced in the digests too
            for (Item waiting : List.copyOf(lane.queue)) {
                if (waiting.needs.contains(Need.POST) || !waiting.needs.contains(Need.EDIT)) {
                    lane.queue.remove(waiting);
                }
                joinStorm(lane, waiting, now);
            }
            lane.failures = 0;
        }
        if (item.needs.contains(Need.EDIT)) {
            lane.queue.addLast(item);
        }
        joinStorm(lane, item, now);
    }

    private void joinStorm(Lane lane, Item item, Instant now) {
        if (item.needs.contains(Need.POST)) {
            if (lane.digest.isEmpty()) {
                lane.digestDue = now.plus(storm.window());
            }
            lane.digest.add(item);
        } else {
            item.needs.add(Need.ANNOUNCE);
            if (lane.updates.isEmpty()) {
                lane.updatesDue = now.plus(storm.window());
            }
            lane.updates.add(item);
        }
    }

    /** The revision of this alert id waiting to be sent, if any. */
    public OptionalInt pendingRevision(String alertId) {
        Item waiting = pendingById.get(alertId);
        return waiting == null ? OptionalInt.empty() : OptionalInt.of(waiting.alert.getRevision());
    }

    /** Adds a record to the item waiting for this alert id, settled with it; false when none waits. */
    public boolean join(String alertId, SourceRef source) {
        Item waiting = pendingById.get(alertId);
        if (waiting == null) {
            return false;
        }
        waiting.sources.add(source);
        return true;
    }

    /** Drops what waits for this alert id, returning it (the caller settles its records). */
    public Optional<Item> cancel(String alertId) {
        Item waiting = pendingById.remove(alertId);
        if (waiting == null) {
            return Optional.empty();
        }
        waiting.lane.remove(waiting);
        lanes.values().removeIf(Lane::idle);
        return Optional.of(waiting);
    }

    /** Makes every call that is due now: at most one per lane per call. */
    public void dispatch() {
        for (Lane lane : List.copyOf(lanes.values())) {
            Instant now = clock.instant();
            if (lane.idle() || now.isBefore(lane.notBefore)) {
                continue;
            }
            SlackMessage.Kind kind;
            List<Item> items;
            if (!lane.digest.isEmpty() && !now.isBefore(lane.digestDue)) {
                kind = SlackMessage.Kind.DIGEST;
                items = List.copyOf(lane.digest);
            } else if (!lane.updates.isEmpty() && !now.isBefore(lane.updatesDue)) {
                kind = SlackMessage.Kind.UPDATE_DIGEST;
                items = List.copyOf(lane.updates);
            } else if (!lane.queue.isEmpty()) {
                Item head = lane.queue.peekFirst();
                kind = head.needs.contains(Need.POST) ? SlackMessage.Kind.ALERT
                        : head.needs.contains(Need.EDIT) ? SlackMessage.Kind.EDIT : SlackMessage.Kind.FOLLOW_UP;
                items = List.of(head);
            } else {
                continue;
            }
            if (!limiter.tryAcquire(lane.destination.key(), now)) {
                continue;
            }
            SlackMessage message = message(kind, items);
            SendResult result = kind == SlackMessage.Kind.EDIT
                    ? sender.update(items.get(0).edit.orElseThrow(), message)
                    : sender.send(lane.destination, message);
            if (result instanceof SendResult.Accepted accepted) {
                lane.failures = 0;
                listener.sent(lane.destination, message);
                done(lane, kind, items, accepted.posted());
            } else if (result instanceof SendResult.RetryAfter r) {
                lane.notBefore = clock.instant().plus(r.delay());
                listener.retrying(lane.destination, true);
            } else if (result instanceof SendResult.Transient t) {
                lane.failures++;
                if (retry.exhausted(lane.failures)) {
                    deadLetter(lane, items, "retries exhausted after " + lane.failures + " attempts: " + t.reason());
                } else {
                    lane.notBefore = clock.instant().plus(retry.backoff(lane.failures));
                    listener.retrying(lane.destination, false);
                }
            } else if (result instanceof SendResult.Permanent p) {
                deadLetter(lane, items, p.reason());
            }
        }
        lanes.values().removeIf(Lane::idle);
    }

    private SlackMessage message(SlackMessage.Kind kind, List<Item> items) {
        return switch (kind) {
            case ALERT -> messages.single(items.get(0).alert);
            case DIGEST -> messages.digest(items.stream().map(Item::alert).toList(), storm.threshold(), storm.window());
            case EDIT -> messages.edited(items.get(0).alert, items.get(0).prior.orElseThrow());
            case FOLLOW_UP -> messages.followUp(items.get(0).alert, items.get(0).prior.orElseThrow());
            case UPDATE_DIGEST -> messages.updateDigest(items.stream().map(Item::change).toList(), storm.threshold(),
                    storm.window(), items.stream().anyMatch(i -> i.edit.isPresent()));
        };
    }

    private void done(Lane lane, SlackMessage.Kind kind, List<Item> items, Optional<MessageRef> posted) {
        switch (kind) {
            case DIGEST -> {
                lane.digest.clear();
                lane.digestDue = null;
                items.forEach(i -> i.needs.remove(Need.POST));
            }
            case UPDATE_DIGEST -> {
                lane.updates.clear();
                lane.updatesDue = null;
                items.forEach(i -> i.needs.remove(Need.ANNOUNCE));
            }
            case ALERT -> {
                lane.queue.remove(items.get(0));
                items.get(0).needs.remove(Need.POST);
                items.get(0).posted = posted;
            }
            case EDIT -> {
                lane.queue.remove(items.get(0));
                items.get(0).needs.remove(Need.EDIT);
            }
            case FOLLOW_UP -> {
                lane.queue.remove(items.get(0));
                items.get(0).needs.remove(Need.ANNOUNCE);
            }
        }
        List<Applied> applied = new ArrayList<>();
        for (Item item : items) {
            if (item.needs.isEmpty()) {
                pendingById.remove(item.alert.getAlertId());
                applied.add(new Applied(item, item.delivery()));
            }
        }
        if (!applied.isEmpty()) {
            listener.applied(applied);
        }
    }

    private void deadLetter(Lane lane, List<Item> items, String reason) {
        for (Item item : items) {
            lane.remove(item);
            pendingById.remove(item.alert.getAlertId());
        }
        lane.failures = 0;
        listener.deadLettered(lane.destination, items, reason);
    }

    /** When the next call may be made, if any is waiting. */
    public Optional<Instant> nextWakeup() {
        Instant now = clock.instant();
        Instant earliest = null;
        for (Lane lane : lanes.values()) {
            Instant due = lane.queue.isEmpty() ? null : now;
            due = min(due, lane.digestDue);
            due = min(due, lane.updatesDue);
            if (due == null) {
                continue;
            }
            due = max(due, lane.notBefore);
            due = max(due, limiter.nextAllowed(lane.destination.key(), now));
            earliest = min(earliest, due);
        }
        return Optional.ofNullable(earliest);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
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
        for (Item item : List.copyOf(pendingById.values())) {
            item.sources.removeIf(revoked);
            if (item.sources.isEmpty()) {
                cancel(item.alert.getAlertId());
            }
        }
    }
}
