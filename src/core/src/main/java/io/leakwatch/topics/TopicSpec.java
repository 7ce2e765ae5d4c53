package io.leakwatch.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the catalog.
 *
 * @param role       what the topic is for (contracts, invoices, alerts, dead-letter, ...); stable across deployments
 * @param name       the topic's name in this deployment
 * @param retention  empty = keep forever
 * @param input      whether the stream processor reads it (input topics must be co-partitioned)
 */
public record TopicSpec(String role, String name, int partitions, short replicationFactor, String cleanupPolicy,
                        Optional<Duration> retention, boolean input, boolean optional, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /** All topic-level configs, retention and cleanup policy included. */
    public Map<String, String> topicConfigs() {
        Map<String, String> all = new LinkedHashMap<>(configs);
        all.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
        all.put(TopicConfig.RETENTION_MS_CONFIG, retention.map(d -> Long.toString(d.toMillis())).orElse("-1"));
        return all;
    }

    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(topicConfigs());
    }

    public TopicSpec withName(String newName) {
        return new TopicSpec(role, newName, partitions, replicationFactor, cleanupPolicy, retention, input, optional, configs);
    }

    public TopicSpec withReplicationFactor(short factor) {
        return new TopicSpec(role, name, partitions, factor, cleanupPolicy, retention, input, optional, configs);
    }

    public TopicSpec withPartitions(int count) {
        return new TopicSpec(role, name, count, replicationFactor, cleanupPolicy, retention, input, optional, configs);
    }
}
