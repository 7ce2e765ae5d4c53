package io.leakwatch.testing;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A {@link FixedKeyProcessorContext} for unit tests of one processor (Kafka's test utils have a mock only for
 * {@code Processor}): in-memory stores by name, the scheduled punctuator, the forwarded records, and the metrics of a
 * {@link MockProcessorContext}. Anything else a processor asks of it fails the test.
 */
public final class FixedKeyContext<K, V> {
    private final MockProcessorContext<Object, Object> mock = new MockProcessorContext<>();
    private final Map<String, KeyValueStore<String, ?>> stores = new HashMap<>();
    private final List<FixedKeyRecord<K, V>> forwarded = new ArrayList<>();
    private Punctuator punctuator;

    /** An in-memory store the processor will find under {@code name}. */
    public <T> KeyValueStore<String, T> store(String name, Serde<T> values) {
        KeyValueStore<String, T> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                values).withLoggingDisabled().build();
        store.init(mock.getStateStoreContext(), store);
        stores.put(name, store);
        return store;
    }

    @SuppressWarnings("unchecked")
    public FixedKeyProcessorContext<K, V> context() {
        return (FixedKeyProcessorContext<K, V>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FixedKeyProcessorContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStateStore" -> stores.get((String) args[0]);
                    case "metrics" -> mock.metrics();
                    case "schedule" -> {
                        punctuator = (Punctuator) args[2];
                        yield (Cancellable) () -> { };
                    }
                    case "forward" -> {
                        forwarded.add((FixedKeyRecord<K, V>) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException("not in the test context: " + method.getName());
                });
    }

    /** Runs the scheduled punctuation at {@code streamTime}. */
    public void punctuate(long streamTime) {
        punctuator.punctuate(streamTime);
    }

    public List<FixedKeyRecord<K, V>> forwarded() {
        return forwarded;
    }
}
