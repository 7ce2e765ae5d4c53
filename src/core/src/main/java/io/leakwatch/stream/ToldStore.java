package io.leakwatch.stream;

import io.leakwatch.alerts.AlertLifecycle;
import io.leakwatch.events.Alert;
import io.leakwatch.state.TimeIndex;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What was last said about each alert id, in a state store: the {@link AlertLifecycle.Told} of a processor that
 * emits alerts. With an expiry index, every record told is also indexed by its {@code detected_at}, so that ids the
 * retention no longer needs can be forgotten.
 */
final class ToldStore implements AlertLifecycle.Told {
    private final KeyValueStore<String, Alert> store;
    private final TimeIndex expiry;

    ToldStore(KeyValueStore<String, Alert> store, TimeIndex expiry) {
        this.store = store;
        this.expiry = expiry;
    }

    @Override
    public Alert get(String alertId) {
        return store.get(alertId);
    }

    @Override
    public void put(Alert alert) {
        store.put(alert.getAlertId(), alert);
        if (expiry != null) {
            expiry.add(alert.getDetectedAt().toEpochMilli(), alert.getAlertId());
        }
    }
}
