package io.leakwatch.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The time one kind of work in the topology takes, as two Kafka Streams metrics (INFO level, so recorded by default):
 * <pre>
 * group {@value #GROUP}, tags: task-id, and store for a store's work
 *   &lt;operation&gt;-time-ns-total   nanoseconds spent, summed since the client started
 *   &lt;operation&gt;-total           times measured
 * operations: account-events (one input record through the account processor: logged, and applied to its
 *   account with the judgements it makes overdue, or marked for a replay), account-judgements (the judgements stream
 *   time has passed, and the replays of accounts that received late records), write-back (a write-back store's
 *   changed objects encoded and written at a commit)
 * </pre>
 * Where the account processor's time goes is otherwise only visible in a profiler. The totals are
 * wall-clock time on the stream thread (two {@link System#nanoTime()} calls per measurement), which equals its CPU
 * time unless the thread is descheduled inside the measured work. One instance per task (or store), used by the
 * thread that runs the task.
 */
public final class TimeSpent {
    public static final String GROUP = "leakwatch-time-spent";
    public static final String ACCOUNT_EVENTS = "account-events";
    public static final String ACCOUNT_JUDGEMENTS = "account-judgements";
    public static final String WRITE_BACK = "write-back";
    /** The total-time metric of an operation is named {@code operation + TIME_SUFFIX}, its count {@code + COUNT_SUFFIX}. */
    public static final String TIME_SUFFIX = "-time-ns-total";
    public static final String COUNT_SUFFIX = "-total";
    /** The tags: every total has the task's, a store's work also the store's name. */
    public static final String TASK_TAG = "task-id";
    public static final String STORE_TAG = "store";

    private final Total time;
    private final Total count;

    private TimeSpent(Total time, Total count) {
        this.time = time;
        this.count = count;
    }

    /**
     * A running total that a metric reads. The measured node adds to it directly: recording into a sensor takes a
     * lock and reads the wall clock, which cost about a tenth of what applying a record to the features costs.
     * One writer (the thread running the task); the metrics reporter reads it from any thread.
     */
    static final class Total implements MeasurableStat {
        private final AtomicLong value = new AtomicLong();

        void add(long delta) {
            value.lazySet(value.get() + delta);     // single writer: no atomic read-modify-write needed
        }

        @Override
        public double measure(MetricConfig config, long now) {
            return value.get();
        }

        @Override
        public void record(MetricConfig config, double value, long timeMs) {
            // never recorded through the sensor: see add
        }
    }

    /**
     * The totals of {@code operation} under {@code tags}: the same ones when asked twice (a task reopened after a
     * rebalance keeps adding to its totals).
     */
    public static TimeSpent register(StreamsMetrics metrics, String operation, String description, Map<String, String> tags) {
        Map<String, String> sorted = new TreeMap<>(tags);
        Sensor sensor = metrics.addSensor(GROUP + "." + operation + "." + sorted, Sensor.RecordingLevel.INFO);
        return new TimeSpent(
                total(metrics, sensor, new MetricName(operation + TIME_SUFFIX, GROUP, "Nanoseconds spent: " + description, sorted)),
                total(metrics, sensor, new MetricName(operation + COUNT_SUFFIX, GROUP, "Times measured: " + description, sorted)));
    }

    private static Total total(StreamsMetrics metrics, Sensor sensor, MetricName name) {
        if (metrics.metrics().get(name) instanceof KafkaMetric existing && existing.measurable() instanceof Total total) {
            return total;
        }
        Total total = new Total();
        sensor.add(name, total);
        return total;
    }

    /** The start of a measurement, for {@link #since}. */
    public static long start() {
        return System.nanoTime();
    }

    /** Adds the time since {@code start}. */
    public void since(long start) {
        time.add(System.nanoTime() - start);
        count.add(1);
    }

    /**
     * Nanoseconds summed over every {@code operation} metric of the group whose tags include {@code tags} (every
     * task, say, or one store's), from a client's {@code KafkaStreams#metrics()}.
     */
    public static double totalNanos(Map<MetricName, ? extends Metric> metrics, String operation, Map<String, String> tags) {
        return sum(metrics, operation + TIME_SUFFIX, tags);
    }

    /** Measurements counted, summed like {@link #totalNanos}. */
    public static double totalCount(Map<MetricName, ? extends Metric> metrics, String operation, Map<String, String> tags) {
        return sum(metrics, operation + COUNT_SUFFIX, tags);
    }

    private static double sum(Map<MetricName, ? extends Metric> metrics, String metric, Map<String, String> tags) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (name.group().equals(GROUP) && name.name().equals(metric)
                    && name.tags().entrySet().containsAll(tags.entrySet())
                    && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }
}
