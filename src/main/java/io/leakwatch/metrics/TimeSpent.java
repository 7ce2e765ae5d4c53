package io.leakwatch.metrics;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The time one kind of work in the topology takes, as two Kafka Streams metrics (INFO level, so recorded by default):
 * <pre>
 * group {@value #GROUP}, tags: task-id, and store for a store's work
 *   &lt;operation&gt;-time-ns-total   nanoseconds spent, summed since the client started
 *   &lt;operation&gt;-total           times measured
 * operations: features-update (one input record applied to an account's features), scoring-tick (a scoring
 *   tick: its snapshots, the scorer and everything the scores are forwarded to), scorer (one batch through the
 *   risk scorer: the models and the factors, part of a tick), write-back (a write-back store's changed objects
 *   encoded and written at a commit)
 * </pre>
 * What the feature and scoring nodes cost is otherwise only visible in a profiler: the throughput of the topology
 * with scoring on and off differs by less than it varies from one JVM to the next on a small machine. The totals are
 * wall-clock time on the stream thread (two {@link System#nanoTime()} calls per measurement), which equals its CPU
 * time unless the thread is descheduled inside the measured work.
 */
public final class TimeSpent {
    public static final String GROUP = "leakwatch-time-spent";
    public static final String FEATURES_UPDATE = "features-update";
    public static final String SCORING_TICK = "scoring-tick";
    public static final String SCORER = "scorer";
    public static final String WRITE_BACK = "write-back";
    /** The total-time metric of an operation is named {@code operation + TIME_SUFFIX}. */
    public static final String TIME_SUFFIX = "-time-ns-total";

    private final Sensor sensor;

    private TimeSpent(Sensor sensor) {
        this.sensor = sensor;
    }

    /**
     * The sensor of {@code operation} under {@code tags} (the same one when asked twice: a task reopened after a
     * rebalance keeps adding to its totals).
     */
    public static TimeSpent register(StreamsMetrics metrics, String operation, String description, Map<String, String> tags) {
        Map<String, String> sorted = new TreeMap<>(tags);
        Sensor sensor = metrics.addSensor(GROUP + "." + operation + "." + sorted, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(operation + TIME_SUFFIX, GROUP, "Nanoseconds spent: " + description, sorted),
                new CumulativeSum());
        sensor.add(new MetricName(operation + "-total", GROUP, "Times measured: " + description, sorted),
                new CumulativeCount());
        return new TimeSpent(sensor);
    }

    /** The start of a measurement, for {@link #since}. */
    public static long start() {
        return System.nanoTime();
    }

    /** Records the time since {@code start}. */
    public void since(long start) {
        sensor.record(System.nanoTime() - start);
    }

    /**
     * Nanoseconds summed over every {@code operation} metric of the group whose tags include {@code tags} (every
     * task, say, or one store's), from a client's {@code KafkaStreams#metrics()}.
     */
    public static double totalNanos(Map<MetricName, ? extends Metric> metrics, String operation, Map<String, String> tags) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (name.group().equals(GROUP) && name.name().equals(operation + TIME_SUFFIX)
                    && name.tags().entrySet().containsAll(tags.entrySet())
                    && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }
}
