package io.leakwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import io.leakwatch.state.TimeIndex;
import io.leakwatch.testing.FixedKeyContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Repeats of an alert id within the retention are suppressed; ids older than it are forgotten. */
class AlertDeduplicatorTest {
    private static final Instant MAR_1 = Instant.parse("2026-03-01T06:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(30);

    private final FixedKeyContext<String, Alert> context = new FixedKeyContext<>();
    private KeyValueStore<String, Long> emitted;
    private KeyValueStore<String, String> expiry;
    private AlertDeduplicator dedupe;

    @BeforeEach
    void givenEmptyStores() {
        emitted = context.store(AlertDeduplicator.STORE, Serdes.Long());
        expiry = context.store(AlertDeduplicator.EXPIRY, Serdes.String());
        dedupe = new AlertDeduplicator(RETENTION);
    }

    @Test
    void shouldEmitAnAlertIdOnceWithinTheRetention() {
        dedupe.init(context.context());

        dedupe.process(record(alert("a-1", MAR_1)));
        dedupe.process(record(alert("a-1", MAR_1.plus(Duration.ofDays(2)))));
        dedupe.process(record(alert("a-2", MAR_1)));

        assertThat(context.forwarded()).extracting(r -> r.value().getAlertId()).containsExactly("a-1", "a-2");
    }

    @Test
    void shouldForgetAnIdOnlyOnceItIsOlderThanTheRetention() {
        dedupe.init(context.context());
        dedupe.process(record(alert("a-1", MAR_1)));

        context.punctuate(MAR_1.plus(RETENTION).toEpochMilli());          // exactly the retention: still held
        dedupe.process(record(alert("a-1", MAR_1.plus(RETENTION))));
        context.punctuate(MAR_1.plus(RETENTION).toEpochMilli() + 1);      // older than the retention: forgotten
        dedupe.process(record(alert("a-1", MAR_1.plus(RETENTION).plusMillis(1))));

        assertThat(context.forwarded()).hasSize(2);
        assertThat(emitted.approximateNumEntries()).isEqualTo(1);
        assertThat(expiry.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldIndexIdsEmittedBeforeTheIndexExisted() {
        emitted.put("old-1", MAR_1.toEpochMilli());

        dedupe.init(context.context());

        assertThat(expiry.get(TimeIndex.key(MAR_1.toEpochMilli(), "old-1"))).isEqualTo("old-1");
        dedupe.process(record(alert("old-1", MAR_1.plus(Duration.ofDays(1)))));
        assertThat(context.forwarded()).isEmpty();
        context.punctuate(MAR_1.plus(RETENTION).toEpochMilli() + 1);
        assertThat(emitted.get("old-1")).isNull();
    }

    private static FixedKeyRecord<String, Alert> record(Alert alert) {
        // Kafka Streams builds fixed-key records only from records; its factory is the one public way in
        return InternalFixedKeyRecordFactory.create(new Record<>("acct-1", alert, alert.getDetectedAt().toEpochMilli()));
    }

    private static Alert alert(String id, Instant detectedAt) {
        return Alert.newBuilder().setAlertId(id).setType("RATE_MISMATCH").setSeverity(Severity.LOW)
                .setAccountId("acct-1").setEvidenceKey("inv-1/L1").setAmount(new BigDecimal("1.00")).setCurrency("USD")
                .setExplanation("x").setRecommendedAction("y").setEventTime(detectedAt).setDetectedAt(detectedAt)
                .setEvidence(Map.of()).build();
    }
}
