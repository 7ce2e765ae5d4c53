package io.leakwatch.state;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A time-ordered index over a key-value store: entries {@code zero-padded epoch ms|ref -> ref}, so the store's byte
 * order is time order, and the entries due before an instant are one range scan away. It is what a stream-time
 * punctuation uses instead of scanning a whole state store for what has expired or fallen due.
 *
 * <pre>
 * add(t, ref)       put  "%019d(t)|ref" -> ref;  low = min(low, t);  next = min(next, t)
 * remove(t, ref)    delete "%019d(t)|ref"
 * takeDue(before)   nothing when before &lt;= next (no entry can be due: no I/O at all)
 *                   else range scan ["%019d(low)", unbounded) in time order: entries with t &lt; before are deleted
 *                   and returned; the first entry at or after before sets next; low = before
 * </pre>
 * {@code low} is a lower bound of every entry's time: the scan starts there rather than at the first key, because
 * each taken entry leaves a RocksDB tombstone at the front of the index, and a scan from the first key walks every
 * one of them until compaction (during a replay that was most of the topology's time). Both bounds live in memory
 * only; after a restart the first scan starts at the beginning and re-establishes them. Times must be in
 * [0, 10^19): Leakwatch rejects record timestamps before {@code leakwatch.timestamps.earliest} at ingest.
 */
public final class TimeIndex {
    private static final int WIDTH = 19;
    private final KeyValueStore<String, String> store;
    private long low = Long.MIN_VALUE;
    private long next = Long.MIN_VALUE;

    public TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** An entry due at {@code t} (ms). */
    public record Entry(long at, String ref) {
    }

    public void add(long at, String ref) {
        store.put(key(at, ref), ref);
        low = Math.min(low, at);
        next = Math.min(next, at);
    }

    public void remove(long at, String ref) {
        store.delete(key(at, ref));
    }

    /** Removes and returns, in time order, every entry due strictly before {@code before}. */
    public List<Entry> takeDue(long before) {
        if (before <= next) {
            return List.of();
        }
        List<Entry> due = new ArrayList<>();
        long firstNotDue = Long.MAX_VALUE;
        String from = low == Long.MIN_VALUE ? null : prefix(low);
        try (KeyValueIterator<String, String> it = store.range(from, null)) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                long at = timeOf(entry.key);
                if (at >= before) {
                    firstNotDue = at;
                    break;
                }
                due.add(new Entry(at, entry.value));
            }
        }
        for (Entry entry : due) {
            store.delete(key(entry.at(), entry.ref()));
        }
        low = before;
        next = firstNotDue;
        return due;
    }

    /**
     * Indexes every entry of {@code source} under {@code refPrefix + key} at {@code timeOf(value)}: for state written
     * before the index existed (call it when {@link #isEmpty} and the source is not).
     */
    public <V> void indexAll(KeyValueStore<String, V> source, ToLongFunction<V> timeOf, String refPrefix) {
        try (KeyValueIterator<String, V> all = source.all()) {
            all.forEachRemaining(kv -> add(timeOf.applyAsLong(kv.value), refPrefix + kv.key));
        }
    }

    /** Whether the index holds no entry at all (one short scan). */
    public boolean isEmpty() {
        try (KeyValueIterator<String, String> it = store.all()) {
            return !it.hasNext();
        }
    }

    /** Zero-padded so that the store's byte order is time order. */
    public static String prefix(long epochMillis) {
        if (epochMillis < 0) {
            throw new IllegalArgumentException("time index entries need a time at or after 1970: " + epochMillis);
        }
        String digits = Long.toString(epochMillis);
        return "0".repeat(WIDTH - digits.length()) + digits;
    }

    public static String key(long epochMillis, String ref) {
        return prefix(epochMillis) + "|" + ref;
    }

    static long timeOf(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('|')));
    }
}
