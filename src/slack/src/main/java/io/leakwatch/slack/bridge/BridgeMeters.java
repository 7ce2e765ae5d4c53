package io.leakwatch.slack.bridge;

import io.leakwatch.slack.BridgeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The bridge's counters on a Micrometer registry, read from its {@link BridgeStats} at each scrape:
 * <pre>
 * leakwatch_slack_messages_total{kind}           calls Slack accepted; kind: alert, digest, follow_up, update_digest
 *                                                (new messages) and edit (chat.update)
 * leakwatch_slack_alerts_delivered_total         alerts Slack shows for the first time (alone or in a digest)
 * leakwatch_slack_updates_applied_total          later revisions applied to alerts Slack shows
 * leakwatch_slack_retries_total{cause}           calls to be made again; cause: rate_limited (429), transient (5xx,
 *                                                network)
 * leakwatch_slack_dead_letters_total             alert records given up on, written to the bridge's dead-letter topic
 * leakwatch_slack_alerts_skipped_total{reason}   alert records with nothing to send; reason: below_floor, unrouted,
 *                                                never_posted, duplicate
 * leakwatch_slack_pending                        alerts waiting for Slack now
 * </pre>
 * In a dry run the counts are of messages printed, as the stats say.
 */
final class BridgeMeters implements MeterBinder {
    static final String MESSAGES = "leakwatch.slack.messages";
    static final String DELIVERED = "leakwatch.slack.alerts.delivered";
    static final String UPDATES = "leakwatch.slack.updates.applied";
    static final String RETRIES = "leakwatch.slack.retries";
    static final String DEAD_LETTERS = "leakwatch.slack.dead.letters";
    static final String SKIPPED = "leakwatch.slack.alerts.skipped";
    static final String PENDING = "leakwatch.slack.pending";

    private final BridgeStats stats;
    private final SlackBridge bridge;

    BridgeMeters(SlackBridge bridge) {
        this.bridge = bridge;
        this.stats = bridge.stats();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String messages = "calls Slack accepted, by kind of message";
        // new messages of each kind: every post is counted in messagesPosted, the special kinds also on their own
        counter(registry, MESSAGES, messages, "kind", "alert",
                s -> s.messagesPosted() - s.digests() - s.followUps() - s.updateDigests());
        counter(registry, MESSAGES, messages, "kind", "digest", BridgeStats::digests);
        counter(registry, MESSAGES, messages, "kind", "follow_up", BridgeStats::followUps);
        counter(registry, MESSAGES, messages, "kind", "update_digest", BridgeStats::updateDigests);
        counter(registry, MESSAGES, messages, "kind", "edit", BridgeStats::messagesEdited);
        counter(registry, DELIVERED, "alerts Slack shows for the first time", null, null, BridgeStats::alertsDelivered);
        counter(registry, UPDATES, "later revisions applied to alerts Slack shows", null, null,
                BridgeStats::updatesApplied);
        String retries = "calls to Slack to be made again, by cause";
        counter(registry, RETRIES, retries, "cause", "rate_limited", BridgeStats::rateLimited);
        counter(registry, RETRIES, retries, "cause", "transient", BridgeStats::retries);
        counter(registry, DEAD_LETTERS, "alert records given up on (the bridge's dead-letter topic)", null, null,
                BridgeStats::deadLettered);
        String skipped = "alert records with nothing to send, by reason";
        counter(registry, SKIPPED, skipped, "reason", "below_floor", BridgeStats::belowFloor);
        counter(registry, SKIPPED, skipped, "reason", "unrouted", BridgeStats::unrouted);
        counter(registry, SKIPPED, skipped, "reason", "never_posted", BridgeStats::neverPosted);
        counter(registry, SKIPPED, skipped, "reason", "duplicate", BridgeStats::duplicates);
        Gauge.builder(PENDING, bridge, SlackBridge::pending).description("alerts waiting for Slack")
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String tag, String value,
                         ToDoubleFunction<BridgeStats> count) {
        FunctionCounter.Builder<BridgeStats> builder = FunctionCounter.builder(name, stats, count).description(description);
        if (tag != null) {
            builder = builder.tag(tag, value);
        }
        builder.register(registry);
    }
}
