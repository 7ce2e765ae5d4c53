package io.leakwatch.features;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.metrics.TimeSpent;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.state.WriteBackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
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
 * Keeps each account's {@link AccountFeatures} in the {@value #STORE} store and forwards {@link FeatureBatch}es.
 *
 * <pre>
 * record (contract | invoice line | usage | payment | provisioning | feature alert), keyed by account, time t
 *   period-end snapshots on, t &gt;= next boundary T (1st of a month, UTC):
 *       for every T &lt;= t in order: FeatureBatch(T, periodEnd=true) of every account with an active contract at T,
 *       computed BEFORE the record is applied (the state then holds only records with timestamps before T);
 *       one full store scan per month boundary; T is kept in {@value #CLOCK_STORE} across restarts
 *   apply the record to the account's features; with a scorer: the account is due for scoring
 *       at t                  for a prompt change: a failed payment, a finding, a contract version, a provisioning
 *                             change that lowers the level in force (a downgrade)
 *       at min(t + routine delay, the period end after t)
 *                             for a routine one: usage, an invoice line, any other payment, a first level or a raise;
 *                             when that is the next period end (by default it always is) the period-end scan below
 *                             scores it and nothing is marked
 *       a mark: {@value #CHANGED_STORE}: account -&gt; due instant, the earliest of its pending changes (a write-back
 *       store: marks change in memory, and each commit writes only the last state of each mark it saw change)
 * STREAM_TIME punctuation every scoring interval, only with a scorer:
 *   first tick at or after the next period end (1st of a month, UTC; kept in {@value #CLOCK_STORE} as
 *   {@value #NEXT_SCAN} across restarts): the period-end scan, every account under contract (one store scan a month),
 *       whether it changed or not: its marks are removed
 *   every tick: the accounts due at or before stream time and under contract; their marks are removed (point
 *       deletes: the due accounts are held in memory, in due order, and the mark store is read once, at start-up)
 *   one FeatureBatch(stream time, periodEnd=false) of them, in account-id order, &lt;= batch size each
 * </pre>
 * Why two speeds: the models predict next month's leakage and churn within three months from snapshots taken at
 * month boundaries, and usage, invoices and ordinary payments move the features by small steps (a day of usage is a
 * thirtieth of a 30-day window), while a failed payment, a finding, an amendment or a downgrade can move the risk
 * at once. A raise of a provisioned level (or a first one) only moves utilisation a step; when it leaves seats
 * unbilled, the provisioning rule's finding is itself prompt, so waiting for the period end loses nothing a rule
 * would not report first. Scoring every account on every day it had any event scored about one account per input
 * record on a generated world and cost far more than the features. Prompt changes are scored at the next tick;
 * routine ones wait, at the longest, for the next period end, the instant the models were trained at, where every
 * account under contract is scored in one large batch (an ONNX Runtime call has a fixed cost, so a row in a batch
 * of hundreds costs a fraction of a row in a batch of a few). Every account, not only the changed ones: the
 * windows slide, so an account that went silent (no usage, no invoices: what churn looks like) has new features
 * and a new score each month although nothing happened to it. A routine delay shorter than a month scores routine
 * changes sooner (the default, P31D, never does), and a routine delay of zero scores every change at the next tick.
 * A record arriving after its month's boundary has passed (late, within the ingest lateness) only updates the
 * state: a period-end snapshot already sent is never revised. Batch record key: the as-of instant (ISO-8601).
 */
public final class AccountFeatureProcessor implements Processor<String, SpecificRecord, String, FeatureBatch> {
    public static final String STORE = "account-features";
    public static final String CHANGED_STORE = "account-features-changed";
    /** Accounts whose decoded features stay in memory between events (least recently used ones are dropped). */
    static final int KEPT_ACCOUNTS = 4096;
    private static final WriteBackStore.Codec<AccountFeatures> CODEC = new WriteBackStore.Codec<>() {
        @Override
        public byte[] encode(AccountFeatures value) {
            return AccountFeaturesCodec.encode(value);
        }

        @Override
        public AccountFeatures decode(byte[] bytes) {
            return AccountFeaturesCodec.decode(bytes);
        }
    };
    /** Due-for-scoring marks kept in memory between commits (at most one per account; more are written back early). */
    static final int KEPT_MARKS = 1 << 16;
    public static final String CLOCK_STORE = "account-features-clock";
    static final String NEXT_BOUNDARY = "period-end-next";
    static final String NEXT_SCAN = "scoring-period-end-next";

    private final boolean scoring;
    private final Duration scoringInterval;
    private final long routineDelayMs;
    private final int batchSize;
    private final boolean periodEnd;
    private ProcessorContext<String, FeatureBatch> context;
    private KeyValueStore<String, AccountFeatures> store;
    private KeyValueStore<String, Long> changedStore;
    private KeyValueStore<String, Long> clock;
    /** Account -&gt; the instant it is due for scoring, and the same pairs in due order. */
    private final Map<String, Long> due = new HashMap<>();
    private final TreeSet<Due> dueOrder = new TreeSet<>(Comparator.comparingLong(Due::at).thenComparing(Due::account));
    private long nextBoundary = Long.MIN_VALUE;
    /** The period end at which every account under contract is scored; MAX_VALUE until the first record. */
    private long nextScan = Long.MAX_VALUE;
    /** The billing period of the last routine change, [start, end), so most records need no calendar arithmetic. */
    private long routinePeriodStart = Long.MAX_VALUE;
    private long routinePeriodEnd = Long.MIN_VALUE;
    /** What applying a record and a scoring tick take ({@link TimeSpent}: what scoring costs, in production too). */
    private TimeSpent updateTime;
    private TimeSpent tickTime;

    private record Due(long at, String account) {
    }

    /**
     * @param scoring          forward scoring batches of changed accounts (a scorer is configured)
     * @param scoringInterval  stream time between scoring ticks
     * @param routineDelay     how long a routine change may wait to be scored
     * @param batchSize        at most this many snapshots per batch
     * @param periodEnd        forward a period-end batch at every month boundary
     */
    public AccountFeatureProcessor(boolean scoring, Duration scoringInterval, Duration routineDelay, int batchSize,
                                   boolean periodEnd) {
        this.scoring = scoring;
        this.scoringInterval = scoringInterval;
        this.routineDelayMs = routineDelay.toMillis();
        this.batchSize = batchSize;
        this.periodEnd = periodEnd;
    }

    /** The processor with its three stores. */
    public static ProcessorSupplier<String, SpecificRecord, String, FeatureBatch> supplier(
            boolean scoring, Duration scoringInterval, Duration routineDelay, int batchSize, boolean periodEnd) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, FeatureBatch> get() {
                return new AccountFeatureProcessor(scoring, scoringInterval, routineDelay, batchSize, periodEnd);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        WriteBackStore.persistent(STORE, CODEC, KEPT_ACCOUNTS),
                        // most marks are set and removed within one commit: in memory until the commit, which
                        // then writes only what is left (the same bytes as a Long serde store of earlier releases)
                        WriteBackStore.persistent(CHANGED_STORE, Serdes.Long(), KEPT_MARKS),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLOCK_STORE), Serdes.String(), Serdes.Long()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, FeatureBatch> context) {
        this.context = context;
        store = context.getStateStore(STORE);
        changedStore = context.getStateStore(CHANGED_STORE);
        clock = context.getStateStore(CLOCK_STORE);
        Map<String, String> task = Map.of(TimeSpent.TASK_TAG, context.taskId().toString());
        updateTime = TimeSpent.register(context.metrics(), TimeSpent.FEATURES_UPDATE,
                "input records of the feature stage, each applied to its account (with the period-end snapshots it closes)", task);
        tickTime = TimeSpent.register(context.metrics(), TimeSpent.SCORING_TICK,
                "scoring ticks, including the scorer and the nodes its scores are forwarded to", task);
        Long next = clock.get(NEXT_BOUNDARY);
        nextBoundary = next == null ? Long.MIN_VALUE : next;
        Long scan = clock.get(NEXT_SCAN);
        nextScan = scan == null ? Long.MAX_VALUE : scan;
        try (KeyValueIterator<String, Long> all = changedStore.all()) {
            // (a release before the two speeds stored the time of the first change: due at once, as it was then)
            all.forEachRemaining(kv -> {
                due.put(kv.key, kv.value);
                dueOrder.add(new Due(kv.value, kv.key));
            });
        }
        if (scoring) {
            context.schedule(scoringInterval, PunctuationType.STREAM_TIME, streamTime -> {
                long start = TimeSpent.start();
                try {
                    tick(streamTime);
                } finally {
                    tickTime.since(start);
                }
            });
        }
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long start = TimeSpent.start();
        try {
            apply(record);
        } finally {
            updateTime.since(start);
        }
    }

    private void apply(Record<String, SpecificRecord> record) {
        String account = record.key();
        if (account == null || account.isBlank() || record.value() == null) {
            return;
        }
        if (periodEnd) {
            closeMonthsBefore(record.timestamp());
        }
        AccountFeatures features = store.get(account);
        if (features == null) {
            features = new AccountFeatures();
        }
        SpecificRecord value = record.value();
        boolean prompt = scoring && prompt(value, features);   // before the record is applied: a downgrade is seen
        if (value instanceof Contract c) {
            features.add(c);
        } else if (value instanceof InvoiceLine l) {
            features.add(l);
        } else if (value instanceof UsageRecord u) {
            features.add(u);
        } else if (value instanceof Payment p) {
            features.add(p);
        } else if (value instanceof ProvisioningChange p) {
            features.add(p);
        } else if (value instanceof Alert a) {
            features.add(a);
        } else {
            throw new IllegalArgumentException("not an account feature input: " + value.getSchema().getName());
        }
        store.put(account, features);     // encoded once per commit by the write-back store, not per event
        if (scoring) {
            long t = record.timestamp();
            if (nextScan == Long.MAX_VALUE) {
                nextScan = BillingPeriod.of(Instant.ofEpochMilli(t)).end().toEpochMilli();
                clock.put(NEXT_SCAN, nextScan);
            }
            if (prompt) {
                dueForScoring(account, t);
            } else {
                long at = routineDue(t);
                if (at < nextScan) {      // otherwise the period-end scan scores it: no mark
                    dueForScoring(account, at);
                }
            }
        }
    }

    /**
     * A change that can move an account's risk at once (see the class comment), judged against the account's
     * features before it is applied; the others are routine.
     */
    static boolean prompt(SpecificRecord value, AccountFeatures before) {
        return value instanceof Contract || value instanceof Alert
                || value instanceof Payment p && p.getStatus() == PaymentStatus.FAILED
                || value instanceof ProvisioningChange c && before.lowersLevel(c);
    }

    /** When a routine change at {@code t} is due: after the routine delay, but no later than the next period end. */
    private long routineDue(long t) {
        if (t < routinePeriodStart || t >= routinePeriodEnd) {
            BillingPeriod period = BillingPeriod.of(Instant.ofEpochMilli(t));
            routinePeriodStart = period.start().toEpochMilli();
            routinePeriodEnd = period.end().toEpochMilli();
        }
        return Math.min(t + routineDelayMs, routinePeriodEnd);
    }

    private void dueForScoring(String account, long at) {
        Long current = due.get(account);
        if (current != null && current <= at) {
            return;
        }
        if (current != null) {
            dueOrder.remove(new Due(current, account));
        }
        due.put(account, at);
        dueOrder.add(new Due(at, account));
        changedStore.put(account, at);
    }

    private void closeMonthsBefore(long t) {
        if (nextBoundary == Long.MIN_VALUE) {
            nextBoundary = BillingPeriod.of(Instant.ofEpochMilli(t)).end().toEpochMilli();
            clock.put(NEXT_BOUNDARY, nextBoundary);
            return;
        }
        while (t >= nextBoundary) {
            Instant boundary = Instant.ofEpochMilli(nextBoundary);
            List<FeatureSnapshot> snapshots = new ArrayList<>();
            try (KeyValueIterator<String, AccountFeatures> all = store.all()) {
                while (all.hasNext()) {
                    var kv = all.next();
                    AccountFeatures features = kv.value;
                    if (features.activeAt(boundary)) {
                        snapshots.add(features.snapshot(kv.key, boundary));
                    }
                }
            }
            forwardBatches(boundary, true, snapshots);
            nextBoundary = BillingPeriod.of(boundary).end().toEpochMilli();
            clock.put(NEXT_BOUNDARY, nextBoundary);
        }
    }

    private void tick(long streamTime) {
        boolean scan = streamTime >= nextScan;
        if (!scan && (dueOrder.isEmpty() || dueOrder.first().at() > streamTime)) {
            return;
        }
        Instant asOf = Instant.ofEpochMilli(streamTime);
        // Only accounts under contract are scored: no contract (usage ahead of its contract, an unknown account)
        // means no currency and no revenue to be at risk; an ended contract has already churned. A version signed
        // at or before the tick counts; it sets the currency.
        Instant underContractAt = asOf.plusMillis(1);
        TreeMap<String, FeatureSnapshot> scored = new TreeMap<>();
        if (scan) {
            try (KeyValueIterator<String, AccountFeatures> all = store.all()) {
                while (all.hasNext()) {
                    var kv = all.next();
                    if (kv.value.activeAt(underContractAt)) {
                        scored.put(kv.key, kv.value.snapshot(kv.key, asOf));
                        undue(kv.key);   // the snapshot holds every change so far, including ones due later
                    }
                }
            }
            nextScan = BillingPeriod.of(asOf).end().toEpochMilli();
            clock.put(NEXT_SCAN, nextScan);
        }
        while (!dueOrder.isEmpty() && dueOrder.first().at() <= streamTime) {
            String account = dueOrder.pollFirst().account();
            due.remove(account);
            changedStore.delete(account);
            AccountFeatures features = store.get(account);
            if (features != null && features.activeAt(underContractAt)) {
                scored.put(account, features.snapshot(account, asOf));
            }
        }
        forwardBatches(asOf, false, new ArrayList<>(scored.values()));
    }

    private void undue(String account) {
        Long at = due.remove(account);
        if (at != null) {
            dueOrder.remove(new Due(at, account));
            changedStore.delete(account);
        }
    }

    private void forwardBatches(Instant asOf, boolean isPeriodEnd, List<FeatureSnapshot> snapshots) {
        for (int from = 0; from < snapshots.size(); from += batchSize) {
            List<FeatureSnapshot> part = snapshots.subList(from, Math.min(snapshots.size(), from + batchSize));
            context.forward(new Record<>(asOf.toString(), new FeatureBatch(asOf, isPeriodEnd, part), asOf.toEpochMilli()));
        }
    }
}
