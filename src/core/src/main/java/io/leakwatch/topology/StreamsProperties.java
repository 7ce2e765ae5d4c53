package io.leakwatch.topology;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one place Leakwatch's Kafka Streams properties start from: {@code run}, the demo and the bench take these
 * defaults and lay their own settings over them; every runner of the topology (those three, the backtest, the tests)
 * then installs the dead-letter handlers with {@link DeadLetterHandlers#install}, which no setting overrides.
 */
public final class StreamsProperties {
    /**
     * How long a task waits (wall clock) for an input partition that reports no lag before it processes the others.
     * The answer does not depend on it (a record that arrives after what it changes re-judges it); 1 s instead of
     * Kafka's 0 saves most of those re-judgements when an input is only momentarily empty.
     */
    public static final long MAX_TASK_IDLE_MS = 1000L;

    /**
     * How often a stream thread commits (and, under exactly-once, ends its transaction). Kafka's exactly-once default
     * of 100 ms re-writes each account's state to its changelog up to ten times a second; at 1 s the record caches
     * absorb most rewrites and the transaction overhead falls tenfold. Alerts reach read_committed readers within
     * about a second.
     */
    public static final long COMMIT_INTERVAL_MS = 1000L;

    private StreamsProperties() {
    }

    /** Exactly-once, the task idling and the commit interval above, then {@code settings} (which win). */
    public static Properties with(Map<?, ?> settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(MAX_TASK_IDLE_MS));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        props.putAll(settings);
        return props;
    }
}
