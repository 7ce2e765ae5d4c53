package io.leakwatch.stream;

import io.leakwatch.account.AccountEngine;
import io.leakwatch.account.AccountEvent;
import io.leakwatch.account.AccountState;
import io.leakwatch.account.AccountStateCodec;
import io.leakwatch.account.EngineSink;
import io.leakwatch.account.EventPosition;
import io.leakwatch.account.Standing;
import io.leakwatch.alerts.AlertContent;
import io.leakwatch.alerts.AlertLifecycle;
import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.detect.unattributed.TaskPartial;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.Contract;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.features.FeatureSnapshotJson;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.ingest.RejectReason;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.metrics.TimeSpent;
import io.leakwatch.state.TimeIndex;
import io.leakwatch.state.WriteBackStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link AccountEngine} for every account of its task, so that the alerts that stand are the event-time
 * replay's whatever order the records arrive in.
 *
 * <pre>
 * input  : accepted events of every input topic, keyed by account ("" or any key for lines without an account)
 * output : {@link AccountOutput}: alert records (raised / revised / withdrawn), risk scores, period-end snapshots,
 *          period totals for the unattributed summary, refused events
 * record at position p of account a (p = record timestamp, rank, identity):
 *   the same position and bytes already in a's event log           -> a redelivery: nothing
 *   p after everything a's state has applied or judged              -> log it, apply it (the in-order path)
 *   otherwise (a late record: an earlier event, or one judged past) -> log it, mark a for replay from p's time
 * stream time S passes a judgement (p &lt; (S, first event rank))     -> advance that account to S
 * an alert feedback (a person's decision, not an account event) -> {@link AlertLifecycle#feedback}: the alert's next
 *   record, nothing for a repeat, the dead-letter topic when the account has no such alert; never logged, replayed or
 *   judged, and its time moves no judgement ({@link #streamTime})
 * wall clock, every replay interval: each marked account is replayed: its state at the last month checkpoint at or
 *   before the earliest late record, then every logged event from there in position order, then advanced to S; what
 *   the replay's findings differ from the account's findings before is emitted: raised, revised or withdrawn, with
 *   the late record named in the reason
 * </pre>
 * Stores: {@value #STATE} (account -&gt; state, decoded objects kept between records, written back at commits),
 * {@value #EVENT_LOG} (every accepted event of the horizon, keyed by account and position), {@value #CHECKPOINTS}
 * (the state at each month boundary crossed), {@value #DEADLINES} (account -&gt; next judgement, also held in memory
 * in order), {@value #REPLAYS} (accounts marked for replay, with the earliest late record), {@value #TOLD} (alert id
 * -&gt; the last record emitted for it) with {@value #TOLD_EXPIRY}, and {@value #CLOCK} (this task's watermark of
 * closed periods and the horizon trimmed). Once a month of stream time, checkpoints and events older than the horizon
 * are deleted, keeping for each account the last checkpoint before it.
 */
public final class AccountProcessor implements Processor<String, SpecificRecord, String, AccountOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(AccountProcessor.class);
    public static final String STATE = "account-state";
    public static final String EVENT_LOG = "account-events";
    public static final String CHECKPOINTS = "account-checkpoints";
    public static final String DEADLINES = "account-deadlines";
    public static final String REPLAYS = "account-replays";
    public static final String TOLD = "alerts-told";
    public static final String TOLD_EXPIRY = "alerts-told-expiry";
    public static final String CLOCK = "account-clock";
    public static final String QUARANTINE = "account-quarantine";
    static final int REPLAY_ATTEMPTS = 3;
    static final String NODE = "account-processor";
    static final int KEPT_STATES = 4096;
    private static final String CLOSED_THROUGH = "closed-through";
    private static final String TRIMMED_TO = "trimmed-to";
    private static final String TOLD_PURGED_TO = "told-purged-to";
    private static final String FEEDBACK_THROUGH = "feedback-through";
    private static final String EVENT_TIME = "event-time";
    private static final long DAY_MS = 86_400_000L;
    /** All partials share one key: the summary is a single task. */
    static final String PARTIAL_KEY = "unattributed";

    /**
     * What the processor needs besides the engine.
     *
     * @param inputCodecs each input event type's codec on its input topic: refused events go to the dead-letter
     *                    topic in the bytes that topic would hold
     * @param closeAtEnd  each wall-clock punctuation also closes what stream time has reached ({@link #closeOpen});
     *                    for a replay whose wall clock moves once, after its last record
     */
    public record Settings(Map<EventType<?>, EventCodec<?>> inputCodecs, Duration horizon, Duration closeGrace,
                           Duration alertRetention, Duration replayInterval, boolean closeAtEnd) {
    }

    private final AccountEngine engine;
    private final Settings settings;
    private final long horizonMs;
    private final long closeGraceMs;
    private final EventBytes eventBytes;
    private ProcessorContext<String, AccountOutput> context;
    private KeyValueStore<String, AccountState> states;
    private KeyValueStore<Bytes, byte[]> log;
    private KeyValueStore<Bytes, byte[]> checkpoints;
    private KeyValueStore<String, String> deadlines;
    private KeyValueStore<String, String> replays;
    private KeyValueStore<String, Alert> told;
    private TimeIndex toldExpiry;
    private KeyValueStore<String, Long> clock;
    private KeyValueStore<String, String> quarantine;
    /** Accounts set aside after a failure no retry could get past: account -> what failed. */
    private final TreeMap<String, String> quarantined = new TreeMap<>();
    /** The stream time this task's accounts have been judged to (the last fireDue or replay); MIN before any. */
    private long judgedThrough = Long.MIN_VALUE;
    private AlertLifecycle lifecycle;
    private final TreeSet<Due> due = new TreeSet<>();
    private final Map<String, Due> dueByAccount = new HashMap<>();
    private final TreeMap<String, Marker> marked = new TreeMap<>();
    private final TreeMap<String, PeriodTotals> pendingTotals = new TreeMap<>();
    private BillingPeriod closedThrough;
    private long trimmedTo = Long.MIN_VALUE;
    private long toldPurgedTo = Long.MIN_VALUE;
    /** The latest feedback record's timestamp; MIN before any. */
    private long feedbackThrough = Long.MIN_VALUE;
    /** The task's stream time before the first feedback, then the latest input event's time ({@link #streamTime}). */
    private long eventTime = Long.MIN_VALUE;
    private Sensor refusedFeedback;
    private Sensor lateRecords;
    private TimeSpent eventsTime;
    private TimeSpent judgementsTime;
    private java.util.concurrent.atomic.AtomicInteger awaitingReplay;
    private Sensor redeliveries;
    private Sensor replaysRun;
    private Sensor setAsideRecords;
    private Sensor quarantines;
    private Sensor heldForQuarantined;
    private java.util.concurrent.atomic.AtomicInteger quarantinedGauge;
    private final Map<String, Sensor> refusedLate = new HashMap<>();

    private record Due(EventPosition position, String account) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = position.compareTo(o.position);
            return c != 0 ? c : account.compareTo(o.account);
        }
    }

    /** An account marked for replay: from the earliest late record's time; the records that made it late. */
    private record Marker(long from, long count, String first) {
        String encode() {
            return from + "\t" + count + "\t" + first;
        }

        static Marker decode(String s) {
            String[] parts = s.split("\t", 3);
            return new Marker(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
        }

        String trigger() {
            return count == 1 ? first : count + " records that reached us late, the earliest " + first + ",";
        }
    }

    public AccountProcessor(AccountEngine engine, Settings settings) {
        this.engine = engine;
        this.settings = settings;
        this.horizonMs = settings.horizon().toMillis();
        this.closeGraceMs = settings.closeGrace().toMillis();
        this.eventBytes = new EventBytes();
    }

    /** The processor with all its stores. */
    public static ProcessorSupplier<String, SpecificRecord, String, AccountOutput> supplier(
            AccountEngine engine, Settings settings, org.apache.kafka.common.serialization.Serde<Alert> alertSerde) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, AccountOutput> get() {
                return new AccountProcessor(engine, settings);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return new LinkedHashSet<>(List.of(
                        WriteBackStore.persistent(STATE, new WriteBackStore.Codec<AccountState>() {
                            @Override
                            public byte[] encode(AccountState value) {
                                return AccountStateCodec.encode(value);
                            }

                            @Override
                            public AccountState decode(byte[] bytes) {
                                return AccountStateCodec.decode(bytes);
                            }
                        }, KEPT_STATES),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENT_LOG), Serdes.Bytes(),
                                Serdes.ByteArray()),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CHECKPOINTS), Serdes.Bytes(),
                                Serdes.ByteArray()),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES), Serdes.String(),
                                Serdes.String()).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REPLAYS), Serdes.String(),
                                Serdes.String()),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TOLD), Serdes.String(), alertSerde)
                                .withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TOLD_EXPIRY), Serdes.String(),
                                Serdes.String()).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLOCK), Serdes.String(), Serdes.Long()),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUARANTINE), Serdes.String(),
                                Serdes.String())));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, AccountOutput> context) {
        this.context = context;
        states = context.getStateStore(STATE);
        log = context.getStateStore(EVENT_LOG);
        checkpoints = context.getStateStore(CHECKPOINTS);
        deadlines = context.getStateStore(DEADLINES);
        replays = context.getStateStore(REPLAYS);
        told = context.getStateStore(TOLD);
        toldExpiry = new TimeIndex(context.getStateStore(TOLD_EXPIRY));
        clock = context.getStateStore(CLOCK);
        quarantine = context.getStateStore(QUARANTINE);
        lifecycle = new AlertLifecycle(new ToldStore(told, toldExpiry));
        try (KeyValueIterator<String, String> all = deadlines.all()) {
            all.forEachRemaining(kv -> {
                Due d = new Due(decodePosition(kv.value), kv.key);
                due.add(d);
                dueByAccount.put(kv.key, d);
            });
        }
        try (KeyValueIterator<String, String> all = replays.all()) {
            all.forEachRemaining(kv -> marked.put(kv.key, Marker.decode(kv.value)));
        }
        try (KeyValueIterator<String, String> all = quarantine.all()) {
            // a restart (with a fix, perhaps) tries each account set aside once more: a replay of its whole history
            all.forEachRemaining(kv -> {
                quarantined.put(kv.key, kv.value);
                marked.putIfAbsent(kv.key, new Marker(Long.MIN_VALUE, 1,
                        "the records held while the account was set aside after an error"));
            });
        }
        Long closed = clock.get(CLOSED_THROUGH);
        closedThrough = closed == null ? null : new BillingPeriod(java.time.YearMonth.of((int) (closed / 12), (int) (closed % 12) + 1));
        Long trimmed = clock.get(TRIMMED_TO);
        trimmedTo = trimmed == null ? Long.MIN_VALUE : trimmed;
        Long purged = clock.get(TOLD_PURGED_TO);
        toldPurgedTo = purged == null ? Long.MIN_VALUE : purged;
        Long feedbackAt = clock.get(FEEDBACK_THROUGH);
        feedbackThrough = feedbackAt == null ? Long.MIN_VALUE : feedbackAt;
        Long events = clock.get(EVENT_TIME);
        eventTime = events == null ? Long.MIN_VALUE : events;
        refusedFeedback = context.metrics().addRateTotalSensor("leakwatch-dead-letter", EventType.ALERT_FEEDBACK.name(),
                RejectReason.FEEDBACK_REFUSED.code(), Sensor.RecordingLevel.INFO);
        lateRecords = sensor("late-records");
        Map<String, String> task = Map.of(TimeSpent.TASK_TAG, context.taskId().toString());
        eventsTime = TimeSpent.register(context.metrics(), TimeSpent.ACCOUNT_EVENTS,
                "input records through the account processor, each logged and applied or marked for a replay", task);
        judgementsTime = TimeSpent.register(context.metrics(), TimeSpent.ACCOUNT_JUDGEMENTS,
                "judgements stream time has passed, and replays of accounts that received late records", task);
        awaitingReplay = registerGauge(context, AWAITING_REPLAY,
                "Accounts that received a record out of order and wait for their replay");
        awaitingReplay.set(marked.size());
        redeliveries = sensor("redeliveries");
        replaysRun = sensor("replays");
        setAsideRecords = context.metrics().addRateTotalSensor("leakwatch-dead-letter", NODE,
                RejectReason.PROCESSING_ERROR.code(), Sensor.RecordingLevel.INFO);
        quarantines = sensor("quarantines");
        heldForQuarantined = sensor("held-for-quarantined");
        quarantinedGauge = registerGauge(context, QUARANTINED,
                "Accounts set aside after an error: their records are kept, their alerts stay as they are until a restart replays them");
        quarantinedGauge.set(quarantined.size());
        context.schedule(settings.replayInterval(), PunctuationType.WALL_CLOCK_TIME, now -> onWallClock());
    }

    /**
     * Metric name of the accounts marked for replay and not replayed yet (group {@value #METRICS_GROUP}): 0 on every
     * task means every record processed so far is reflected in the alerts.
     */
    public static final String AWAITING_REPLAY = "accounts-awaiting-replay";
    /** Metric name of the accounts set aside after an error (group {@value #METRICS_GROUP}): should be 0. */
    public static final String QUARANTINED = "accounts-quarantined";
    public static final String METRICS_GROUP = "leakwatch-accounts";

    /** A gauge of a count of this task's accounts (one per task; a re-initialised task takes the one it had). */
    private static java.util.concurrent.atomic.AtomicInteger registerGauge(
            ProcessorContext<String, AccountOutput> context, String metric, String description) {
        Map<String, String> tags = Map.of("task-id", context.taskId().toString());
        org.apache.kafka.common.MetricName name = new org.apache.kafka.common.MetricName(metric, METRICS_GROUP,
                description, tags);
        java.util.concurrent.atomic.AtomicInteger value = new java.util.concurrent.atomic.AtomicInteger();
        if (context.metrics().metrics().get(name) instanceof org.apache.kafka.common.metrics.KafkaMetric existing
                && existing.measurable() instanceof Gauge gauge) {
            return gauge.value;
        }
        context.metrics().addSensor(METRICS_GROUP + "." + metric + "." + tags, Sensor.RecordingLevel.INFO)
                .add(name, new Gauge(value));
        return value;
    }

    /** A stat that reads a live count. */
    private record Gauge(java.util.concurrent.atomic.AtomicInteger value) implements org.apache.kafka.common.metrics.MeasurableStat {
        @Override
        public double measure(org.apache.kafka.common.metrics.MetricConfig config, long now) {
            return value.get();
        }

        @Override
        public void record(org.apache.kafka.common.metrics.MetricConfig config, double v, long timeMs) {
        }
    }

    private Sensor sensor(String name) {
        return context.metrics().addRateTotalSensor("leakwatch-accounts", "account-processor", name,
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof AlertFeedback feedback) {
            applyFeedback(record, feedback);
            return;
        }
        eventTime = feedbackThrough == Long.MIN_VALUE ? context.currentStreamTimeMs()
                : Math.max(eventTime, record.timestamp());
        if (feedbackThrough != Long.MIN_VALUE && eventTime <= feedbackThrough) {
            clock.put(EVENT_TIME, eventTime);
        }
        long start = TimeSpent.start();
        try {
            apply(record);
        } catch (RuntimeException e) {
            // not the engine (see apply): the account's stored state or log could not be read or written
            String account = record.key() == null ? "" : record.key();
            setAside(record, "the account processor could not process it for account " + account, e);
            quarantine(account, e);
        } finally {
            eventsTime.since(start);
        }
        long judging = TimeSpent.start();
        afterRecord(streamTime());
        judgementsTime.since(judging);
    }

    /**
     * The stream time the account judgements run on: the task's stream time, except while a feedback record is the
     * latest thing the task has read. A person's decision is timestamped when it is given, usually long after the
     * business time of the events being replayed; it must not close periods, fire deadlines or trim the history of
     * every account of the task. Then it is the latest input event this processor has read (events rejected before
     * it do not count there, as they do in the task's stream time).
     */
    private long streamTime() {
        long task = context.currentStreamTimeMs();
        return task > feedbackThrough ? task : eventTime == Long.MIN_VALUE ? -1 : eventTime;
    }

    /**
     * A person's decision about an alert ({@link AlertLifecycle#feedback}): the alert's next record, nothing for a
     * repeat, or the dead-letter topic ({@code feedback-refused}) when no alert of the account has that id. Not an
     * account event: it is neither logged nor replayed, and judges nothing.
     */
    private void applyFeedback(Record<String, SpecificRecord> record, AlertFeedback feedback) {
        if (record.timestamp() > feedbackThrough) {
            feedbackThrough = record.timestamp();
            clock.put(FEEDBACK_THROUGH, feedbackThrough);
            clock.put(EVENT_TIME, eventTime);
        }
        AlertLifecycle.FeedbackOutcome outcome;
        try {
            outcome = lifecycle.feedback(feedback);
        } catch (RuntimeException e) {
            setAside(record, "the alert lifecycle could not apply feedback " + feedback.getFeedbackId(), e);
            return;
        }
        if (outcome.refused()) {
            refusedFeedback.record();
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            DeadLetterHeaders.stamp(headers, RejectReason.FEEDBACK_REFUSED, outcome.refusal(), context.recordMetadata(),
                    record.timestamp());
            DeadLetterHeaders.put(headers, DeadLetterHeaders.NODE, NODE);
            context.forward(new Record<String, AccountOutput>(record.key(),
                    new AccountOutput.Refused(wireEncode(record.value())), record.timestamp(), headers));
            return;
        }
        emit(record.key(), outcome.next());
    }

    private void apply(Record<String, SpecificRecord> record) {
        String account = record.key() == null ? "" : record.key();
        SpecificRecord value = record.value();
        long t = record.timestamp();
        AccountEvent event = AccountEvent.of(t, value);
        Bytes key = AccountKeys.event(account, event.position());
        byte[] bytes = encodeForLog(value);
        AccountState state = states.get(account);
        if (state != null && state.replayableFrom() != Long.MIN_VALUE && t < state.replayableFrom()
                && !(value instanceof Contract)) {
            refuse(record, "event time " + Instant.ofEpochMilli(t) + " is older than the history Leakwatch still keeps"
                    + " for account " + account + " (from " + Instant.ofEpochMilli(state.replayableFrom())
                    + "): the horizon " + settings.horizon() + " has passed");
            return;
        }
        if (quarantined.containsKey(account)) {
            log.put(key, bytes);        // kept for the replay after a restart
            heldForQuarantined.record();
            return;
        }
        Marker marker = marked.get(account);
        if (marker != null || state != null && !state.position().isBefore(event.position())) {
            byte[] held = log.get(key);
            if (held != null && Arrays.equals(held, bytes)) {
                redeliveries.record();
                return;
            }
            log.put(key, bytes);
            lateRecords.record();
            mark(account, event, marker);
        } else {
            if (state == null) {
                state = new AccountState(account);
            }
            log.put(key, bytes);
            LiveSink sink = new LiveSink(state, event);
            try {
                engine.apply(state, event, sink);
            } catch (RuntimeException e) {
                log.delete(key);
                setAside(record, "the account engine failed on it for account " + account, e);
                rebuild(account, state.replayableFrom());
                return;
            }
            sink.deliver();
            states.put(account, state);
            reindex(account, state);
        }
    }

    /**
     * After the engine failed on a record in order, the account's state object is half changed: it is rebuilt from
     * the last checkpoint and the logged events (the failed record is no longer among them) and judged to where the
     * account's judgements had got ({@link #judgedThrough}). Its outputs were all sent when they happened, so the
     * rebuild says nothing: the account carries on as if the record had never come. When even that fails, the
     * account is set aside ({@link #quarantine}).
     */
    private void rebuild(String account, long replayableFrom) {
        try {
            KeyValue<Bytes, byte[]> checkpoint = checkpointAtOrBefore(account, Long.MAX_VALUE);
            AccountState state = checkpoint == null ? new AccountState(account) : AccountStateCodec.decode(checkpoint.value);
            state.replayableFrom(replayableFrom);
            long from = checkpoint == null ? Long.MIN_VALUE : AccountKeys.time(checkpoint.key);
            boolean any = checkpoint != null;
            try (KeyValueIterator<Bytes, byte[]> events = log.range(AccountKeys.eventsFrom(account, from), AccountKeys.end(account))) {
                while (events.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = events.next();
                    engine.apply(state, AccountEvent.of(AccountKeys.time(kv.key), decodeFromLog(kv.value)), EngineSink.NONE);
                    any = true;
                }
            }
            if (!any) {
                states.delete(account);
                unschedule(account);
                return;
            }
            if (judgedThrough != Long.MIN_VALUE) {
                engine.advanceTo(state, judgedThrough, EngineSink.NONE);
            }
            states.put(account, state);
            reindex(account, state);
        } catch (RuntimeException e) {
            quarantine(account, e);
        }
    }

    /** Judgements stream time has passed, the unattributed watermark, and the monthly housekeeping. */
    private void afterRecord(long streamTime) {
        if (streamTime < 0) {
            return;     // no record yet: stream time is unknown
        }
        fireDue(streamTime);
        BillingPeriod latest = latestClosedBefore(streamTime);
        if (latest != null && (closedThrough == null || latest.compareTo(closedThrough) > 0)) {
            closedThrough = latest;
            clock.put(CLOSED_THROUGH, (long) latest.month().getYear() * 12 + latest.month().getMonthValue() - 1);
            flushTotals(latest);
        } else {
            flushTotals(null);
        }
        housekeeping(streamTime);
    }

    private void fireDue(long streamTime) {
        EventPosition limit = new EventPosition(streamTime, EventPosition.FIRST_EVENT_RANK, "");
        while (!due.isEmpty() && due.first().position().isBefore(limit)) {
            Due d = due.pollFirst();
            dueByAccount.remove(d.account());
            deadlines.delete(d.account());
            AccountState state = states.get(d.account());
            if (state == null || marked.containsKey(d.account())) {
                continue;
            }
            LiveSink sink = new LiveSink(state, null);
            try {
                engine.advanceTo(state, streamTime, sink);
            } catch (RuntimeException e) {
                // a judgement, not a record, failed: it would fail again at every record, so the account is set aside
                LOG.error("account {}: a judgement due at {} failed", d.account(), Instant.ofEpochMilli(d.position().time()), e);
                rebuild(d.account(), state.replayableFrom());
                quarantine(d.account(), e);
                continue;
            }
            sink.deliver();
            states.put(d.account(), state);
            reindex(d.account(), state);
        }
        judgedThrough = Math.max(judgedThrough, streamTime);
    }

    private void unschedule(String account) {
        Due d = dueByAccount.remove(account);
        if (d != null) {
            due.remove(d);
            deadlines.delete(account);
        }
    }

    private void reindex(String account, AccountState state) {
        EventPosition next = engine.nextJudgement(state);
        Due held = dueByAccount.get(account);
        if (held != null && next != null && held.position().equals(next)) {
            return;
        }
        if (held != null) {
            due.remove(held);
            dueByAccount.remove(account);
        }
        if (next == null) {
            if (held != null) {
                deadlines.delete(account);
            }
            return;
        }
        Due d = new Due(next, account);
        due.add(d);
        dueByAccount.put(account, d);
        deadlines.put(account, next.time() + "," + next.rank());
    }

    private static EventPosition decodePosition(String s) {
        int comma = s.indexOf(',');
        return EventPosition.judgement(Long.parseLong(s.substring(0, comma)), Integer.parseInt(s.substring(comma + 1)));
    }

    private void mark(String account, AccountEvent event, Marker held) {
        Marker next = held == null ? new Marker(event.time(), 1, event.describe())
                : new Marker(Math.min(held.from(), event.time()), held.count() + 1,
                        event.time() < held.from() ? event.describe() : held.first());
        marked.put(account, next);
        awaitingReplay.set(marked.size());
        replays.put(account, next.encode());
        unschedule(account);
    }

    // ------------------------------------------------------------------------------------------------- replays

    /** The wall-clock punctuation: replays the marked accounts, then, in a replay that asks, closes what is open. */
    private void onWallClock() {
        replayMarked();
        if (settings.closeAtEnd()) {
            long start = TimeSpent.start();
            closeOpen(streamTime());
            judgementsTime.since(start);
        }
    }

    /**
     * Judges, as if every grace had passed, what stream time {@code end} has reached and left open: each account's
     * ended periods and its deadlines due by then ({@link AccountEngine#closeAt}), then the task's watermark of closed
     * periods moves to the last period ended by then, so the summary of UNATTRIBUTED_REVENUE judges it. Accounts in
     * account order, so a replay's output order is its own.
     */
    private void closeOpen(long end) {
        if (end < 0) {
            return;     // no record yet
        }
        for (String account : new TreeSet<>(dueByAccount.keySet())) {
            if (marked.containsKey(account) || quarantined.containsKey(account)) {
                continue;
            }
            AccountState state = states.get(account);
            if (state == null) {
                continue;
            }
            LiveSink sink = new LiveSink(state, null);
            try {
                engine.closeAt(state, end, sink);
            } catch (RuntimeException e) {
                LOG.error("account {}: closing its open judgements at {} failed", account, Instant.ofEpochMilli(end), e);
                quarantine(account, e);
                continue;
            }
            sink.deliver();
            states.put(account, state);
            reindex(account, state);
        }
        BillingPeriod ended = BillingPeriod.of(Instant.ofEpochMilli(end)).previous();
        if (closedThrough == null || ended.compareTo(closedThrough) > 0) {
            closedThrough = ended;
            clock.put(CLOSED_THROUGH, (long) ended.month().getYear() * 12 + ended.month().getMonthValue() - 1);
            flushTotals(ended);
        } else {
            flushTotals(null);
        }
    }

    /** Replays every marked account. */
    private void replayMarked() {
        if (marked.isEmpty()) {
            return;
        }
        long start = TimeSpent.start();
        long streamTime = streamTime();
        for (String account : new ArrayList<>(marked.keySet())) {
            Marker marker = marked.remove(account);
            replays.delete(account);
            replaySafely(account, marker, streamTime);
        }
        awaitingReplay.set(0);
        afterRecord(streamTime);
        judgementsTime.since(start);
    }

    /** A logged event the engine failed on during a replay. */
    private static final class LoggedEventFailed extends RuntimeException {
        final Bytes key;
        final byte[] bytes;

        LoggedEventFailed(Bytes key, byte[] bytes, RuntimeException cause) {
            super(cause);
            this.key = key;
            this.bytes = bytes;
        }
    }

    /**
     * A replay that cannot fail the processor: when the engine fails on a logged event, the event leaves the log for
     * the dead-letter topic and the replay starts again, at most {@value #REPLAY_ATTEMPTS} times; any other failure
     * sets the account aside. A replay writes its checkpoints and state only when it finishes.
     */
    private void replaySafely(String account, Marker marker, long streamTime) {
        for (int attempt = 1; ; attempt++) {
            try {
                replay(account, marker, streamTime);
                if (quarantined.remove(account) != null) {
                    quarantine.delete(account);
                    quarantinedGauge.set(quarantined.size());
                    LOG.info("account {}: replayed after it was set aside; judged again from its history", account);
                }
                return;
            } catch (LoggedEventFailed f) {
                log.delete(f.key);
                setAsideLogged(account, f.key, f.bytes, (RuntimeException) f.getCause());
                if (attempt == REPLAY_ATTEMPTS) {
                    quarantine(account, (RuntimeException) f.getCause());
                    return;
                }
            } catch (RuntimeException e) {
                quarantine(account, e);
                return;
            }
        }
    }

    private void replay(String account, Marker marker, long streamTime) {
        replaysRun.record();
        AccountState before = states.get(account);
        long replayableFrom = before == null ? Long.MIN_VALUE : before.replayableFrom();
        KeyValue<Bytes, byte[]> checkpoint = checkpointAtOrBefore(account, Math.max(marker.from(), replayableFrom));
        AccountState after = checkpoint == null ? new AccountState(account) : AccountStateCodec.decode(checkpoint.value);
        after.replayableFrom(replayableFrom);
        if (checkpoint == null && replayableFrom != Long.MIN_VALUE) {
            LOG.error("account {}: no checkpoint at or before {} although its history was trimmed to {}; replaying from"
                    + " what is kept", account, Instant.ofEpochMilli(marker.from()), Instant.ofEpochMilli(replayableFrom));
        }
        if (checkpoint != null && marker.from() < AccountKeys.time(checkpoint.key)) {
            foldIntoCheckpoint(account, after, AccountKeys.time(checkpoint.key));
        }
        long from = checkpoint == null ? Long.MIN_VALUE : AccountKeys.time(checkpoint.key);
        ReplaySink sink = new ReplaySink(after);
        try (KeyValueIterator<Bytes, byte[]> events = log.range(AccountKeys.eventsFrom(account, from), AccountKeys.end(account))) {
            while (events.hasNext()) {
                KeyValue<Bytes, byte[]> kv = events.next();
                try {
                    engine.apply(after, AccountEvent.of(AccountKeys.time(kv.key), decodeFromLog(kv.value)), sink);
                } catch (RuntimeException e) {
                    throw new LoggedEventFailed(kv.key, kv.value, e);
                }
            }
        }
        engine.advanceTo(after, streamTime, sink);
        String trigger = marker.trigger();
        sink.writeCheckpoints();
        emitDifferences(account, before, after, sink, trigger);
        states.put(account, after);
        reindex(account, after);
    }

    /**
     * Contract versions signed before the oldest history kept for the account (it was trimmed to {@code boundary}):
     * applied to the state at that boundary, as terms known from then on; judgements before it are final. The folded
     * state becomes the checkpoint, and the versions leave the event log.
     */
    private void foldIntoCheckpoint(String account, AccountState state, long boundary) {
        List<Bytes> folded = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> old = log.range(AccountKeys.eventsFrom(account, Long.MIN_VALUE),
                AccountKeys.eventsFrom(account, boundary))) {
            while (old.hasNext()) {
                KeyValue<Bytes, byte[]> kv = old.next();
                if (AccountKeys.time(kv.key) < boundary) {
                    engine.apply(state, AccountEvent.of(AccountKeys.time(kv.key), decodeFromLog(kv.value)), EngineSink.NONE);
                    folded.add(kv.key);
                }
            }
        }
        checkpoints.put(AccountKeys.checkpoint(account, boundary), AccountStateCodec.encode(state));
        folded.forEach(log::delete);
    }

    private KeyValue<Bytes, byte[]> checkpointAtOrBefore(String account, long time) {
        try (KeyValueIterator<Bytes, byte[]> it = checkpoints.reverseRange(AccountKeys.eventsFrom(account, Long.MIN_VALUE),
                AccountKeys.eventsFrom(account, time))) {
            return it.hasNext() ? it.next() : null;
        }
    }

    /** What the replay's findings, totals and published score differ from before, emitted as records. */
    private void emitDifferences(String account, AccountState before, AccountState after, ReplaySink sink, String trigger) {
        Map<String, Standing.Entry> old = before == null ? Map.of() : before.standing().entries();
        Map<String, Standing.Entry> now = after.standing().entries();
        long forgottenBefore = after.position().time() - horizonMs;
        TreeSet<String> ids = new TreeSet<>(old.keySet());
        ids.addAll(now.keySet());
        for (String id : ids) {
            Standing.Entry o = old.get(id);
            Standing.Entry n = now.get(id);
            if (n != null && (o == null || o.hash() != n.hash())) {
                Alert alert = sink.raised.get(id);
                if (alert == null) {
                    Alert held = told.get(id);
                    if (held == null || AlertContent.hash(held) != n.hash()) {
                        LOG.warn("account {}: alert {} stands after a replay but its content is unknown; not re-sent",
                                account, id);
                        continue;
                    }
                    alert = held;
                }
                emit(account, lifecycle.raised(alert, trigger + " reached us after " + judged(n.unit())));
            } else if (n == null && o != null && o.judgedAt() >= forgottenBefore) {
                ReplaySink.Verdict v = sink.verdicts.get(o.unit());
                String now2 = v == null ? "the finding no longer holds" : v.sentence();
                long judgedAt = v == null ? after.position().time() : v.judgedAt();
                emit(account, lifecycle.withdrawn(id, Instant.ofEpochMilli(judgedAt),
                        trigger + " reached us after " + judged(o.unit()) + "; " + now2));
            }
        }
        Map<String, PeriodTotals> oldTotals = before == null ? Map.of() : before.reportedTotals();
        TreeSet<String> keys = new TreeSet<>(oldTotals.keySet());
        keys.addAll(after.reportedTotals().keySet());
        for (String key : keys) {
            PeriodTotals o = oldTotals.get(key);
            PeriodTotals n = after.reportedTotals().get(key);
            if (n == null && o != null && close(o.billingPeriod()) < after.position().time() - horizonMs) {
                continue;
            }
            PeriodTotals delta = difference(key, n, o);
            if (delta != null) {
                addTotals(delta);
            }
        }
        if (sink.published != null && (before == null || !java.util.Objects.equals(before.risk().published(),
                after.risk().published()))) {
            context.forward(new Record<>(account, new AccountOutput.Risk(sink.published),
                    sink.published.getScoredAt().toEpochMilli()));
        }
    }

    private static PeriodTotals difference(String key, PeriodTotals now, PeriodTotals before) {
        PeriodTotals n = now != null ? now : zero(before);
        PeriodTotals o = before != null ? before : zero(now);
        PeriodTotals delta = new PeriodTotals(n.period(), n.currency(),
                n.unattributedAmount().subtract(o.unattributedAmount()), n.unattributedLines() - o.unattributedLines(),
                n.billedAmount().subtract(o.billedAmount()), n.billedLines() - o.billedLines());
        boolean nothing = delta.unattributedAmount().signum() == 0 && delta.unattributedLines() == 0
                && delta.billedAmount().signum() == 0 && delta.billedLines() == 0;
        return nothing ? null : delta;
    }

    private static PeriodTotals zero(PeriodTotals like) {
        return PeriodTotals.empty(like.billingPeriod(), like.currency());
    }

    /** What was judged before the late record came, for reasons: "invoice inv-1 line L1 was checked". */
    private static String judged(String unit) {
        String rest = unit.substring(2);
        return switch (unit.charAt(0)) {
            case 'L' -> "invoice " + rest.substring(0, rest.indexOf('@')).replace("/", " line ") + " was checked";
            case 'P' -> rest + " was closed";
            case 'I' -> "the payments of invoice " + rest.substring(0, rest.lastIndexOf('|')) + " were judged";
            case 'R' -> "the revenue of " + rest + " was judged";
            case 'K' -> "the account was scored on " + Instant.ofEpochMilli(Long.parseLong(rest)).toString().substring(0, 10);
            default -> "it was judged";
        };
    }

    // --------------------------------------------------------------------------------------------------- sinks

    /**
     * The in-order path: every change is emitted as it happens, once the engine has finished with the event or
     * judgement without an error ({@link #deliver}); until then nothing leaves the processor and no store but the
     * account's state object is touched, so that a failure leaves nothing half said.
     */
    private final class LiveSink implements EngineSink {
        private final AccountState state;
        private final AccountEvent event;
        private final List<Runnable> effects = new ArrayList<>(2);

        LiveSink(AccountState state, AccountEvent event) {
            this.state = state;
            this.event = event;
        }

        private String why(String unit) {
            return event == null ? null : event.describe() + " reached us after " + judged(unit);
        }

        void deliver() {
            effects.forEach(Runnable::run);
        }

        @Override
        public void raised(String unit, Alert alert) {
            String why = why(unit);
            effects.add(() -> emit(state.account(), lifecycle.raised(alert, why)));
        }

        @Override
        public void withdrawn(String unit, String alertId, long judgedAt, String now) {
            String why = why(unit);
            effects.add(() -> emit(state.account(), lifecycle.withdrawn(alertId, Instant.ofEpochMilli(judgedAt),
                    why == null ? now : why + "; " + now)));
        }

        @Override
        public void contribution(PeriodTotals delta) {
            effects.add(() -> addTotals(delta));
        }

        @Override
        public void published(AccountRisk risk) {
            effects.add(() -> context.forward(new Record<>(state.account(), new AccountOutput.Risk(risk),
                    risk.getScoredAt().toEpochMilli())));
        }

        @Override
        public void snapshot(FeatureSnapshot snapshot) {
            String json = FeatureSnapshotJson.toJson(snapshot);
            effects.add(() -> context.forward(new Record<>(snapshot.accountId(), new AccountOutput.Snapshot(json),
                    snapshot.asOf().toEpochMilli())));
        }

        @Override
        public void checkpoint(long boundary) {
            byte[] encoded = AccountStateCodec.encode(state);
            effects.add(() -> checkpoints.put(AccountKeys.checkpoint(state.account(), boundary), encoded));
        }
    }

    /** A replay: remembers what it finds; {@link #emitDifferences} reports what changed. */
    private final class ReplaySink implements EngineSink {
        record Verdict(long judgedAt, String sentence) {
        }

        private final AccountState state;
        final Map<String, Alert> raised = new HashMap<>();
        final Map<String, Verdict> verdicts = new HashMap<>();
        private final TreeMap<Long, byte[]> checkpointsMade = new TreeMap<>();
        AccountRisk published;

        ReplaySink(AccountState state) {
            this.state = state;
        }

        @Override
        public void raised(String unit, Alert alert) {
            raised.put(alert.getAlertId(), alert);
        }

        @Override
        public void withdrawn(String unit, String alertId, long judgedAt, String now) {
            raised.remove(alertId);
        }

        @Override
        public void contribution(PeriodTotals delta) {
        }

        @Override
        public void published(AccountRisk risk) {
            published = risk;
        }

        @Override
        public void snapshot(FeatureSnapshot snapshot) {
        }

        @Override
        public void checkpoint(long boundary) {
            checkpointsMade.put(boundary, AccountStateCodec.encode(state));
        }

        /** Writes the checkpoints the replay made: once it has finished without an error. */
        void writeCheckpoints() {
            checkpointsMade.forEach((boundary, bytes) -> checkpoints.put(AccountKeys.checkpoint(state.account(), boundary), bytes));
        }

        @Override
        public boolean explains() {
            return true;
        }

        @Override
        public void verdict(String unit, long judgedAt, String sentence) {
            verdicts.put(unit, new Verdict(judgedAt, sentence));
        }
    }

    private void emit(String account, java.util.Optional<Alert> record) {
        record.ifPresent(alert -> context.forward(new Record<>(account, new AccountOutput.AlertRecord(alert),
                alert.getDetectedAt().toEpochMilli())));
    }

    // ------------------------------------------------------------------------------------- unattributed totals

    private void addTotals(PeriodTotals delta) {
        pendingTotals.merge(delta.key(), delta, PeriodTotals::plus);
    }

    /** Sends the totals collected since the last call, with the watermark when it moved. */
    private void flushTotals(BillingPeriod watermark) {
        if (pendingTotals.isEmpty() && watermark == null) {
            return;
        }
        List<PeriodTotals> totals = new ArrayList<>(pendingTotals.values());
        pendingTotals.clear();
        long timestamp = watermark != null ? close(watermark) : streamTime();
        TaskPartial partial = new TaskPartial(context.taskId().partition(),
                watermark == null ? null : watermark.name(), totals);
        context.forward(new Record<>(PARTIAL_KEY, new AccountOutput.Partial(partial), timestamp));
    }

    /** The latest period closed at or before {@code streamTime}: every account of this task has judged it. */
    private BillingPeriod latestClosedBefore(long streamTime) {
        BillingPeriod candidate = BillingPeriod.of(Instant.ofEpochMilli(streamTime - closeGraceMs));
        return close(candidate) <= streamTime ? candidate : candidate.previous();
    }

    private long close(BillingPeriod period) {
        return period.end().toEpochMilli() + closeGraceMs;
    }

    // ------------------------------------------------------------------------------------------- housekeeping

    /**
     * Once a month of stream time: deletes the checkpoints and logged events the horizon no longer needs (each account
     * keeps its last checkpoint at or before the cutoff and the events after it); once a day, forgets told alerts
     * older than the alert retention.
     */
    private void housekeeping(long streamTime) {
        long cutoff = BillingPeriod.of(Instant.ofEpochMilli(streamTime - horizonMs)).start().toEpochMilli();
        if (cutoff > trimmedTo) {
            try {
                trim(cutoff);
            } catch (RuntimeException e) {
                // kept history costs disk, not answers: the next month's trim deletes what this one left
                LOG.error("trimming the history before {} failed; it is kept until next month's trim",
                        Instant.ofEpochMilli(cutoff), e);
            }
            trimmedTo = cutoff;
            clock.put(TRIMMED_TO, cutoff);
        }
        long purge = Math.floorDiv(streamTime, DAY_MS) * DAY_MS - settings.alertRetention().toMillis();
        if (purge > toldPurgedTo) {
            for (TimeIndex.Entry old : toldExpiry.takeDue(purge)) {
                Alert held = told.get(old.ref());
                if (held != null && held.getDetectedAt().toEpochMilli() < purge) {
                    told.delete(old.ref());
                }
            }
            toldPurgedTo = purge;
            clock.put(TOLD_PURGED_TO, purge);
        }
    }

    private void trim(long cutoff) {
        Map<String, List<Bytes>> older = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> all = checkpoints.all()) {
            while (all.hasNext()) {
                Bytes key = all.next().key;
                if (AccountKeys.time(key) <= cutoff) {
                    older.computeIfAbsent(AccountKeys.account(key), a -> new ArrayList<>()).add(key);
                }
            }
        }
        older.forEach((account, keys) -> {
            keys.sort(Comparator.comparingLong(AccountKeys::time));
            Bytes kept = keys.get(keys.size() - 1);
            for (int i = 0; i < keys.size() - 1; i++) {
                checkpoints.delete(keys.get(i));
            }
            long keptFrom = AccountKeys.time(kept);
            List<Bytes> events = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = log.range(AccountKeys.eventsFrom(account, Long.MIN_VALUE),
                    AccountKeys.eventsFrom(account, keptFrom))) {
                while (it.hasNext()) {
                    Bytes key = it.next().key;
                    if (AccountKeys.time(key) < keptFrom) {
                        events.add(key);
                    }
                }
            }
            events.forEach(log::delete);
            AccountState state = states.get(account);
            if (state != null && state.replayableFrom() < keptFrom) {
                state.replayableFrom(keptFrom);
                states.put(account, state);
            }
        });
    }

    // -------------------------------------------------------------------------------------- refusals, encoding

    /**
     * A usage record or provisioning change whose record time is after the close of the period it belongs to: its
     * period was judged before it happened, as far as event time goes (its producer stamped it late).
     */
    private void refuse(Record<String, SpecificRecord> record, String detail) {
        // the counters the ingest step uses for late records: leakwatch-dead-letter / <event type> / late-total
        refusedLate.computeIfAbsent(EventType.of(record.value()).name(), type -> context.metrics().addRateTotalSensor(
                "leakwatch-dead-letter", type, RejectReason.LATE.code(), Sensor.RecordingLevel.INFO)).record();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.stamp(headers, RejectReason.LATE, detail, context.recordMetadata(), record.timestamp());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.NODE, NODE);
        context.forward(new Record<String, AccountOutput>(record.key(),
                new AccountOutput.Refused(wireEncode(record.value())), record.timestamp(), headers));
    }

    /**
     * A record the processor failed on goes to the dead-letter topic ({@code processing-error}, with the exception)
     * and is counted in {@code leakwatch-dead-letter / account-processor / processing-error-total}.
     */
    private void setAside(Record<String, SpecificRecord> record, String what, RuntimeException e) {
        LOG.error("{}: {}; the record goes to the dead-letter topic", what, describe(record), e);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.stamp(headers, RejectReason.PROCESSING_ERROR, what + ": " + e, context.recordMetadata(),
                record.timestamp());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.NODE, NODE);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.EXCEPTION, e.getClass().getName());
        setAsideRecords.record();
        byte[] value;
        try {
            value = wireEncode(record.value());
        } catch (RuntimeException encoding) {
            value = eventBytes.encode(record.value());
        }
        context.forward(new Record<String, AccountOutput>(record.key(), new AccountOutput.Refused(value),
                record.timestamp(), headers));
    }

    /** A logged event a replay failed on: to the dead-letter topic like {@link #setAside}, from the event log. */
    private void setAsideLogged(String account, Bytes key, byte[] bytes, RuntimeException e) {
        long time = AccountKeys.time(key);
        SpecificRecord value = null;
        try {
            value = decodeFromLog(bytes);
        } catch (RuntimeException decoding) {
            LOG.error("account {}: a logged event of {} does not decode", account, Instant.ofEpochMilli(time), decoding);
        }
        String what = "a replay of account " + account + " failed on it";
        LOG.error("{}: the event of {}; it leaves the account's history for the dead-letter topic", what,
                Instant.ofEpochMilli(time), e);
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.stamp(headers, RejectReason.PROCESSING_ERROR, what + ": " + e, java.util.Optional.empty(), time);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.NODE, NODE);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.EXCEPTION, e.getClass().getName());
        setAsideRecords.record();
        byte[] out = bytes;
        if (value != null) {
            try {
                out = wireEncode(value);
            } catch (RuntimeException encoding) {
                out = bytes;
            }
        }
        context.forward(new Record<String, AccountOutput>(account, new AccountOutput.Refused(out), time, headers));
    }

    /**
     * Sets an account aside after a failure its records cannot be blamed for (a judgement, its stored state): its
     * alerts stay as they were, its records are kept in its log, and it is no longer judged, until the processor
     * restarts and replays it ({@link #init}). Counted in {@code accounts-quarantined} and {@code quarantines-total}.
     */
    private void quarantine(String account, RuntimeException e) {
        if (quarantined.containsKey(account)) {
            return;
        }
        LOG.error("account {} is set aside after an error: its alerts stay as they are and its records are kept;"
                + " a restart replays it", account, e);
        String reason = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        quarantined.put(account, reason);
        quarantine.put(account, reason.length() > DeadLetterHeaders.MAX_DETAIL
                ? reason.substring(0, DeadLetterHeaders.MAX_DETAIL) : reason);
        quarantinedGauge.set(quarantined.size());
        quarantines.record();
        unschedule(account);
        if (marked.remove(account) != null) {
            replays.delete(account);
            awaitingReplay.set(marked.size());
        }
    }

    private static String describe(Record<String, SpecificRecord> record) {
        return "a " + EventType.of(record.value()).name() + " record of " + Instant.ofEpochMilli(record.timestamp());
    }

    @SuppressWarnings("unchecked")
    private byte[] wireEncode(SpecificRecord value) {
        return ((EventCodec<SpecificRecord>) settings.inputCodecs().get(EventType.of(value))).encode(value);
    }


    private byte[] encodeForLog(SpecificRecord value) {
        return eventBytes.encode(value);
    }

    private SpecificRecord decodeFromLog(byte[] bytes) {
        return eventBytes.decode(bytes);
    }
}
