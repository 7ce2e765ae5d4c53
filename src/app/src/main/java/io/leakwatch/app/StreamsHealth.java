package io.leakwatch.app;

import io.leakwatch.app.http.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;

/**
 * The liveness and readiness of {@code run}'s stream processor.
 * <pre>
 * live  = the processor has not failed: state not ERROR / PENDING_ERROR, and no stream thread died
 *         (CREATED, REBALANCING, RUNNING and a clean shutdown in progress are live)
 * ready = live, state RUNNING, every input partition of this instance's active tasks fetched at least once, and
 *         the sum of their lags &lt;= maxLag
 * lag of a partition = the main consumer's records-lag (consumer-fetch-manager-metrics): records between its position
 *         and the end of the partition (the last stable offset under read_committed), as of its last fetch
 * </pre>
 * A partition is judged from what the consumer last fetched, so readiness costs no request to the cluster. An
 * instance with no active task (more instances than partitions) is ready once RUNNING.
 */
public final class StreamsHealth {
    static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    static final String RECORDS_LAG = "records-lag";

    private final StreamsRunner runner;
    private final Set<String> inputs;
    private final long maxLag;

    /**
     * @param inputs the input topics (the lag of internal repartition topics and changelogs does not count)
     * @param maxLag the most records this instance's inputs may still hold for it to be ready
     */
    public StreamsHealth(StreamsRunner runner, Set<String> inputs, long maxLag) {
        this.runner = runner;
        this.inputs = Set.copyOf(inputs);
        this.maxLag = maxLag;
    }

    public Health.Status live() {
        KafkaStreams.State state = runner.state();
        Map<String, Object> details = Map.of("state", state.name());
        if (runner.failure() != null) {
            return Health.Status.down(state.name(), List.of("a stream thread failed: " + runner.failure()), details);
        }
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            return Health.Status.down(state.name(), List.of("the stream processor is in state " + state), details);
        }
        return Health.Status.up(state.name(), details);
    }

    public Health.Status ready() {
        Health.Status live = live();
        if (!live.up()) {
            return live;
        }
        KafkaStreams streams = runner.streams();
        KafkaStreams.State state = runner.state();
        if (streams == null || state != KafkaStreams.State.RUNNING) {
            return Health.Status.down(state.name(), List.of("the stream processor is " + state + ", not RUNNING"),
                    Map.of("state", state.name()));
        }
        Set<TopicPartition> assigned = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream().filter(tp -> inputs.contains(tp.topic())).forEach(assigned::add);
            }
        }
        Map<TopicPartition, Double> lags = lags(streams.metrics());
        long total = 0;
        List<String> unknown = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            Double lag = lags.get(tp);
            if (lag == null || lag.isNaN()) {
                unknown.add(tp.toString());
            } else {
                total += Math.max(0, lag.longValue());
            }
        }
        Map<String, Object> details = new TreeMap<>();
        details.put("state", state.name());
        details.put("input_partitions", assigned.size());
        details.put("lag", total);
        details.put("max_lag", maxLag);
        List<String> reasons = new ArrayList<>();
        if (!unknown.isEmpty()) {
            reasons.add("no fetch yet from " + unknown.size() + " input partition(s): " + String.join(", ", unknown));
        }
        if (total > maxLag) {
            reasons.add("input lag " + total + " records is above the readiness limit " + maxLag);
        }
        return reasons.isEmpty() ? Health.Status.up(state.name(), details)
                : Health.Status.down(state.name(), reasons, details);
    }

    /** The main consumers' records-lag by partition (the restore consumers' lags are of changelogs: not inputs). */
    static Map<TopicPartition, Double> lags(Map<MetricName, ? extends Metric> metrics) {
        Map<TopicPartition, Double> lags = new java.util.HashMap<>();
        metrics.forEach((name, metric) -> {
            Map<String, String> tags = name.tags();
            String clientId = tags.getOrDefault("client-id", "");
            if (FETCH_GROUP.equals(name.group()) && RECORDS_LAG.equals(name.name()) && tags.containsKey("partition")
                    && !clientId.endsWith("-restore-consumer")) {
                Object value = metric.metricValue();
                if (value instanceof Number n) {
                    lags.merge(new TopicPartition(tags.get("topic"), Integer.parseInt(tags.get("partition"))),
                            n.doubleValue(), Math::max);
                }
            }
        });
        return lags;
    }
}
