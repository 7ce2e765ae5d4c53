package io.leakwatch.detect.period;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.Finding;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.ingest.RejectReason;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.state.WriteBackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Keeps the per-account {@link AccountLedger} and closes billing periods in stream time; the rules are in
 * {@link PeriodRules}.
 *
 * <pre>
 * close(P)       = end(P) + periodCloseGrace
 * P is closed    ⇔ close(P) &lt;= stream time when a record is processed
 * usage          -> period of occurred_at;                    closed -> dead-letter "late", else add to ledger
 * invoice line   -> period of service_period_start;           closed -> counted, ignored, else add to ledger
 * provisioning   -> first period it sets (see PeriodRules);   closed -> dead-letter "late", else add to history
 * contract       -> open every not-yet-closed period up to the current one
 * punctuation (stream time, hourly): for every open (P, account) with close(P) &lt;= stream time, in (P, account)
 *   order: judge with the contract version held at close(P); alerts get detected_at = record time = close(P),
 *   event_time = start(P); drop P's state; open P+1 while the contract has rate lines from start(P+1) on.
 * </pre>
 * The output of a period therefore depends only on which records were processed before stream time reached
 * its close, never on when the punctuation happened to fire. Accounts without a contract are not judged.
 *
 * <p>State: {@value #LEDGER_STORE} (account -> ledger) and {@value #OPEN_STORE} ({@code yyyy-MM|account} ->
 * close instant), the index the punctuation scans in period order. Both shrink when periods close.
 * It is a {@link Processor}, not a fixed-key one, only because the punctuation must create records; the key
 * is always the account, so nothing downstream repartitions.
 */
public final class PeriodLedgerProcessor implements Processor<String, LedgerEvent, String, LedgerOutput> {
    public static final String LEDGER_STORE = "period-ledger";
    /** Accounts whose ledgers stay decoded in memory between records. */
    static final int KEPT_LEDGERS = 4096;
    public static final String OPEN_STORE = "period-ledger-open-periods";
    static final Duration PUNCTUATION_INTERVAL = Duration.ofHours(1);

    private final PeriodRules rules = new PeriodRules();
    private final AlertFactory alerts;
    private final long graceMs;
    private final String contractStore;
    private final EventCodec<UsageRecord> usageCodec;
    private final EventCodec<ProvisioningChange> provisioningCodec;

    private ProcessorContext<String, LedgerOutput> context;
    private KeyValueStore<String, AccountLedger> ledgers;
    private KeyValueStore<String, Long> open;
    /**
     * Earliest close instant in {@code open} as far as this instance knows (a lower bound): the hourly punctuation
     * skips the store scan while stream time is before it. RocksDB scans from the first key are slow once many
     * closed periods have left tombstones there, and a replay moves stream time through thousands of hours.
     */
    private long nextCloseAt = Long.MIN_VALUE;
    private VersionedKeyValueStore<String, Contract> contracts;
    private Sensor lateUsage;
    private Sensor lateProvisioning;
    private Sensor linesAfterClose;

    public PeriodLedgerProcessor(AlertFactory alerts, Duration periodCloseGrace, String contractStore,
                                 EventCodec<UsageRecord> usageCodec, EventCodec<ProvisioningChange> provisioningCodec) {
        this.alerts = alerts;
        this.graceMs = periodCloseGrace.toMillis();
        this.contractStore = contractStore;
        this.usageCodec = usageCodec;
        this.provisioningCodec = provisioningCodec;
    }

    /** A supplier that also declares (and so adds and connects) the ledger's own two stores. */
    public static ProcessorSupplier<String, LedgerEvent, String, LedgerOutput> supplier(
            AlertFactory alerts, Duration periodCloseGrace, String contractStore,
            EventCodec<UsageRecord> usageCodec, EventCodec<ProvisioningChange> provisioningCodec) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, LedgerEvent, String, LedgerOutput> get() {
                return new PeriodLedgerProcessor(alerts, periodCloseGrace, contractStore, usageCodec, provisioningCodec);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        // read and rewritten on every usage record and line: kept decoded, encoded once per commit
                        WriteBackStore.persistent(LEDGER_STORE, new AccountLedgerSerde(), KEPT_LEDGERS),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OPEN_STORE), Serdes.String(),
                                Serdes.Long()).withCachingEnabled());
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, LedgerOutput> context) {
        this.context = context;
        this.ledgers = context.getStateStore(LEDGER_STORE);
        this.open = context.getStateStore(OPEN_STORE);
        this.contracts = context.getStateStore(contractStore);
        // The same counters the ingest step uses for late records: leakwatch-dead-letter / <type> / late-total.
        this.lateUsage = context.metrics().addRateTotalSensor("leakwatch-dead-letter", EventType.USAGE.name(),
                RejectReason.LATE.code(), Sensor.RecordingLevel.INFO);
        this.lateProvisioning = context.metrics().addRateTotalSensor("leakwatch-dead-letter",
                EventType.PROVISIONING.name(), RejectReason.LATE.code(), Sensor.RecordingLevel.INFO);
        this.linesAfterClose = context.metrics().addRateTotalSensor("leakwatch-period-ledger", "invoice-lines",
                "after-close", Sensor.RecordingLevel.INFO);
        context.schedule(PUNCTUATION_INTERVAL, PunctuationType.STREAM_TIME, this::closeDuePeriods);
    }

    @Override
    public void process(Record<String, LedgerEvent> record) {
        String account = record.key();
        long streamTime = context.currentStreamTimeMs();
        LedgerEvent event = record.value();
        if (event instanceof LedgerEvent.Usage u) {
            usage(record, account, u.record(), streamTime);
        } else if (event instanceof LedgerEvent.Line l) {
            line(account, l.line(), streamTime);
        } else if (event instanceof LedgerEvent.Provisioning p) {
            provisioning(record, account, p.change(), streamTime);
        } else if (event instanceof LedgerEvent.ContractSeen) {
            contractSeen(account, streamTime);
        }
    }

    private void usage(Record<String, LedgerEvent> record, String account, UsageRecord usage, long streamTime) {
        BillingPeriod period = BillingPeriod.of(usage.getOccurredAt());
        if (isClosed(period, streamTime)) {
            lateUsage.record();
            refuse(record, usageCodec.encode(usage), "usage of " + usage.getService() + " in " + period
                    + " arrived after the period closed at " + closeOf(period) + " (stream time "
                    + Instant.ofEpochMilli(streamTime) + ")");
            return;
        }
        AccountLedger ledger = ledger(account);
        ledger.period(period).addUsage(usage.getService(), usage.getQuantity());
        ledgers.put(account, ledger);
        markOpen(period, account);
    }

    private void line(String account, InvoiceLine line, long streamTime) {
        BillingPeriod period = BillingPeriod.of(line.getServicePeriodStart());
        if (isClosed(period, streamTime)) {
            // Still checked per line by the invoice detectors; a judged period is never re-opened.
            linesAfterClose.record();
            return;
        }
        AccountLedger ledger = ledger(account);
        ledger.period(period).addLine(line.getInvoiceId() + "/" + line.getLineId() + "@" + line.getIssuedAt().toEpochMilli(),
                line.getService(), line.getQuantity());
        ledgers.put(account, ledger);
        markOpen(period, account);
    }

    private void provisioning(Record<String, LedgerEvent> record, String account, ProvisioningChange change,
                              long streamTime) {
        BillingPeriod first = PeriodRules.firstPeriodAffected(change.getEffectiveAt());
        if (isClosed(first, streamTime)) {
            lateProvisioning.record();
            refuse(record, provisioningCodec.encode(change), "provisioning change of " + change.getService()
                    + " effective " + change.getEffectiveAt() + " sets the level of " + first
                    + ", which closed at " + closeOf(first) + " (stream time " + Instant.ofEpochMilli(streamTime) + ")");
            return;
        }
        AccountLedger ledger = ledger(account);
        ledger.addProvisioning(change.getService(), new AccountLedger.ProvisioningStep(change.getChangeId(),
                change.getEffectiveAt().toEpochMilli(), change.getLevel()));
        ledgers.put(account, ledger);
        markOpen(first, account);
    }

    /** Every period not yet closed, up to the one stream time is in, gets judged for this account. */
    private void contractSeen(String account, long streamTime) {
        BillingPeriod current = BillingPeriod.of(Instant.ofEpochMilli(streamTime));
        for (BillingPeriod p = BillingPeriod.of(Instant.ofEpochMilli(streamTime - graceMs)); p.compareTo(current) <= 0;
             p = p.next()) {
            if (!isClosed(p, streamTime)) {
                markOpen(p, account);
            }
        }
    }

    private void refuse(Record<String, LedgerEvent> record, byte[] value, String detail) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.REASON, RejectReason.LATE.code());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.DETAIL, detail);
        context.recordMetadata().ifPresent(m -> {
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TOPIC, m.topic());
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(m.partition()));
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(m.offset()));
        });
        DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TIMESTAMP, Long.toString(record.timestamp()));
        context.forward(record.<LedgerOutput>withValue(new LedgerOutput.Refused(value)).withHeaders(headers));
    }

    /** Closes every open period whose close instant stream time has reached, oldest period first. */
    void closeDuePeriods(long streamTime) {
        if (streamTime < nextCloseAt) {
            return;
        }
        while (true) {
            List<String> due = new ArrayList<>();
            long earliestNotDue = Long.MAX_VALUE;
            try (KeyValueIterator<String, Long> all = open.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> entry = all.next();
                    if (entry.value > streamTime) {
                        earliestNotDue = entry.value;
                        break; // keys sort by period, and so do close instants
                    }
                    due.add(entry.key);
                }
            }
            if (due.isEmpty()) {
                nextCloseAt = earliestNotDue;
                return;
            }
            for (String key : due) {
                open.delete(key);
                close(BillingPeriod.parse(key.substring(0, key.indexOf('|'))), key.substring(key.indexOf('|') + 1));
            }
        }
    }

    private void close(BillingPeriod period, String account) {
        Instant closeAt = closeOf(period);
        AccountLedger ledger = ledger(account);
        PeriodLedger periodLedger = ledger.find(period).orElseGet(PeriodLedger::empty);
        VersionedRecord<Contract> asOfClose = contracts.get(account, closeAt.toEpochMilli());
        if (asOfClose != null) {
            List<Finding> findings = rules.evaluate(account, period, periodLedger, ledger.provisionedAt(period.start()),
                    asOfClose.value());
            for (Finding finding : findings) {
                context.forward(new Record<>(account, new LedgerOutput.Raised(alerts.toAlert(finding, closeAt)),
                        closeAt.toEpochMilli()));
            }
        }
        ledger.close(period);
        if (ledger.isEmpty()) {
            ledgers.delete(account);
        } else {
            ledgers.put(account, ledger);
        }
        VersionedRecord<Contract> latest = contracts.get(account);
        if (latest != null && PeriodRules.inForceAtOrAfter(latest.value(), period.next().start())) {
            markOpen(period.next(), account);
        }
    }

    private AccountLedger ledger(String account) {
        AccountLedger ledger = ledgers.get(account);
        return ledger == null ? new AccountLedger() : ledger;
    }

    private void markOpen(BillingPeriod period, String account) {
        long closeAt = closeOf(period).toEpochMilli();
        open.put(period.name() + "|" + account, closeAt);
        nextCloseAt = Math.min(nextCloseAt, closeAt);
    }

    private boolean isClosed(BillingPeriod period, long streamTime) {
        return closeOf(period).toEpochMilli() <= streamTime;
    }

    private Instant closeOf(BillingPeriod period) {
        return period.end().plusMillis(graceMs);
    }
}
