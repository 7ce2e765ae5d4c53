package io.leakwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

class TimeSpentTest {
    private final StreamsMetrics metrics = new MockProcessorContext<String, String>().metrics();

    private double metric(String name, Map<String, String> tags) {
        return (double) metrics.metrics().get(new MetricName(name, TimeSpent.GROUP, "", tags)).metricValue();
    }

    @Test
    void shouldSumTheTimeAndCountTheMeasurementsOfOneOperationAndTask() throws Exception {
        Map<String, String> task = Map.of("task-id", "0_1");
        TimeSpent time = TimeSpent.register(metrics, TimeSpent.ACCOUNT_JUDGEMENTS, "judgements", task);
        long start = TimeSpent.start();
        Thread.sleep(2);
        time.since(start);
        time.since(TimeSpent.start());

        assertThat(metric("account-judgements-total", task)).isEqualTo(2.0);
        assertThat(metric("account-judgements-time-ns-total", task)).isGreaterThanOrEqualTo(2_000_000.0);
    }

    @Test
    void shouldAddToTheSameTotalsWhenATaskRegistersAgain() {
        Map<String, String> task = Map.of("task-id", "0_1");
        TimeSpent.register(metrics, TimeSpent.ACCOUNT_EVENTS, "events", task).since(TimeSpent.start());
        // a task reopened after a rebalance registers the same sensor again
        TimeSpent.register(metrics, TimeSpent.ACCOUNT_EVENTS, "events", task).since(TimeSpent.start());

        assertThat(metric("account-events-total", task)).isEqualTo(2.0);
    }

    @Test
    void shouldTotalAnOperationOverTheTasksWhoseTagsMatch() throws Exception {
        TimeSpent features0 = TimeSpent.register(metrics, TimeSpent.WRITE_BACK, "write-back",
                Map.of("task-id", "0_0", "store", "account-features"));
        TimeSpent features1 = TimeSpent.register(metrics, TimeSpent.WRITE_BACK, "write-back",
                Map.of("task-id", "0_1", "store", "account-features"));
        TimeSpent ledger = TimeSpent.register(metrics, TimeSpent.WRITE_BACK, "write-back",
                Map.of("task-id", "0_0", "store", "period-ledger"));
        TimeSpent tick = TimeSpent.register(metrics, TimeSpent.ACCOUNT_JUDGEMENTS, "judgements", Map.of("task-id", "0_0"));
        for (TimeSpent t : new TimeSpent[] {features0, features1, ledger, tick}) {
            long start = TimeSpent.start();
            Thread.sleep(1);
            t.since(start);
        }
        double f0 = metric("write-back-time-ns-total", Map.of("task-id", "0_0", "store", "account-features"));
        double f1 = metric("write-back-time-ns-total", Map.of("task-id", "0_1", "store", "account-features"));
        double l = metric("write-back-time-ns-total", Map.of("task-id", "0_0", "store", "period-ledger"));

        assertThat(TimeSpent.totalNanos(metrics.metrics(), TimeSpent.WRITE_BACK, Map.of("store", "account-features")))
                .isEqualTo(f0 + f1);
        assertThat(TimeSpent.totalNanos(metrics.metrics(), TimeSpent.WRITE_BACK, Map.of())).isEqualTo(f0 + f1 + l);
        assertThat(TimeSpent.totalNanos(metrics.metrics(), TimeSpent.WRITE_BACK, Map.of("task-id", "0_1"))).isEqualTo(f1);
        assertThat(TimeSpent.totalNanos(metrics.metrics(), "no-such-operation", Map.of())).isZero();
    }
}
