package io.leakwatch.ingest;

import io.leakwatch.serde.EventType;
import io.leakwatch.serde.Texts;
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
 *   <li>business time refused by {@link BusinessTimeExtractor} -> rejected, {@code implausible-timestamp};</li>
 *   <li>bytes that did not decode in the wire format ({@link ArrivalDeserializer}) -> rejected, {@code deserialization};</li>
 *   <li>an event failing its {@link EventValidator} -> rejected, {@code invalid};</li>
 *   <li>a record key that is not the event's account_id -> rejected, {@code key-mismatch}; an event without an
 *       account_id (only invoice lines may lack one, see {@link Validators}) is accepted under any key: it has no
 *       account to be co-partitioned with;</li>
 *   <li>{@code business time < stream time - horizon} -> rejected, {@code late} (never a contract version: however
 *       long ago it was signed, the terms it sets may hold now);</li>
 *   <li>otherwise accepted, with its key unchanged; when the key hashes to another input partition than the one the
 *       record arrived on (the Java client's partitioner: murmur2 of the key bytes, modulo the partition count), it
 *       is accepted as misrouted: counted in {@code leakwatch-ingest / <topic> / misrouted-total}, logged (the first
 *       time on each partition, then every {@value #LOG_EVERY}th) and re-routed by the topology to its account's
 *       partition, where it counts like any record that arrived late. Events without an account are never
 *       misrouted: they have no account to be co-partitioned with.</li>
 * </ol>
 * The key is never changed. A rejected record keeps its original value bytes and gets the dead-letter headers (reason,
 * detail, source topic, partition, offset, timestamp); each rejection is counted in the sensor
 * {@code leakwatch-dead-letter / <topic> / <reason>-total}, and has header {@code leakwatch.dlq.node} =
 * {@code <type>-ingest}; each accepted record (misrouted or not) in {@code leakwatch-ingest / <type> / accepted-total}. Nothing is thrown, nothing is dropped: should any step
 * throw (a defect), the record is rejected as {@code processing-error} with the exception.
 */
public final class IngestProcessor<T extends SpecificRecord> implements FixedKeyProcessor<String, Arrival<T>, Ingested<T>> {
    static final int LOG_EVERY = 10_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestProcessor.class);

    private final EventType<T> type;
    private final String plausible;
    private final EventValidator<T> validator;
    private final long horizonMs;
    private final int partitions;

    private FixedKeyProcessorContext<String, Ingested<T>> context;
    private final Map<RejectReason, Sensor> rejections = new EnumMap<>(RejectReason.class);
    private Sensor misroutedSensor;
    private Sensor acceptedSensor;
    private long misrouted;
    private RecordHeaders rejectedHeaders;

    /**
     * @param times      the extractor that gave the records their time (to say what it refused)
     * @param horizon    records older than stream time minus this are refused as late (contract versions never are)
     * @param partitions how many partitions the input topics have (every input the same)
     */
    public IngestProcessor(EventType<T> type, EventValidator<T> validator, BusinessTimeExtractor times,
                           Duration horizon, int partitions) {
        this.type = type;
        this.plausible = times.plausibleRange();
        this.validator = validator;
        this.horizonMs = horizon.toMillis();
        this.partitions = partitions;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Ingested<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Arrival<T>> record) {
        Ingested<T> outcome;
        try {
            outcome = ingest(record);
        } catch (RuntimeException e) {
            LOG.error("{}: ingesting the record failed; it goes to the dead-letter topic", type.name(), e);
            outcome = reject(record, RejectReason.PROCESSING_ERROR, type.name() + "-ingest failed: " + e);
            DeadLetterHeaders.put(rejectedHeaders, DeadLetterHeaders.EXCEPTION, e.getClass().getName());
        }
        // outside the try: what the next processors do with the record is theirs to handle
        context.forward(record.withValue(outcome).withHeaders(outcome.isAccepted() ? record.headers() : rejectedHeaders));
    }

    /** The outcome for one record; a rejection leaves its dead-letter headers in {@link #rejectedHeaders}. */
    private Ingested<T> ingest(FixedKeyRecord<String, Arrival<T>> record) {
        String refused = DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REFUSED_TIMESTAMP);
        if (refused != null) {
            return reject(record, RejectReason.IMPLAUSIBLE_TIMESTAMP,
                    "business time " + describe(refused) + " is outside the plausible range (" + plausible + ")");
        }
        Arrival<T> arrival = record.value();
        if (arrival == null || !arrival.isDecoded()) {
            return reject(record, RejectReason.DESERIALIZATION,
                    arrival == null ? "the record has no value" : arrival.failure());
        }
        T event = arrival.event();
        List<String> problems = validator.problems(event);
        if (!problems.isEmpty()) {
            return reject(record, RejectReason.INVALID, String.join("; ", problems));
        }
        String account = type.accountId().apply(event);
        String key = record.key();
        boolean noAccount = account == null || account.isBlank();
        if (!noAccount && !Objects.equals(key, account)) {
            return reject(record, RejectReason.KEY_MISMATCH,
                    "record key " + Texts.quote(key) + " is not the event's account_id " + Texts.quote(account));
        }
        long streamTime = context.currentStreamTimeMs();
        if (type != EventType.CONTRACT && record.timestamp() < streamTime - horizonMs) {
            return reject(record, RejectReason.LATE, "event time " + Instant.ofEpochMilli(record.timestamp())
                    + " is more than the late-data horizon " + Duration.ofMillis(horizonMs) + " behind stream time "
                    + Instant.ofEpochMilli(streamTime));
        }
        if (!noAccount && partitions > 1) {
            int arrived = context.recordMetadata().map(m -> m.partition()).orElse(-1);
            int belongs = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
            if (arrived >= 0 && arrived != belongs) {
                misrouted(record, arrived, belongs);
                accepted();
                return Ingested.misrouted(event);
            }
        }
        accepted();
        return Ingested.accepted(event);
    }

    private String node() {
        return type.name() + "-ingest";
    }

    private void accepted() {
        if (acceptedSensor == null) {
            acceptedSensor = context.metrics().addRateTotalSensor("leakwatch-ingest", type.name(), "accepted",
                    Sensor.RecordingLevel.INFO);
        }
        acceptedSensor.record();
    }

    private void misrouted(FixedKeyRecord<String, Arrival<T>> record, int arrived, int belongs) {
        if (misroutedSensor == null) {
            misroutedSensor = context.metrics().addRateTotalSensor("leakwatch-ingest", type.name(), "misrouted",
                    Sensor.RecordingLevel.INFO);
        }
        misroutedSensor.record();
        if (misrouted++ % LOG_EVERY == 0) {
            String topic = context.recordMetadata().map(m -> m.topic()).orElse(type.name());
            LOG.warn("{} partition {}: key '{}' belongs on partition {} by the Java client's partitioner (murmur2);"
                            + " its producer partitions differently (librdkafka's default hashes with CRC32: set"
                            + " partitioner=murmur2_random). Re-routed to its account's partition; {} such record(s) on"
                            + " this partition so far", topic, arrived, record.key(), belongs, misrouted);
        }
    }

    private Ingested<T> reject(FixedKeyRecord<String, Arrival<T>> record, RejectReason reason, String detail) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(DeadLetterHeaders.REFUSED_TIMESTAMP);
        headers.remove(BusinessTimeExtractor.RECORD_TIMESTAMP);
        String refused = DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REFUSED_TIMESTAMP);
        String undecoded = DeadLetterHeaders.get(record.headers(), BusinessTimeExtractor.RECORD_TIMESTAMP);
        DeadLetterHeaders.stamp(headers, reason, detail, context.recordMetadata(), record.timestamp());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.NODE, node());
        if (refused != null || undecoded != null) {
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TIMESTAMP, refused != null ? refused : undecoded);
        }
        sensor(reason).record();
        rejectedHeaders = headers;
        return Ingested.rejected(record.value() == null ? null : record.value().raw(), reason, detail);
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
