package io.leakwatch.stream;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.AlertLifecycle;
import io.leakwatch.alerts.AlertIds;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.detect.unattributed.TaskPartial;
import io.leakwatch.detect.unattributed.UnattributedRevenueRule;
import io.leakwatch.events.Alert;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.periods.BillingPeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global half of UNATTRIBUTED_REVENUE: reads every task's {@link TaskPartial} from the single-partition
 * {@code unattributed-partials} topic, sums the totals per period and currency in {@value #STORE}, judges a period
 * with {@link UnattributedRevenueRule} once it is complete, and judges it again whenever late data changes its
 * totals afterwards (raised, revised or withdrawn through {@link AlertLifecycle}).
 *
 * <p>Complete = every input partition has announced that it closed the period:
 * {@code period <= min over all partitions of closedThrough(partition)}. Each task announces its watermark after it
 * has sent its accounts' totals of the periods it closed, so the first judgement counts every line processed before
 * the close, and a period's result is the same on one partition (backtest) as on many. Watermarks, the finalised
 * period and each period's totals are kept in {@value #WATERMARK_STORE} and {@value #STORE} (totals for the horizon,
 * after which a period's result is final), so a restart neither judges a period twice nor forgets who reported.
 *
 * <p>Trade-off: a period is first judged when the slowest task closes it; a partition that stops receiving records
 * holds back the judgement of later periods.
 *
 * <p>Alerts are keyed by {@code UNATTRIBUTED}, {@code detected_at} = the period's close instant (a later judgement:
 * the close or the time of the partial that changed it, whichever is later).
 */
public final class UnattributedSummaryProcessor implements Processor<String, TaskPartial, String, Alert> {
    public static final String STORE = "unattributed-period-summaries";
    public static final String WATERMARK_STORE = "unattributed-periods-finalised";
    public static final String TOLD = "unattributed-alerts-told";
    private static final String FINALISED_THROUGH = "finalised-through";
    private static final String PARTITION_PREFIX = "closed-through/";

    private final UnattributedRevenueRule rule;
    private final AlertFactory alerts;
    private final int partitions;
    private final Duration horizon;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, PeriodTotals> summaries;
    private KeyValueStore<String, String> watermarks;
    private KeyValueStore<String, Alert> told;
    private AlertLifecycle lifecycle;
    private Sensor rejudged;

    /**
     * @param partitions how many input partitions (tasks) report partials
     * @param horizon    how long after its close a period's totals can still change
     */
    public UnattributedSummaryProcessor(UnattributedRevenueRule rule, AlertFactory alerts, int partitions,
                                        Duration horizon) {
        this.rule = rule;
        this.alerts = alerts;
        this.partitions = partitions;
        this.horizon = horizon;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.summaries = context.getStateStore(STORE);
        this.watermarks = context.getStateStore(WATERMARK_STORE);
        this.told = context.getStateStore(TOLD);
        this.lifecycle = new AlertLifecycle(new ToldStore(told, null));
        this.rejudged = context.metrics().addRateTotalSensor("leakwatch-unattributed", "summary", "periods-judged-again",
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, TaskPartial> record) {
        TaskPartial partial = record.value();
        BillingPeriod finalised = finalised();
        TreeSet<String> changed = new TreeSet<>();
        for (PeriodTotals delta : partial.totals()) {
            PeriodTotals sum = summaries.get(delta.key());
            summaries.put(delta.key(), sum == null ? delta : sum.plus(delta));
            if (finalised != null && delta.billingPeriod().compareTo(finalised) <= 0) {
                changed.add(delta.key());
            }
        }
        if (partial.closedThrough() != null) {
            String key = PARTITION_PREFIX + partial.partition();
            String previous = watermarks.get(key);
            if (previous == null
                    || BillingPeriod.parse(partial.closedThrough()).compareTo(BillingPeriod.parse(previous)) > 0) {
                watermarks.put(key, partial.closedThrough());
            }
        }
        for (String key : changed) {
            rejudged.record();
            judge(summaries.get(key), record.timestamp(), true);
        }
        BillingPeriod complete = completeThrough();
        if (complete != null && (finalised == null || complete.compareTo(finalised) > 0)) {
            for (PeriodTotals totals : between(finalised, complete)) {
                judge(totals, rule.closeOf(totals.billingPeriod()).toEpochMilli(), false);
            }
            watermarks.put(FINALISED_THROUGH, complete.name());
            forgetBefore(complete);
        }
    }

    private BillingPeriod finalised() {
        String through = watermarks.get(FINALISED_THROUGH);
        return through == null ? null : BillingPeriod.parse(through);
    }

    /** The latest period every partition has closed, or null while some partition has not reported yet. */
    private BillingPeriod completeThrough() {
        BillingPeriod min = null;
        int reported = 0;
        try (KeyValueIterator<String, String> all = watermarks.prefixScan(PARTITION_PREFIX, new StringSerializer())) {
            while (all.hasNext()) {
                BillingPeriod p = BillingPeriod.parse(all.next().value);
                min = min == null || p.compareTo(min) < 0 ? p : min;
                reported++;
            }
        }
        return reported >= partitions ? min : null;
    }

    /** The totals of periods after {@code from} (exclusive; null = all) up to {@code to}, in key order. */
    private List<PeriodTotals> between(BillingPeriod from, BillingPeriod to) {
        List<PeriodTotals> found = new ArrayList<>();
        try (KeyValueIterator<String, PeriodTotals> all = summaries.all()) {
            while (all.hasNext()) {
                PeriodTotals totals = all.next().value;
                BillingPeriod p = totals.billingPeriod();
                if ((from == null || p.compareTo(from) > 0) && p.compareTo(to) <= 0) {
                    found.add(totals);
                }
            }
        }
        return found;
    }

    private void judge(PeriodTotals totals, long at, boolean again) {
        long closeAt = rule.closeOf(totals.billingPeriod()).toEpochMilli();
        Instant judgedAt = Instant.ofEpochMilli(Math.max(closeAt, at));
        String why = again ? "invoice lines or contracts that reached us late changed the totals of "
                + totals.period() + " in " + totals.currency() : null;
        Optional<io.leakwatch.alerts.Finding> finding = rule.judge(totals);
        Optional<Alert> out;
        if (finding.isPresent()) {
            out = lifecycle.raised(alerts.toAlert(finding.get(), judgedAt), why);
        } else {
            String id = AlertIds.of(AlertType.UNATTRIBUTED_REVENUE, UnattributedRevenueRule.ACCOUNT, totals.key());
            out = lifecycle.withdrawn(id, judgedAt, (why == null ? "" : why + "; ") + "unattributed revenue of "
                    + totals.period() + " is now " + MoneyFormat.format(totals.unattributedAmount(), totals.currency())
                    + " (" + UnattributedRevenueRule.share(totals).movePointRight(2).stripTrailingZeros().toPlainString()
                    + "% of " + MoneyFormat.format(totals.billedAmount(), totals.currency()) + " billed), below the threshold");
        }
        out.ifPresent(alert -> context.forward(new Record<>(UnattributedRevenueRule.ACCOUNT, alert,
                alert.getDetectedAt().toEpochMilli())));
    }

    /** Forgets the totals of periods the horizon no longer reaches: their result is final. */
    private void forgetBefore(BillingPeriod complete) {
        long cutoff = rule.closeOf(complete).toEpochMilli() - horizon.toMillis();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, PeriodTotals> all = summaries.all()) {
            while (all.hasNext()) {
                KeyValue<String, PeriodTotals> kv = all.next();
                if (rule.closeOf(kv.value.billingPeriod()).toEpochMilli() < cutoff) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(summaries::delete);
    }
}
