package io.leakwatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class WriteBackStoreTest {
    /** A mutable counter, encoded as its decimal text; counts its encodings. */
    static final class Counter {
        long value;
    }

    private final AtomicInteger encodings = new AtomicInteger();
    private final WriteBackStore.Codec<Counter> codec = new WriteBackStore.Codec<>() {
        @Override
        public byte[] encode(Counter c) {
            encodings.incrementAndGet();
            return Long.toString(c.value).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Counter decode(byte[] bytes) {
            Counter c = new Counter();
            c.value = Long.parseLong(new String(bytes, StandardCharsets.UTF_8));
            return c;
        }
    };

    private WriteBackStore<Counter> store(int maxKept) {
        WriteBackStore<Counter> store = WriteBackStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("counters"), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                codec, maxKept).build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static String bytesOf(WriteBackStore<Counter> store, String key) {
        byte[] bytes = store.wrapped().get(key);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void increment(WriteBackStore<Counter> store, String key) {
        Counter c = store.get(key);
        if (c == null) {
            c = new Counter();
        }
        c.value++;
        store.put(key, c);
    }

    @Test
    void shouldEncodeAChangedObjectOncePerFlushNotOncePerPut() {
        WriteBackStore<Counter> store = store(100);
        for (int i = 0; i < 5; i++) {
            increment(store, "a");
        }

        assertThat(store.get("a").value).isEqualTo(5);
        assertThat(bytesOf(store, "a")).isNull();
        assertThat(encodings.get()).isZero();

        store.flushCache();

        assertThat(bytesOf(store, "a")).isEqualTo("5");
        assertThat(encodings.get()).isEqualTo(1);
        store.flushCache();
        assertThat(encodings.get()).as("nothing changed since").isEqualTo(1);
    }

    @Test
    void shouldWriteBackAChangedObjectWhenItIsDropped() {
        WriteBackStore<Counter> store = store(2);
        increment(store, "a");
        increment(store, "b");
        increment(store, "c");     // a is the least recently used: written back and dropped

        assertThat(bytesOf(store, "a")).isEqualTo("1");
        assertThat(bytesOf(store, "b")).isNull();
        increment(store, "a");     // decoded again from the bytes
        assertThat(store.get("a").value).isEqualTo(2);
        assertThat(store.delete("a").value).isEqualTo(2);
        assertThat(store.get("a")).isNull();
        store.flushCache();
        assertThat(bytesOf(store, "a")).isNull();
    }

    @Test
    void shouldScanStoredAndChangedObjectsInKeyOrderWithoutWritingBack() {
        WriteBackStore<Counter> store = store(100);
        increment(store, "b");
        increment(store, "d");
        store.flushCache();
        int encoded = encodings.get();
        increment(store, "d");     // changed since the write-back
        increment(store, "a");     // new: only in memory
        increment(store, "c");

        assertThat(scan(store.all())).containsExactly("a=1", "b=1", "c=1", "d=2");
        assertThat(scan(store.range("b", "c"))).containsExactly("b=1", "c=1");
        assertThat(scan(store.range("c", null))).containsExactly("c=1", "d=2");
        assertThat(encodings.get()).as("a scan encodes nothing").isEqualTo(encoded);
        assertThat(bytesOf(store, "a")).isNull();
        assertThat(bytesOf(store, "d")).isEqualTo("1");
        store.flushCache();
        assertThat(bytesOf(store, "a")).isEqualTo("1");
        assertThat(bytesOf(store, "d")).isEqualTo("2");
    }

    @Test
    void shouldScanAnObjectChangedAndDroppedDuringTheScanWithItsLatestValue() throws Exception {
        // RocksDB iterators read the bytes as of their opening, so b's bytes at the scan are the old ones
        WriteBackStore<Counter> store = rocksDbStore(2);
        increment(store, "a");
        increment(store, "b");
        increment(store, "c");
        store.flushCache();        // bytes a=1 b=1 c=1; kept: b, c
        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, Counter> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, Counter> kv = it.next();
                seen.add(kv.key + "=" + kv.value.value);
                if (kv.key.equals("a")) {
                    increment(store, "b");   // b=2, changed
                    store.get("c");
                    store.get("a");          // read back and kept, which drops b: b=2 is written after the scan began
                }
            }
        }
        assertThat(seen).containsExactly("a=1", "b=2", "c=1");
        store.close();
    }

    private WriteBackStore<Counter> rocksDbStore(int maxKept) throws Exception {
        WriteBackStore<Counter> store = WriteBackStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("counters"), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                codec, maxKept).build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-back-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(props,
                new org.apache.kafka.streams.processor.TaskId(0, 0), Files.createTempDirectory("write-back-rocksdb").toFile());
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    @Test
    void shouldScanInTheStoredKeysByteOrderOutsideTheBasicMultilingualPlane() {
        // UTF-16 puts U+FFFD before U+1F600 (a surrogate pair), UTF-8 (the stored bytes) after
        WriteBackStore<Counter> store = store(100);
        increment(store, "\uD83D\uDE00");
        store.flushCache();
        increment(store, "\uFFFD");
        increment(store, "z");

        assertThat(scan(store.all())).containsExactly("z=1", "\uFFFD=1", "\uD83D\uDE00=1");
    }

    /** Random puts, deletes, reads (which drop objects), write-backs and scans against a sorted map of the same. */
    @Test
    void shouldScanWhatASortedMapOfTheSameChangesHolds() {
        java.util.Random random = new java.util.Random(11);
        List<String> keys = List.of("a", "b", "c", "d", "e", "f", "\u00e9", "\uFFFD", "\uD83D\uDE00");
        for (int round = 0; round < 50; round++) {
            // every other round keeps every object, so its scans are served from memory
            boolean keepsAll = round % 2 == 1;
            WriteBackStore<Counter> store = store(keepsAll ? 100 : 1 + random.nextInt(4));
            java.util.TreeMap<String, Long> model = new java.util.TreeMap<>(WriteBackStore.UTF8_ORDER);
            for (int step = 0; step < 200; step++) {
                String key = keys.get(random.nextInt(keys.size()));
                switch (random.nextInt(7)) {
                    case 0, 1 -> {
                        increment(store, key);
                        model.merge(key, 1L, Long::sum);
                    }
                    case 2 -> {
                        store.delete(key);
                        model.remove(key);
                    }
                    case 3 -> store.get(key);
                    case 4 -> {
                        store.flushCache();
                        for (String k : keys) {
                            Long value = model.get(k);
                            assertThat(bytesOf(store, k)).as("bytes of %s after a write-back at step %d", k, step)
                                    .isEqualTo(value == null ? null : Long.toString(value));
                        }
                    }
                    case 5 -> {
                        // an object read, another key changed (which may drop the first), then the first put back
                        Counter c = store.get(key);
                        String other = keys.get(random.nextInt(keys.size()));
                        increment(store, other);
                        model.merge(other, 1L, Long::sum);
                        if (c != null) {
                            c.value += 10;
                            store.put(key, c);
                            model.put(key, c.value);
                        }
                    }
                    default -> {
                        String a = keys.get(random.nextInt(keys.size()));
                        String b = keys.get(random.nextInt(keys.size()));
                        String from = WriteBackStore.UTF8_ORDER.compare(a, b) <= 0 ? a : b;
                        String to = from.equals(a) ? b : a;
                        List<String> expected = new ArrayList<>();
                        model.subMap(from, true, to, true).forEach((k, v) -> expected.add(k + "=" + v));
                        assertThat(scan(store.range(from, to))).as("range %s..%s at step %d", from, to, step)
                                .containsExactlyElementsOf(expected);
                        List<String> all = new ArrayList<>();
                        model.forEach((k, v) -> all.add(k + "=" + v));
                        assertThat(scan(store.all())).containsExactlyElementsOf(all);
                    }
                }
            }
        }
    }

    @Test
    void shouldScanFromMemoryWhileEveryKeyIsKeptAndFromTheBytesOnceARestoredStoreIsRead() {
        WriteBackStore<Counter> fresh = store(100);
        increment(fresh, "a");
        increment(fresh, "b");
        fresh.flushCache();
        fresh.wrapped().put("b", "99".getBytes(StandardCharsets.UTF_8));   // bytes a scan from memory never reads
        increment(fresh, "c");
        fresh.delete("a");
        assertThat(scan(fresh.all())).containsExactly("b=1", "c=1");

        WriteBackStore<Counter> restored = store(100);
        restored.wrapped().put("r", "5".getBytes(StandardCharsets.UTF_8));  // as restoration writes, before any access
        increment(restored, "s");
        assertThat(scan(restored.all())).containsExactly("r=5", "s=1");
        assertThat(scan(restored.range("a", "r"))).containsExactly("r=5");
    }

    @Test
    void shouldScanTheBytesAgainOnceAnObjectWasDropped() {
        WriteBackStore<Counter> store = store(2);
        increment(store, "a");
        increment(store, "b");
        increment(store, "c");      // drops a (written back)
        store.flushCache();
        store.wrapped().put("z", "7".getBytes(StandardCharsets.UTF_8));
        assertThat(scan(store.all())).containsExactly("a=1", "b=1", "c=1", "z=7");
    }

    private static List<String> scan(KeyValueIterator<String, Counter> iterator) {
        List<String> seen = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                String peeked = iterator.peekNextKey();
                KeyValue<String, Counter> kv = iterator.next();
                assertThat(kv.key).isEqualTo(peeked);
                seen.add(kv.key + "=" + kv.value.value);
            }
        }
        return seen;
    }

    @Test
    void shouldDeleteFromTheBytesAtTheNextWriteBackAndReadNothingUntilThen() {
        WriteBackStore<Counter> store = store(100);
        increment(store, "a");
        increment(store, "b");
        store.flushCache();

        store.delete("a");
        increment(store, "c");
        store.delete("c");        // set and removed between two write-backs
        increment(store, "b");
        store.delete("b");
        increment(store, "b");    // deleted, then set again

        assertThat(bytesOf(store, "a")).as("not yet deleted from the bytes").isEqualTo("1");
        assertThat(store.get("a")).as("but gone for readers").isNull();
        assertThat(store.get("c")).isNull();
        assertThat(store.get("b").value).isEqualTo(1);
        assertThat(scan(store.all())).as("deleted keys are left out of a scan").containsExactly("b=1");
        assertThat(bytesOf(store, "a")).as("until the next write-back").isEqualTo("1");
        store.flushCache();
        assertThat(bytesOf(store, "a")).isNull();
        assertThat(bytesOf(store, "c")).isNull();
        assertThat(bytesOf(store, "b")).isEqualTo("1");
        increment(store, "a");
        assertThat(store.get("a").value).as("a new value after the delete").isEqualTo(1);
    }

    @Test
    void shouldForgetUncommittedChangesWhenTheCacheIsCleared() {
        WriteBackStore<Counter> store = store(100);
        increment(store, "a");
        store.flushCache();
        increment(store, "a");

        store.clearCache();   // a task closed without a commit

        assertThat(store.get("a").value).isEqualTo(1);
    }

    /** A processor counting records per key in a write-back store and forwarding the count; "reset" deletes the key. */
    static final class Counting implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, Counter> counts;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.counts = context.getStateStore("counts");
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value().equals("reset")) {
                counts.delete(record.key());
                context.forward(record.withValue("0"));
                return;
            }
            Counter c = counts.get(record.key());
            if (c == null) {
                c = new Counter();
            }
            c.value++;
            counts.put(record.key(), c);
            context.forward(record.withValue(Long.toString(c.value)));
        }
    }

    private TopologyTestDriver driver(Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(WriteBackStore.builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("counts"),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), codec, 16));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .process(Counting::new, "counts")
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-back-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(builder.build(), props);
    }

    @Test
    void shouldHaveEveryChangeInTheChangelogByTheCommitThatFollowsIt() throws Exception {
        // TopologyTestDriver commits after every record: each commit must carry the changed objects to the changelog
        Path stateDir = Files.createTempDirectory("write-back");
        try (TopologyTestDriver driver = driver(stateDir)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> changelog = driver.createOutputTopic("write-back-test-counts-changelog",
                    new StringDeserializer(), new StringDeserializer());
            in.pipeInput("a", "x");
            in.pipeInput("a", "x");
            in.pipeInput("b", "x");
            in.pipeInput("b", "reset");

            assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "1"), KeyValue.pair("a", "2"),
                    KeyValue.pair("b", "1"), KeyValue.pair("b", null));
            KeyValueStore<String, Counter> counts = driver.getKeyValueStore("counts");
            assertThat(counts.get("a").value).isEqualTo(2);
            assertThat(counts.get("b")).isNull();
        }
    }
}
