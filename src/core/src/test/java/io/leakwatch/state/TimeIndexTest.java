package io.leakwatch.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimeIndexTest {
    private static final long MAR_1 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final long MAR_2 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long MAR_3 = Instant.parse("2026-03-03T00:00:00Z").toEpochMilli();

    private KeyValueStore<String, String> store;
    private final AtomicInteger scans = new AtomicInteger();
    private TimeIndex index;

    /** An in-memory store that counts range scans. */
    private static final class CountingStore extends WrappedStateStore<KeyValueStore<String, String>, String, String>
            implements KeyValueStore<String, String> {
        private final AtomicInteger scans;

        CountingStore(KeyValueStore<String, String> inner, AtomicInteger scans) {
            super(inner);
            this.scans = scans;
        }

        @Override public void put(String key, String value) { wrapped().put(key, value); }
        @Override public String putIfAbsent(String key, String value) { return wrapped().putIfAbsent(key, value); }
        @Override public void putAll(java.util.List<org.apache.kafka.streams.KeyValue<String, String>> entries) { wrapped().putAll(entries); }
        @Override public String delete(String key) { return wrapped().delete(key); }
        @Override public String get(String key) { return wrapped().get(key); }
        @Override public KeyValueIterator<String, String> all() { return wrapped().all(); }
        @Override public long approximateNumEntries() { return wrapped().approximateNumEntries(); }

        @Override
        public KeyValueIterator<String, String> range(String from, String to) {
            scans.incrementAndGet();
            return wrapped().range(from, to);
        }
    }

    @BeforeEach
    void givenAnEmptyIndex() {
        KeyValueStore<String, String> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("index"),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build();
        inner.init(new MockProcessorContext<>().getStateStoreContext(), inner);
        store = new CountingStore(inner, scans);
        index = new TimeIndex(store);
    }

    @Test
    void shouldTakeOnlyTheEntriesStrictlyBeforeTheInstantInTimeOrder() {
        index.add(MAR_2, "b");
        index.add(MAR_1, "a2");
        index.add(MAR_1, "a1");
        index.add(MAR_3, "c");

        assertThat(index.takeDue(MAR_3)).containsExactly(
                new TimeIndex.Entry(MAR_1, "a1"), new TimeIndex.Entry(MAR_1, "a2"), new TimeIndex.Entry(MAR_2, "b"));
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        assertThat(store.get(TimeIndex.key(MAR_3, "c"))).isEqualTo("c");
    }

    @Test
    void shouldNotReadTheStoreWhileNothingCanBeDue() {
        index.add(MAR_3, "c");
        index.takeDue(MAR_2);                 // the first call scans: after a restart nothing is known
        int afterFirst = scans.get();

        assertThat(index.takeDue(MAR_2 + 1)).isEmpty();
        assertThat(index.takeDue(MAR_3)).isEmpty();
        assertThat(scans.get()).isEqualTo(afterFirst);
        assertThat(index.takeDue(MAR_3 + 1)).extracting(TimeIndex.Entry::ref).containsExactly("c");
    }

    @Test
    void shouldFindAnEntryAddedEarlierThanTheLastScan() {
        index.takeDue(MAR_3);
        index.add(MAR_1, "late");

        assertThat(index.takeDue(MAR_2)).extracting(TimeIndex.Entry::ref).containsExactly("late");
    }

    @Test
    void shouldForgetARemovedEntry() {
        index.add(MAR_1, "a");
        index.remove(MAR_1, "a");

        assertThat(index.takeDue(MAR_3)).isEmpty();
        assertThat(index.isEmpty()).isTrue();
    }

    @Test
    void shouldOrderKeysByTimeAcrossDigitCounts() {
        assertThat(TimeIndex.key(999L, "x")).isLessThan(TimeIndex.key(1000L, "x"));
        assertThat(TimeIndex.prefix(MAR_1)).hasSize(19).isEqualTo(String.format("%019d", MAR_1));
    }

    @Test
    void shouldRejectATimeBefore1970() {
        assertThatThrownBy(() -> index.add(-1, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
