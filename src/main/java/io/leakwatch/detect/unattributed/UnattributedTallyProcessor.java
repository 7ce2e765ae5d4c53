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
 * {@value #STORE} ({@code yyyy-MM/CCY -> totals}) and, when a period closes (stream time &gt;= end + close grace,
 * checked by a stream-time punctuation), forwards them as partials keyed by period, timestamped at the close
 * instant, and forgets them. A line of a period that had already closed when it arrived is not counted (its
 * partial is gone) and is counted in the sensor {@code leakwatch-unattributed / tally / late-lines-total}; it
 * was still checked per line.
 */
public final class UnattributedTallyProcessor implements Processor<String, BilledLine, String, PeriodTotals> {
    public static final String STORE = "unattributed-period-totals";
    static final Duration CLOSE_CHECK_INTERVAL = Duration.ofHours(1);

    private final UnattributedRevenueRule rule;
    private ProcessorContext<String, PeriodTotals> context;
    private KeyValueStore<String, PeriodTotals> totals;
    private Sensor lateLines;

    public UnattributedTallyProcessor(UnattributedRevenueRule rule) {
        this.rule = rule;
    }

    @Override
    public void init(ProcessorContext<String, PeriodTotals> context) {
        this.context = context;
        this.totals = context.getStateStore(STORE);
        this.lateLines = context.metrics().addRateTotalSensor("leakwatch-unattributed", "tally", "late-lines",
                Sensor.RecordingLevel.INFO);
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
        List<PeriodTotals> closed = new ArrayList<>();
        try (KeyValueIterator<String, PeriodTotals> all = totals.all()) {
            while (all.hasNext()) {
                KeyValue<String, PeriodTotals> entry = all.next();
                if (streamTime >= rule.closeOf(entry.value.billingPeriod()).toEpochMilli()) {
                    closed.add(entry.value);
                }
            }
        }
        for (PeriodTotals partial : closed) {
            totals.delete(partial.key());
            BillingPeriod period = partial.billingPeriod();
            context.forward(new Record<>(period.name(), partial, rule.closeOf(period).toEpochMilli()));
        }
    }
}
