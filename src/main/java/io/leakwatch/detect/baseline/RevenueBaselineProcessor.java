package io.leakwatch.detect.baseline;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.baseline.BaselineRule.Verdict;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.topology.BaselineSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps each account's {@link RevenueHistory} in the {@value #STORE} store and runs {@link BaselineRule} when
 * a period closes.
 *
 * <pre>
 * invoice line (account_id, service_period_start, line_total, currency)
 *   account_id missing             -> skipped (unattributed revenue has no baseline), counted
 *   currency != the history's      -> skipped (a CURRENCY_MISMATCH finding of its own), counted
 *   revenue(P) += line_total, P = month of service_period_start
 *   P already judged and stream time &lt; close(P) + revision_grace -> P (and any later judged month) judged
 *       again; a new alert has detected_at = the line's record time
 *   P already judged, later than that -> only the history is updated (later baselines see the true revenue),
 *       counted
 * stream-time punctuation: every month P with close(P) = end(P) + close_grace &lt;= stream time is judged for
 *   every account, in month order; alert detected_at = close(P), event_time = start(P)
 * an account whose last {@code window} months are all zero is forgotten (a cold start if it comes back)
 * </pre>
 * The punctuation does nothing (no store scan) while stream time is before the next month's close.
 */
public final class RevenueBaselineProcessor implements Processor<String, InvoiceLine, String, Alert> {
    public static final String STORE = "revenue-history";
    private static final Duration PUNCTUATE_EVERY = Duration.ofHours(1);

    private final BaselineRule rule;
    private final AlertFactory alerts;
    private final Duration closeGrace;
    private final Duration revisionGrace;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, RevenueHistory> store;
    private YearMonth closedThrough;
    /**
     * Stream time at which the next month closes ({@code close(closedThrough + 1)}), in memory, recomputed from the
     * store in {@link #init} (after restore: the newest month any history has been judged through), so the hourly
     * punctuation skips the store scan until a month can be due. RocksDB scans from the first key are slow once
     * forgotten accounts have left tombstones, and a replay moves stream time through thousands of hours.
     * {@code Long.MIN_VALUE} when nothing was judged yet.
     */
    private long nextCloseAt = Long.MIN_VALUE;
    private Sensor withoutAccount;
    private Sensor otherCurrency;
    private Sensor beyondGrace;

    public RevenueBaselineProcessor(BaselineSettings settings, Duration closeGrace, AlertFactory alerts) {
        this.rule = new BaselineRule(settings);
        this.alerts = alerts;
        this.closeGrace = closeGrace;
        this.revisionGrace = settings.revisionGrace();
    }

    /** The processor with its store attached. */
    public static ProcessorSupplier<String, InvoiceLine, String, Alert> supplier(BaselineSettings settings,
                                                                                Duration closeGrace, AlertFactory alerts) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, InvoiceLine, String, Alert> get() {
                return new RevenueBaselineProcessor(settings, closeGrace, alerts);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                        new RevenueHistorySerde()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        withoutAccount = sensor("lines-without-account");
        otherCurrency = sensor("lines-other-currency");
        beyondGrace = sensor("lines-after-revision-grace");
        closedThrough = judgedThrough(store);
        nextCloseAt = closedThrough == null ? Long.MIN_VALUE : close(closedThrough.plusMonths(1)).toEpochMilli();
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::closePeriods);
    }

    /** The newest month any stored history was judged through: every account is judged at each close. */
    private static YearMonth judgedThrough(KeyValueStore<String, RevenueHistory> store) {
        YearMonth newest = null;
        try (KeyValueIterator<String, RevenueHistory> all = store.all()) {
            while (all.hasNext()) {
                YearMonth judged = all.next().value.judgedThrough();
                if (judged != null && (newest == null || judged.isAfter(newest))) {
                    newest = judged;
                }
            }
        }
        return newest;
    }

    private Sensor sensor(String name) {
        return context.metrics().addRateTotalSensor("leakwatch-baseline", "revenue-history", name,
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, InvoiceLine> record) {
        InvoiceLine line = record.value();
        String account = line.getAccountId();
        if (account == null) {
            withoutAccount.record();
            return;
        }
        YearMonth period = BillingPeriod.of(line.getServicePeriodStart()).month();
        RevenueHistory history = store.get(account);
        if (history == null) {
            history = new RevenueHistory(line.getCurrency(), rule.settings().historyPeriods());
        } else if (!history.currency().equals(line.getCurrency())) {
            otherCurrency.record();
            return;
        }
        if (!history.add(period, line.getLineTotal())) {
            beyondGrace.record();
            return;
        }
        if (history.judgedThrough() != null && !period.isAfter(history.judgedThrough())) {
            Instant revisable = close(period).plus(revisionGrace);
            if (context.currentStreamTimeMs() < revisable.toEpochMilli()) {
                Instant detectedAt = Instant.ofEpochMilli(Math.max(record.timestamp(), close(period).toEpochMilli()));
                for (Verdict v : rule.rejudge(history, period)) {
                    forward(account, history, v, detectedAt);
                }
            } else {
                beyondGrace.record();
            }
        }
        store.put(account, history);
    }

    private void closePeriods(long streamTime) {
        if (streamTime < nextCloseAt) {
            return;
        }
        YearMonth latest = BillingPeriod.of(Instant.ofEpochMilli(streamTime).minus(closeGrace)).previous().month();
        if (closedThrough != null && !latest.isAfter(closedThrough)) {
            return;
        }
        List<KeyValue<String, RevenueHistory>> histories = new ArrayList<>();
        try (KeyValueIterator<String, RevenueHistory> all = store.all()) {
            all.forEachRemaining(histories::add);
        }
        for (KeyValue<String, RevenueHistory> entry : histories) {
            RevenueHistory history = entry.value;
            List<Verdict> verdicts = rule.closeThrough(history, latest);
            for (Verdict v : verdicts) {
                forward(entry.key, history, v, close(v.period()));
            }
            if (rule.dormant(history, latest)) {
                store.delete(entry.key);
            } else if (!verdicts.isEmpty()) {
                store.put(entry.key, history);
            }
        }
        closedThrough = latest;
        nextCloseAt = close(latest.plusMonths(1)).toEpochMilli();
    }

    private void forward(String account, RevenueHistory history, Verdict v, Instant detectedAt) {
        RevenueFindings.finding(account, history.currency(), v, rule).ifPresent(finding -> context.forward(
                new Record<>(account, alerts.toAlert(finding, detectedAt, rule.severity(rule.severityScore(v))),
                        detectedAt.toEpochMilli())));
    }

    private Instant close(YearMonth period) {
        return new BillingPeriod(period).end().plus(closeGrace);
    }
}
