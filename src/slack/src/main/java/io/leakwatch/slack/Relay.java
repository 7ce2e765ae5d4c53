package io.leakwatch.slack;

import io.leakwatch.config.Redactor;
import io.leakwatch.events.Alert;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's work on alert records, without Kafka: each record read goes through the {@link Lifecycle}
 * (post, update, repeat, or nothing to send) into the {@link Outbox}; what Slack accepted is recorded in the
 * {@link DeliveredStore} before its records are settled, so the caller commits only past records whose change
 * Slack shows and the store remembers. The caller owns the records: it is told which ones are settled and
 * which go to the dead-letter topic.
 */
public final class Relay {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    /** Where the outcome of each record read goes. */
    public interface Settlement {
        /** Nothing more will happen for this record: its offset may be committed. */
        void settled(SourceRef source);

        /** The record could not be sent to Slack; it is settled by the caller after this. */
        void deadLetter(SourceRef source, String reason, Destination destination, String route);
    }

    private final DeliveredStore store;
    private final Lifecycle lifecycle;
    private final Outbox outbox;
    private final Settlement settlement;
    private final BridgeStats stats;
    private final boolean dryRun;
    private final Redactor redactor;

    public Relay(SlackBridgeConfig config, SlackSender sender, DeliveredStore store, Settlement settlement,
                 BridgeStats stats, boolean dryRun, InstantSource clock) {
        this.store = store;
        this.settlement = settlement;
        this.stats = stats;
        this.dryRun = dryRun;
        this.redactor = config.redactor();
        this.lifecycle = new Lifecycle(config.router(), config.botToken().isPresent());
        RateLimiter limiter = dryRun ? RateLimiter.unlimited() : new RateLimiter(config.ratePerSecond(), config.burst());
        this.outbox = new Outbox(sender, new AlertMessages(config.link()), limiter,
                new StormDetector(config.stormThreshold(), config.stormWindow()), config.retry(), new Outcomes(), clock);
    }

    /** One alert record read from {@code source}. */
    public void accept(Alert alert, SourceRef source) {
        String id = alert.getAlertId();
        Lifecycle.Step step = lifecycle.decide(alert, store.get(id), outbox.pendingRevision(id));
        if (step instanceof Lifecycle.Post post) {
            outbox.enqueue(alert, post.route(), source);
        } else if (step instanceof Lifecycle.Update update) {
            outbox.enqueueUpdate(alert, update, source);
        } else if (step instanceof Lifecycle.Repeat repeat) {
            stats.duplicates.incrementAndGet();
            log.debug("Alert {} revision {} was applied already or is waiting; skipping", id, alert.getRevision());
            if (!(repeat.waiting() && outbox.join(id, source))) {
                settlement.settled(source);
            }
        } else if (step instanceof Lifecycle.NotPosted not) {
            switch (not.reason()) {
                case BELOW_FLOOR -> stats.belowFloor.incrementAndGet();
                case UNROUTED, NO_DESTINATION -> stats.unrouted.incrementAndGet();
                case NEVER_POSTED -> stats.neverPosted.incrementAndGet();
            }
            Optional<Outbox.Item> cancelled = outbox.cancel(id);
            log.debug("Not posting alert {} revision {}: {}{}", id, alert.getRevision(), not.why(),
                    cancelled.isPresent() ? " (its earlier revision, not posted yet, is dropped)" : "");
            cancelled.ifPresent(item -> item.sources().forEach(settlement::settled));
            settlement.settled(source);
        }
    }

    /** Makes the Slack calls that are due now. */
    public void dispatch() {
        outbox.dispatch();
    }

    public Optional<Instant> nextWakeup() {
        return outbox.nextWakeup();
    }

    /** Alert ids waiting for Slack. */
    public int pending() {
        return outbox.pending();
    }

    /** Forgets the records of revoked partitions; their new owner reads them again. */
    public void forget(Predicate<SourceRef> revoked) {
        outbox.forget(revoked);
    }

    private final class Outcomes implements Outbox.Listener {
        @Override
        public void sent(Destination destination, SlackMessage message) {
            String posted = dryRun ? "Dry run, not sent: would have posted" : "Posted";
            switch (message.kind()) {
                case ALERT -> {
                    stats.messagesPosted.incrementAndGet();
                    log.info("{} alert {} to {}", posted, message.alertIds().get(0), shown(destination));
                }
                case DIGEST -> {
                    stats.messagesPosted.incrementAndGet();
                    stats.digests.incrementAndGet();
                    log.info("{} a digest of {} alerts to {}", posted, message.alertIds().size(), shown(destination));
                }
                case EDIT -> {
                    stats.messagesEdited.incrementAndGet();
                    log.info("{} the message of alert {} in {}", dryRun ? "Dry run, not sent: would have edited" : "Edited",
                            message.alertIds().get(0), shown(destination));
                }
                case FOLLOW_UP -> {
                    stats.messagesPosted.incrementAndGet();
                    stats.followUps.incrementAndGet();
                    log.info("{} a follow-up to alert {} to {}", posted, message.alertIds().get(0), shown(destination));
                }
                case UPDATE_DIGEST -> {
                    stats.messagesPosted.incrementAndGet();
                    stats.updateDigests.incrementAndGet();
                    log.info("{} a digest of changes to {} alerts to {}", posted, message.alertIds().size(), shown(destination));
                }
            }
        }

        @Override
        public void applied(List<Outbox.Applied> applied) {
            store.record(applied.stream().map(Outbox.Applied::delivery).toList());
            for (Outbox.Applied a : applied) {
                if (a.item().prior().isPresent()) {
                    stats.updatesApplied.incrementAndGet();
                } else {
                    stats.alertsDelivered.incrementAndGet();
                }
                a.item().sources().forEach(settlement::settled);
            }
        }

        @Override
        public void retrying(Destination destination, boolean rateLimited) {
            (rateLimited ? stats.rateLimited : stats.retries).incrementAndGet();
        }

        @Override
        public void deadLettered(Destination destination, List<Outbox.Item> items, String reason) {
            for (Outbox.Item item : items) {
                settlement.deadLetter(item.latestSource(), "slack: " + reason, destination, item.routeName());
                item.sources().forEach(settlement::settled);
            }
            log.warn("Dead-lettered {} alert(s) for {}: {}", items.size(), shown(destination), redactor.redact(reason));
        }
    }

    /** A destination as a log line may show it: a channel name from the environment is masked like any secret. */
    private String shown(Destination destination) {
        return redactor.redact(destination.toString());
    }
}
