package io.leakwatch.state;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * A {@link WriteBackStore} as an interactive query reads it: the values as of the task's last commit, decoded afresh
 * from the byte store on the querying thread. The live objects the stream thread keeps are not thread-safe and are
 * never touched; Kafka's own {@code keyValueStore()} query type would call the store's {@code get}, which is.
 * <pre>
 * KafkaStreams.store(StoreQueryParameters.fromNameAndType(name, CommittedValues.&lt;V&gt;type()))
 * </pre>
 * On the store returned, each call asks the client for the stores of the tasks it queries at that moment (all local
 * active tasks, or one partition's), as Kafka's own composite stores do.
 */
public interface CommittedValues<V> {
    /** The committed value of {@code key}, or null. */
    V committed(String key);

    /** Every committed value, store by store, each in key order. */
    void forEachCommitted(BiConsumer<String, V> action);

    /** The query type of a {@link WriteBackStore}. */
    static <V> QueryableStoreType<CommittedValues<V>> type() {
        return new QueryableStoreType<>() {
            @Override
            public boolean accepts(StateStore store) {
                return store instanceof WriteBackStore<?>;
            }

            @Override
            public CommittedValues<V> create(StateStoreProvider provider, String storeName) {
                QueryableStoreType<CommittedValues<V>> type = this;
                return new CommittedValues<>() {
                    @Override
                    public V committed(String key) {
                        for (CommittedValues<V> store : new ArrayList<>(stores())) {
                            V value = store.committed(key);
                            if (value != null) {
                                return value;
                            }
                        }
                        return null;
                    }

                    @Override
                    public void forEachCommitted(BiConsumer<String, V> action) {
                        stores().forEach(store -> store.forEachCommitted(action));
                    }

                    private List<CommittedValues<V>> stores() {
                        return provider.stores(storeName, type);
                    }
                };
            }
        };
    }
}
