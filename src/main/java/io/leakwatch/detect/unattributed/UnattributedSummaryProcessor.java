package io.leakwatch.detect.unattributed;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.events.Alert;
import io.leakwatch.periods.BillingPeriod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global half of UNATTRIBUTED_REVENUE: reads every task's {@link TaskPartial} from the single-partition
 * {@code unattributed-partials} topic, sums the totals per period and currency in {@value #STORE}, and judges a
 * period with {@link UnattributedRevenueRule} once it is complete.
 *
 * <p>Complete = every input partition has announced that it closed the period:
 * {@code period <= min over all partitions of closedThrough(partition)}. Each task announces its watermark when its
 * own stream time closes periods, so the result does not depend on how far apart the tasks' stream times are, and
 * it is the same on one partition (backtest) as on many. The watermarks and the finalised-through period are kept
 * in {@value #WATERMARK_STORE}, so a restart neither judges a period twice nor forgets who reported. A partial
 * for a period already judged (it cannot happen unless a task replays after the summary moved on) is refused and
 * counted in {@code leakwatch-unattributed / summary / late-partials-total}.
 *
 * <p>Trade-off: a period is judged when the slowest task closes it; a partition that stops receiving records holds
 * back the judgement of later periods.
 *
 * <p>Alerts are keyed by {@code UNATTRIBUTED}, {@code detected_at} = the period's close instant.
 */
public final class UnattributedSummaryProcessor implements Processor<String, TaskPartial, String, Alert> {
    public static final String STORE = "unattributed-period-summaries";
    public static final String WATERMARK_STORE = "unattributed-periods-finalised";
    private static final String FINALISED_THROUGH = "finalised-through";
    private static final String PARTITION_PREFIX = "closed-through/";

    private final UnattributedRevenueRule rule;
    private final AlertFactory alerts;
    private final int partitions;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, PeriodTotals> summaries;
    private KeyValueStore<String, String> watermarks;
    private Sensor latePartials;

    /** @param partitions how many input partitions (tasks) report partials */
    public UnattributedSummaryProcessor(UnattributedRevenueRule rule, AlertFactory alerts, int partitions) {
        this.rule = rule;
        this.alerts = alerts;
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.summaries = context.getStateStore(STORE);
        this.watermarks = context.getStateStore(WATERMARK_STORE);
        this.latePartials = context.metrics().addRateTotalSensor("leakwatch-unattributed", "summary", "late-partials",
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, TaskPartial> record) {
        TaskPartial partial = record.value();
        String through = watermarks.get(FINALISED_THROUGH);
        BillingPeriod finalised = through == null ? null : BillingPeriod.parse(through);
        for (PeriodTotals totals : partial.totals()) {
            if (finalised != null && totals.billingPeriod().compareTo(finalised) <= 0) {
                latePartials.record();
                continue;
            }
            PeriodTotals sum = summaries.get(totals.key());
            summaries.put(totals.key(), sum == null ? totals : sum.plus(totals));
        }
        String key = PARTITION_PREFIX + partial.partition();
        String previous = watermarks.get(key);
        if (previous == null || BillingPeriod.parse(partial.closedThrough()).compareTo(BillingPeriod.parse(previous)) > 0) {
            watermarks.put(key, partial.closedThrough());
        }
        BillingPeriod complete = completeThrough();
        if (complete != null && (finalised == null || complete.compareTo(finalised) > 0)) {
            judgeThrough(complete);
            watermarks.put(FINALISED_THROUGH, complete.name());
        }
    }

    /** The latest period every partition has closed, or null while some partition has not reported yet. */
    private BillingPeriod completeThrough() {
        BillingPeriod min = null;
        int reported = 0;
        try (KeyValueIterator<String, String> all = watermarks.prefixScan(PARTITION_PREFIX,
                new org.apache.kafka.common.serialization.StringSerializer())) {
            while (all.hasNext()) {
                BillingPeriod p = BillingPeriod.parse(all.next().value);
                min = min == null || p.compareTo(min) < 0 ? p : min;
                reported++;
            }
        }
        return reported >= partitions ? min : null;
    }

    private void judgeThrough(BillingPeriod complete) {
        List<PeriodTotals> done = new ArrayList<>();
        try (KeyValueIterator<String, PeriodTotals> all = summaries.all()) {
            while (all.hasNext()) {
                KeyValue<String, PeriodTotals> entry = all.next();
                if (entry.value.billingPeriod().compareTo(complete) <= 0) {
                    done.add(entry.value);
                }
            }
        }
        done.sort(Comparator.comparing(PeriodTotals::key));
        for (PeriodTotals totals : done) {
            summaries.delete(totals.key());
            long closedAt = rule.closeOf(totals.billingPeriod()).toEpochMilli();
            rule.judge(totals).ifPresent(finding -> context.forward(new Record<>(UnattributedRevenueRule.ACCOUNT,
                    alerts.toAlert(finding, Instant.ofEpochMilli(closedAt)), closedAt)));
        }
    }
}
