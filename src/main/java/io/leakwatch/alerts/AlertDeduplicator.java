package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
import io.leakwatch.state.TimeIndex;
import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Suppresses repeats: an alert whose {@code alert_id} was already emitted within the retention is not
 * emitted again (a re-sent invoice line, a replayed partition). Alerts are keyed by account and the id
 * contains the account, so the store is local to the account's partition.
 *
 * <p>State: {@value #STORE} {@code alert_id -> detected_at (epoch ms)}, and {@value #EXPIRY}, a {@link TimeIndex}
 * of the ids by {@code detected_at}. Every day of stream time, ids older than the retention are forgotten, which
 * bounds the store; the purge reads only the index entries that fell due (ids emitted before the index existed
 * are indexed once, when a task finds the index empty and the store not).
 */
public final class AlertDeduplicator implements FixedKeyProcessor<String, Alert, Alert> {
    public static final String STORE = "alert-ids-emitted";
    public static final String EXPIRY = "alert-ids-expiry";

    private final long retentionMs;
    private FixedKeyProcessorContext<String, Alert> context;
    private KeyValueStore<String, Long> emitted;
    private TimeIndex expiry;
    private Sensor suppressed;

    public AlertDeduplicator(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.emitted = context.getStateStore(STORE);
        this.expiry = new TimeIndex(context.getStateStore(EXPIRY));
        if (expiry.isEmpty()) {
            expiry.indexAll(emitted, Long::longValue, "");
        }
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
        long detectedAt = record.value().getDetectedAt().toEpochMilli();
        emitted.put(id, detectedAt);
        expiry.add(detectedAt, id);
        context.forward(record);
    }

    private void forgetOlderThanRetention(long streamTime) {
        for (TimeIndex.Entry due : expiry.takeDue(streamTime - retentionMs)) {
            emitted.delete(due.ref());
        }
    }
}
