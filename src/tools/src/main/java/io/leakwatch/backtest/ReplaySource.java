package io.leakwatch.backtest;

import io.leakwatch.serde.EventType;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.util.Map;

/**
 * Where a replay's history comes from: JSON Lines files ({@link JsonLinesSource}) or the input topics of a cluster
 * ({@link TopicSource}). Either gives the same records in the same order for the same history, so the replay that
 * follows cannot tell them apart.
 */
public interface ReplaySource {
    /**
     * Reads the history in replay order.
     *
     * @param inputs the topics the topology reads with their event types, in the tie-break order of a replay
     * @param topics the deployment's catalog (the roles of the topics)
     * @throws IOException when the history cannot be replayed; the message is one line
     */
    ReplayInput read(Map<String, EventType<?>> inputs, TopicCatalog topics) throws IOException;

    /** The topics of the standing inputs (contracts, provisioning), which a range reads from the start. */
    static java.util.Set<String> standingTopics(TopicCatalog topics) {
        return java.util.Set.of(topics.name(TopicCatalog.CONTRACTS), topics.name(TopicCatalog.PROVISIONING));
    }
}
