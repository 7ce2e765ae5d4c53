package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Suppresses repeats: an alert whose {@code alert_id} was already emitted within the retention is not
 * emitted again (a re-sent invoice line, a replayed partition). Alerts are keyed by account and the id
 * contains the account, so the store is local to the account's partition.
 *
 * <p>State: {@code alert_id -> detected_at (epoch ms)}. Every day of stream time, ids older than the
 * retention are forgotten, which bounds the store.
 */
public final class AlertDeduplicator implements FixedKeyProcessor<String, Alert, Alert> {
    public static final String STORE = "alert-ids-emitted";

    private final long retentionMs;
    private FixedKeyProcessorContext<String, Alert> context;
    private KeyValueStore<String, Long> emitted;
    private Sensor suppressed;

    public AlertDeduplicator(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.emitted = context.getStateStore(STORE);
        this.suppressed = context.metrics().addRateTotalSensor("leakwatch-alerts", "dedupe", "suppressed",
                Sensor.RecordingLevel.INFO);
        context.schedule(Duration.ofDays(1), PunctuationType.STREAM_TIME, this::forgetOlderThanRetention);
    }

    @Override
    public void process(FixedKeyRecord<String, Alert> record) {
        String id = record.value().getAlertId();
        if (emitted.get(id) != null) {
            suppressed.record();
            return;
        }
        emitted.put(id, record.value().getDetectedAt().toEpochMilli());
        context.forward(record);
    }

    private void forgetOlderThanRetention(long streamTime) {
        long cutoff = streamTime - retentionMs;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = emitted.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(emitted::delete);
    }
}
