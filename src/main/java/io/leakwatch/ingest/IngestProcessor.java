package io.leakwatch.ingest;

import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The first step on every input topic: raw bytes in, {@link Ingested} out. In order:
 * <ol>
 *   <li>timestamp refused by {@link BusinessTimeExtractor} -> rejected, {@code implausible-timestamp};</li>
 *   <li>bytes that do not decode in the wire format -> rejected, {@code deserialization};</li>
 *   <li>an event failing its {@link EventValidator} -> rejected, {@code invalid};</li>
 *   <li>a record key that is not the event's account_id -> rejected, {@code key-mismatch}; an event without an
 *       account_id (only invoice lines may lack one, see {@link Validators}) is accepted under any key: it has no
 *       account to be co-partitioned with;</li>
 *   <li>{@code timestamp < stream time - horizon} -> rejected, {@code late} (never a contract version: however
 *       long ago it was signed, the terms it sets may hold now);</li>
 *   <li>otherwise accepted, with its key unchanged.</li>
 * </ol>
 * The key is never changed (so nothing downstream repartitions). A rejected record keeps its original value bytes and gets the dead-letter headers (reason,
 * detail, source topic, partition, offset, timestamp); each rejection is counted in the sensor
 * {@code leakwatch-dead-letter / <topic> / <reason>-total}. Nothing is thrown, nothing is dropped.
 */
public final class IngestProcessor<T extends SpecificRecord> implements FixedKeyProcessor<String, byte[], Ingested<T>> {
    private final EventType<T> type;
    private final EventCodec<T> codec;
    private final EventValidator<T> validator;
    private final long graceMs;

    private FixedKeyProcessorContext<String, Ingested<T>> context;
    private final Map<RejectReason, Sensor> rejections = new EnumMap<>(RejectReason.class);

    public IngestProcessor(EventType<T> type, EventCodec<T> codec, EventValidator<T> validator, Duration grace) {
        this.type = type;
        this.codec = codec;
        this.validator = validator;
        this.graceMs = grace.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Ingested<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        String refused = DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REFUSED_TIMESTAMP);
        if (refused != null) {
            reject(record, RejectReason.IMPLAUSIBLE_TIMESTAMP,
                    "record timestamp " + describe(refused) + " is outside the plausible range");
            return;
        }
        T event;
        try {
            event = codec.decode(record.value());
        } catch (EventDecodingException e) {
            reject(record, RejectReason.DESERIALIZATION, e.getMessage());
            return;
        } catch (RuntimeException e) {
            reject(record, RejectReason.DESERIALIZATION, "undecodable " + type.name() + ": " + e);
            return;
        }
        List<String> problems = validator.problems(event);
        if (!problems.isEmpty()) {
            reject(record, RejectReason.INVALID, String.join("; ", problems));
            return;
        }
        String account = type.accountId().apply(event);
        String key = record.key();
        boolean noAccount = account == null || account.isBlank();
        if (!noAccount && !Objects.equals(key, account)) {
            reject(record, RejectReason.KEY_MISMATCH,
                    "record key '" + key + "' is not the event's account_id '" + account + "'");
            return;
        }
        long streamTime = context.currentStreamTimeMs();
        if (type != EventType.CONTRACT && record.timestamp() < streamTime - graceMs) {
            reject(record, RejectReason.LATE, "event time " + Instant.ofEpochMilli(record.timestamp())
                    + " is more than the late-data horizon " + Duration.ofMillis(graceMs) + " behind stream time "
                    + Instant.ofEpochMilli(streamTime));
            return;
        }
        context.forward(record.withValue(Ingested.accepted(event)));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, RejectReason reason, String detail) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(DeadLetterHeaders.REFUSED_TIMESTAMP);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.REASON, reason.code());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.DETAIL, detail);
        context.recordMetadata().ifPresent(m -> {
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TOPIC, m.topic());
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(m.partition()));
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(m.offset()));
        });
        String refused = DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REFUSED_TIMESTAMP);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TIMESTAMP,
                refused != null ? refused : Long.toString(record.timestamp()));
        sensor(reason).record();
        context.forward(record.withValue(Ingested.<T>rejected(record.value(), reason, detail)).withHeaders(headers));
    }

    private Sensor sensor(RejectReason reason) {
        return rejections.computeIfAbsent(reason, r -> context.metrics().addRateTotalSensor(
                "leakwatch-dead-letter", type.name(), r.code(), Sensor.RecordingLevel.INFO));
    }

    private static String describe(String epochMillis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(epochMillis)) + " (" + epochMillis + ")";
        } catch (RuntimeException e) {
            return epochMillis;
        }
    }
}
