package io.leakwatch.detect.unattributed;

import io.leakwatch.periods.BillingPeriod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-task half of UNATTRIBUTED_REVENUE: keeps this task's {@link PeriodTotals} per period and currency in
 * {@value #STORE} ({@code yyyy-MM/CCY -> totals}) and, whenever its stream time closes more periods (stream time
 * &gt;= end + close grace, checked by a stream-time punctuation), forwards one {@link TaskPartial}: the totals of the
 * newly closed periods and the latest period closed (the task's watermark), timestamped at that period's close
 * instant; then forgets those totals. A partial is sent even when the task had no lines in those periods, so the
 * summary knows this task is done with them. A line of a period that had already closed when it arrived is not counted (its
 * partial is gone) and is counted in the sensor {@code leakwatch-unattributed / tally / late-lines-total}; it
 * was still checked per line.
 */
public final class UnattributedTallyProcessor implements Processor<String, BilledLine, String, TaskPartial> {
    public static final String STORE = "unattributed-period-totals";
    static final Duration CLOSE_CHECK_INTERVAL = Duration.ofHours(1);

    private final UnattributedRevenueRule rule;
    private ProcessorContext<String, TaskPartial> context;
    private BillingPeriod closedThrough;
    /**
     * Stream time at which the next period closes ({@code close(closedThrough + 1)}), kept in memory and recomputed
     * from the stored watermark in {@link #init} (after restore), so the hourly punctuation does nothing at all until
     * then; {@code Long.MIN_VALUE} while this task has never closed a period.
     */
    private long nextCloseAt = Long.MIN_VALUE;
    private KeyValueStore<String, PeriodTotals> totals;
    private Sensor lateLines;

    public UnattributedTallyProcessor(UnattributedRevenueRule rule) {
        this.rule = rule;
    }

    @Override
    public void init(ProcessorContext<String, TaskPartial> context) {
        this.context = context;
        this.totals = context.getStateStore(STORE);
        this.lateLines = context.metrics().addRateTotalSensor("leakwatch-unattributed", "tally", "late-lines",
                Sensor.RecordingLevel.INFO);
        PeriodTotals marker = totals.get(CLOSED_THROUGH_KEY);
        closedThrough = marker == null ? null : marker.billingPeriod();
        nextCloseAt = closedThrough == null ? Long.MIN_VALUE : rule.closeOf(closedThrough.next()).toEpochMilli();
        context.schedule(CLOSE_CHECK_INTERVAL, PunctuationType.STREAM_TIME, this::emitClosedPeriods);
    }

    @Override
    public void process(Record<String, BilledLine> record) {
        BilledLine line = record.value();
        if (context.currentStreamTimeMs() >= rule.closeOf(line.period()).toEpochMilli()) {
            lateLines.record();
            return;
        }
        String key = PeriodTotals.key(line.period(), line.currency());
        PeriodTotals current = totals.get(key);
        totals.put(key, (current == null ? PeriodTotals.empty(line.period(), line.currency()) : current).with(line));
    }

    private void emitClosedPeriods(long streamTime) {
        if (streamTime < nextCloseAt) {
            return;
        }
        BillingPeriod latestClosed = rule.latestClosedAt(streamTime);
        if (closedThrough != null && latestClosed.compareTo(closedThrough) <= 0) {
            return;
        }
        List<PeriodTotals> closed = new ArrayList<>();
        try (KeyValueIterator<String, PeriodTotals> all = totals.all()) {
            while (all.hasNext()) {
                KeyValue<String, PeriodTotals> entry = all.next();
                if (!entry.key.equals(CLOSED_THROUGH_KEY) && entry.value.billingPeriod().compareTo(latestClosed) <= 0) {
                    closed.add(entry.value);
                }
            }
        }
        closed.forEach(partial -> totals.delete(partial.key()));
        closedThrough = latestClosed;
        nextCloseAt = rule.closeOf(latestClosed.next()).toEpochMilli();
        totals.put(CLOSED_THROUGH_KEY, PeriodTotals.empty(latestClosed, ""));
        int partition = context.taskId().partition();
        context.forward(new Record<>(PARTIAL_KEY, new TaskPartial(partition, latestClosed.name(), closed),
                rule.closeOf(latestClosed).toEpochMilli()));
    }

    /** Store key of this task's watermark (a restart must not re-announce closed periods as empty). */
    static final String CLOSED_THROUGH_KEY = "closed-through";
    /** All partials share one key: the summary is a single task. */
    static final String PARTIAL_KEY = "unattributed";
}
