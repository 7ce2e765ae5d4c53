package io.leakwatch.detect.unattributed;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.events.Alert;
import io.leakwatch.periods.BillingPeriod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global half of UNATTRIBUTED_REVENUE: reads the partials of every task from the single-partition
 * {@code unattributed-partials} topic, sums them per period and currency in {@value #STORE}, and judges a period
 * with {@link UnattributedRevenueRule} once it is final.
 *
 * <p>Final = a partial of a later period arrived: each task sends its partials in period order when it closes
 * them, so a later period's partial means that task is done with the earlier ones. Trade-off: the last period is
 * only judged when the next one closes (about a month later), and a task whose stream time lags more than a period
 * behind the others has its partial for an already finalised period refused (counted in the sensor
 * {@code leakwatch-unattributed / summary / late-partials-total}), not added to an alert already sent. The
 * finalised-through period is kept in {@value #FINALISED_STORE} so a restart does not judge a period twice.
 *
 * <p>Alerts are keyed by {@code UNATTRIBUTED}, {@code detected_at} = the period's close instant.
 */
public final class UnattributedSummaryProcessor implements Processor<String, PeriodTotals, String, Alert> {
    public static final String STORE = "unattributed-period-summaries";
    public static final String FINALISED_STORE = "unattributed-periods-finalised";
    private static final String FINALISED_THROUGH = "finalised-through";

    private final UnattributedRevenueRule rule;
    private final AlertFactory alerts;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, PeriodTotals> summaries;
    private KeyValueStore<String, String> finalised;
    private Sensor latePartials;

    public UnattributedSummaryProcessor(UnattributedRevenueRule rule, AlertFactory alerts) {
        this.rule = rule;
        this.alerts = alerts;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.summaries = context.getStateStore(STORE);
        this.finalised = context.getStateStore(FINALISED_STORE);
        this.latePartials = context.metrics().addRateTotalSensor("leakwatch-unattributed", "summary", "late-partials",
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, PeriodTotals> record) {
        PeriodTotals partial = record.value();
        BillingPeriod period = partial.billingPeriod();
        String through = finalised.get(FINALISED_THROUGH);
        if (through != null && period.compareTo(BillingPeriod.parse(through)) <= 0) {
            latePartials.record();
            return;
        }
        if (through == null || period.previous().compareTo(BillingPeriod.parse(through)) > 0) {
            finalised.put(FINALISED_THROUGH, period.previous().name());
        }
        finaliseBefore(period);
        PeriodTotals sum = summaries.get(partial.key());
        summaries.put(partial.key(), sum == null ? partial : sum.plus(partial));
    }

    private void finaliseBefore(BillingPeriod period) {
        List<PeriodTotals> done = new ArrayList<>();
        try (KeyValueIterator<String, PeriodTotals> all = summaries.all()) {
            while (all.hasNext()) {
                KeyValue<String, PeriodTotals> entry = all.next();
                if (entry.value.billingPeriod().compareTo(period) < 0) {
                    done.add(entry.value);
                }
            }
        }
        for (PeriodTotals totals : done) {
            summaries.delete(totals.key());
            long closedAt = rule.closeOf(totals.billingPeriod()).toEpochMilli();
            rule.judge(totals).ifPresent(finding -> context.forward(new Record<>(UnattributedRevenueRule.ACCOUNT,
                    alerts.toAlert(finding, Instant.ofEpochMilli(closedAt)), closedAt)));
        }
    }
}
