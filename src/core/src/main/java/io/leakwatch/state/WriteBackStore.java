package io.leakwatch.state;

import io.leakwatch.metrics.TimeSpent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store of live objects over a byte store, for state that is read and changed on almost every record
 * (an account's features), or that comes and goes within a commit (an account's due-for-scoring mark).
 * {@code get} returns the decoded object and keeps it; {@code put} only marks it changed. Changed objects are
 * encoded and written to the byte store (and so to its changelog) when Kafka Streams flushes the task's caches,
 * which it does before every commit and before the producer is flushed: the changelog holds the same state at every
 * commit as with a write per record, but a busy key is encoded once per commit instead of once per record.
 * <pre>
 * get(k)    kept object, else null if k was deleted since the last write-back, else decode(inner.get(k)) and keep it
 * put(k, v) keep v, mark k changed                       (no encoding)
 * delete(k) forget k, mark k deleted                     (inner.delete(k) at the next write-back)
 * all / range: the inner store's keys merged with the changed keys not written yet, in the inner store's order
 *           (UTF-8 bytes), deleted keys left out, each key's kept object if there is one (else its bytes decoded);
 *           nothing is written back: a scan costs no encoding and leaves the changelog as it was; while every live
 *           key is kept (a store that started empty and never dropped an object) the scan reads no bytes at all
 * flushCache / commit / approximateNumEntries:  write every changed object back, and every deletion, in key order
 *           (its time is the metric {@code leakwatch-time-spent / write-back-time-ns-total}, tags task-id and store)
 * more than maxKept objects: the least recently used one is written back (if changed) and dropped
 * </pre>
 * A processor's usual step, {@code get(k)}, change the object, {@code put(k, same object)}, costs one hash lookup:
 * each kept object carries its own changed flag (the objects changed since the last write-back are also listed, so
 * the write-back visits only them), and a {@code put} of the key the last {@code get} returned (the same String
 * instance) finds its entry without looking it up again.
 * Objects must not be changed without a {@code put}: a change is written back only when marked. When a task is
 * closed without a commit (a crash, a lost partition) the kept objects are dropped with it; the restored task reads
 * the last committed bytes, as with any store. Relies on Kafka Streams calling {@code flushCache()} on every
 * registered store before a commit ({@code ProcessorStateManager.flushCache}); pinned to the Streams version in the
 * pom and covered by a test that restores the store after a commit.
 */
public final class WriteBackStore<V> extends WrappedStateStore<KeyValueStore<String, byte[]>, String, V>
        implements KeyValueStore<String, V>, CommittedValues<V> {

    /** Encodes and decodes the objects. */
    public interface Codec<V> {
        byte[] encode(V value);

        V decode(byte[] bytes);

        /** The codec of a Kafka serde (called with the store's name as the topic). */
        static <V> Codec<V> of(String storeName, org.apache.kafka.common.serialization.Serde<V> serde) {
            var serializer = serde.serializer();
            var deserializer = serde.deserializer();
            return new Codec<>() {
                @Override
                public byte[] encode(V value) {
                    return serializer.serialize(storeName, value);
                }

                @Override
                public V decode(byte[] bytes) {
                    return deserializer.deserialize(storeName, bytes);
                }
            };
        }
    }

    private final Codec<V> codec;
    /** Entries marked changed since the last write-back, each once; an entry dropped or deleted since is unmarked. */
    private final List<Kept<V>> changed = new ArrayList<>();
    /** Keys deleted since the last write-back (never kept nor changed at the same time). */
    private final Set<String> deleted = new HashSet<>();
    private final LinkedHashMap<String, Kept<V>> kept;
    /** The entry the last {@code get} returned and its key, while the entry is kept; else null. */
    private String lastKey;
    private Kept<V> lastEntry;
    /** Writes to the inner store so far; a scan that sees it move reads a dropped object's bytes again. */
    private long writes;
    /** What each write-back takes ({@link TimeSpent#WRITE_BACK}, tagged with the store); null until init. */
    private TimeSpent writeBackTime;
    /**
     * Whether every live key is kept in memory: the byte store held nothing this store did not write (a new store,
     * nothing restored) and no object has been dropped since. Then a scan is served from the kept objects and reads
     * no bytes. Null until decided: at the first scan or write-back, whichever comes first (both after restoration,
     * since processors are initialised after it); a dropped object decides it false at once.
     */
    private Boolean allKept;

    /** A kept object; {@code changed} until it is written back (or dropped, or deleted). */
    private static final class Kept<V> {
        final String key;
        V value;
        boolean changed;

        Kept(String key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    WriteBackStore(KeyValueStore<String, byte[]> inner, Codec<V> codec, int maxKept) {
        super(inner);
        this.codec = codec;
        this.kept = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept<V>> eldest) {
                if (size() <= maxKept) {
                    return false;
                }
                Kept<V> entry = eldest.getValue();
                if (entry.changed) {
                    entry.changed = false;
                    wrapped().put(entry.key, codec.encode(entry.value));
                    writes++;
                }
                if (entry == lastEntry) {
                    lastEntry = null;
                }
                allKept = false;
                return true;
            }
        };
    }

    /** A store named and built like {@code inner} (caching, logging), holding live objects encoded with {@code codec}. */
    public static <V> StoreBuilder<WriteBackStore<V>> builder(StoreBuilder<KeyValueStore<String, byte[]>> inner,
                                                              Codec<V> codec, int maxKept) {
        return new Builder<>(inner, codec, maxKept);
    }

    /** A persistent (RocksDB, logged) store {@code name}, holding live objects encoded with {@code codec}. */
    public static <V> StoreBuilder<WriteBackStore<V>> persistent(String name, Codec<V> codec, int maxKept) {
        return builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray()),
                codec, maxKept);
    }

    /** {@link #persistent(String, Codec, int)} with the codec of a Kafka serde ({@link Codec#of}). */
    public static <V> StoreBuilder<WriteBackStore<V>> persistent(String name, Serde<V> serde, int maxKept) {
        return persistent(name, Codec.of(name, serde), maxKept);
    }

    /** {@link #allKept}, decided from the byte store when not yet known: before this store has written to it. */
    private boolean allKept() {
        if (allKept == null) {
            try (KeyValueIterator<String, byte[]> stored = wrapped().all()) {
                allKept = !stored.hasNext();
            }
        }
        return allKept;
    }

    @Override
    public V get(String key) {
        Kept<V> entry = kept.get(key);
        if (entry == null) {
            if (!deleted.isEmpty() && deleted.contains(key)) {
                return null;
            }
            byte[] bytes = wrapped().get(key);
            if (bytes == null) {
                return null;
            }
            entry = new Kept<>(key, codec.decode(bytes));
            kept.put(key, entry);
        }
        lastKey = key;
        lastEntry = entry;
        return entry.value;
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        Kept<V> entry = key == lastKey ? lastEntry : null;     // a kept entry is never in deleted
        if (entry == null) {
            entry = kept.get(key);
            if (entry == null) {
                entry = new Kept<>(key, value);
                kept.put(key, entry);
                if (!deleted.isEmpty()) {
                    deleted.remove(key);
                }
            }
        }
        entry.value = value;
        if (!entry.changed) {
            entry.changed = true;
            changed.add(entry);
        }
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public V delete(String key) {
        V before = get(key);
        Kept<V> entry = kept.remove(key);
        if (entry != null) {
            entry.changed = false;
        }
        lastEntry = null;
        deleted.add(key);
        return before;
    }

    /**
     * The value as last written back (what the changelog holds as of the last commit), decoded afresh. Reads only the
     * byte store, never the kept objects, so another thread (an interactive query) may call it while the stream
     * thread works; an object changed since the last commit is seen as it was then.
     */
    @Override
    public V committed(String key) {
        byte[] bytes = wrapped().get(key);
        return bytes == null ? null : codec.decode(bytes);
    }

    /** Every value as last written back, in key order, decoded afresh; from any thread, like {@link #committed}. */
    @Override
    public void forEachCommitted(java.util.function.BiConsumer<String, V> action) {
        try (KeyValueIterator<String, byte[]> all = wrapped().all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                action.accept(kv.key, codec.decode(kv.value));
            }
        }
    }

    private static final Comparator<KeyValue<String, byte[]>> BY_KEY = Comparator.comparing(kv -> kv.key);

    @Override
    public void init(StateStoreContext context, StateStore root) {
        super.init(context, root);
        writeBackTime = TimeSpent.register(context.metrics(), TimeSpent.WRITE_BACK,
                "changed objects of a write-back store encoded and written at a commit",
                Map.of(TimeSpent.TASK_TAG, context.taskId().toString(), TimeSpent.STORE_TAG, name()));
    }

    /** Encodes every changed object into the byte store and deletes every deleted key from it. */
    private void writeBack() {
        if (changed.isEmpty() && deleted.isEmpty()) {
            return;
        }
        long start = TimeSpent.start();
        allKept();                // decided before the first write, while the byte store shows only what was restored
        // one putAll: RocksDB writes it as one batch (a put per key cost more than encoding the value); a null
        // value is a delete there and a tombstone in the changelog, as delete(key) would be. put and delete take a
        // key out of one side when it enters the other, and a key has one marked entry at most: every key appears once.
        List<KeyValue<String, byte[]>> entries = new ArrayList<>(changed.size() + deleted.size());
        for (Kept<V> entry : changed) {
            if (entry.changed) {
                entries.add(KeyValue.pair(entry.key, codec.encode(entry.value)));
            }
        }
        for (String key : deleted) {
            entries.add(KeyValue.pair(key, null));
        }
        if (!entries.isEmpty()) {     // (every listed entry may have been dropped or deleted since)
            entries.sort(BY_KEY);     // a fixed order, so the changelog gets the same records on every replay
            wrapped().putAll(entries);
            writes++;
        }
        for (Kept<V> entry : changed) {
            entry.changed = false;
        }
        changed.clear();
        deleted.clear();
        if (writeBackTime != null) {
            writeBackTime.since(start);
        }
    }

    /**
     * A scan that does not write back: a processor that scans its store once a period (every account at a month's
     * end) while most keys are changed would otherwise encode and write every changed object at each scan as well as
     * at each commit.
     */
    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        Predicate<String> in = key -> (from == null || UTF8_ORDER.compare(key, from) >= 0)
                && (to == null || UTF8_ORDER.compare(key, to) <= 0);
        return allKept() ? new KeptScan(keys(kept.keySet(), in)) : new MergedScan(wrapped().range(from, to), keys(changedKeys(), in));
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return allKept() ? new KeptScan(keys(kept.keySet(), key -> true)) : new MergedScan(wrapped().all(), keys(changedKeys(), key -> true));
    }

    @Override
    public long approximateNumEntries() {
        writeBack();
        return wrapped().approximateNumEntries();
    }

    @Override
    public void flushCache() {
        writeBack();
        super.flushCache();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        writeBack();
        wrapped().flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeBack();
        super.commit(changelogOffsets);
    }

    @Override
    public void clearCache() {
        allKept = false;       // the byte store holds the last committed objects, and nothing is kept
        forgetKept();
        super.clearCache();
    }

    @Override
    public void close() {
        forgetKept();
        super.close();
    }

    private void forgetKept() {
        kept.clear();
        changed.clear();
        deleted.clear();
        lastEntry = null;
    }

    /**
     * The order of the inner store's keys: RocksDB compares the serialized keys byte by byte, and a String key is
     * serialized as UTF-8, whose byte order is the order of code points (which differs from {@link String#compareTo}
     * for characters outside the Basic Multilingual Plane).
     */
    static final Comparator<String> UTF8_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /** The keys changed since the last write-back (each once: a key has one marked entry at most). */
    private List<String> changedKeys() {
        List<String> keys = new ArrayList<>(changed.size());
        for (Kept<V> entry : changed) {
            if (entry.changed) {
                keys.add(entry.key);
            }
        }
        return keys;
    }

    /** The keys of {@code from} that {@code in} accepts, in the inner store's order (a copy: a scan may change the store). */
    private static List<String> keys(Collection<String> from, Predicate<String> in) {
        List<String> keys = new ArrayList<>();
        for (String key : from) {
            if (in.test(key)) {
                keys.add(key);
            }
        }
        keys.sort(UTF8_ORDER);
        return keys;
    }

    /**
     * The inner store's entries merged with the changed keys not written back yet ({@code pending}). A key in both
     * appears once; a key deleted since the last write-back (or during the scan) is left out; a key's kept object
     * wins over its stored bytes, which are decoded (and not kept) otherwise.
     */
    private abstract class Scan implements KeyValueIterator<String, V> {
        protected KeyValue<String, V> ahead;

        /** The next entry to return, computed once; null at the end. */
        protected abstract KeyValue<String, V> ahead();

        @Override
        public boolean hasNext() {
            return ahead() != null;
        }

        @Override
        public KeyValue<String, V> next() {
            KeyValue<String, V> next = ahead();
            if (next == null) {
                throw new NoSuchElementException();
            }
            ahead = null;
            return next;
        }

        @Override
        public String peekNextKey() {
            KeyValue<String, V> next = ahead();
            if (next == null) {
                throw new NoSuchElementException();
            }
            return next.key;
        }
    }

    /**
     * The kept objects of the keys live at the scan's opening, in key order ({@link #allKept}). A key deleted during
     * the scan is left out; an object changed during it is returned as it is when the scan reaches it.
     */
    private final class KeptScan extends Scan {
        private final List<String> keys;
        private int next;

        KeptScan(List<String> keys) {
            this.keys = keys;
        }

        @Override
        protected KeyValue<String, V> ahead() {
            while (ahead == null && next < keys.size()) {
                String key = keys.get(next++);
                V value = get(key);       // null if deleted since the opening; read back if dropped since
                if (value != null) {
                    ahead = KeyValue.pair(key, value);
                }
            }
            return ahead;
        }

        @Override
        public void close() {
        }
    }

    private final class MergedScan extends Scan {
        private final KeyValueIterator<String, byte[]> stored;
        private final List<String> pending;
        private int nextPending;
        private KeyValue<String, byte[]> nextStored;
        private final long writesAtOpen = writes;

        MergedScan(KeyValueIterator<String, byte[]> stored, List<String> pending) {
            this.stored = stored;
            this.pending = pending;
        }

        @Override
        protected KeyValue<String, V> ahead() {
            while (ahead == null) {
                if (nextStored == null && stored.hasNext()) {
                    nextStored = stored.next();
                }
                String pendingKey = nextPending < pending.size() ? pending.get(nextPending) : null;
                if (nextStored == null && pendingKey == null) {
                    return null;
                }
                int order = nextStored == null ? -1 : pendingKey == null ? 1 : UTF8_ORDER.compare(pendingKey, nextStored.key);
                if (order <= 0) {
                    nextPending++;
                    if (order == 0) {
                        nextStored = null;
                    }
                    V value = get(pendingKey);      // kept unless dropped since (then read back), null if deleted
                    if (value != null) {
                        ahead = KeyValue.pair(pendingKey, value);
                    }
                } else {
                    KeyValue<String, byte[]> entry = nextStored;
                    nextStored = null;
                    if (!deleted.contains(entry.key)) {
                        Kept<V> keptEntry = kept.get(entry.key);
                        V value = keptEntry == null ? null : keptEntry.value;
                        if (value == null) {
                            // the iterator's bytes are as of its opening: an object changed and dropped since then
                            // was written after them
                            value = writes == writesAtOpen ? codec.decode(entry.value) : get(entry.key);
                        }
                        if (value != null) {
                            ahead = KeyValue.pair(entry.key, value);
                        }
                    }
                }
            }
            return ahead;
        }

        @Override
        public void close() {
            stored.close();
        }
    }

    private static final class Builder<V> implements StoreBuilder<WriteBackStore<V>> {
        private final StoreBuilder<KeyValueStore<String, byte[]>> inner;
        private final Codec<V> codec;
        private final int maxKept;

        Builder(StoreBuilder<KeyValueStore<String, byte[]>> inner, Codec<V> codec, int maxKept) {
            this.inner = inner;
            this.codec = codec;
            this.maxKept = maxKept;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withCachingEnabled() {
            inner.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withCachingDisabled() {
            inner.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public WriteBackStore<V> build() {
            return new WriteBackStore<>(inner.build(), codec, maxKept);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
