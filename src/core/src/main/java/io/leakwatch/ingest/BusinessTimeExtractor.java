package io.leakwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time = the event's business time, read from the decoded value ({@link Arrival}): {@code signed_at},
 * {@code issued_at}, {@code occurred_at}, {@code attempted_at}, {@code effective_at}. The record timestamp is not
 * read, so a producer that stamps records with the time it sent them (kcat, Kafka Connect, most producers by
 * default), or a producer with a wrong clock, gives the same answer as one that stamps business time.
 * <p>
 * A business time outside the plausible range — before {@code earliest}, after 2100, or more than {@code maxAhead}
 * beyond the partition's time — is refused: the record gets header {@value DeadLetterHeaders#REFUSED_TIMESTAMP}
 * (the ingest step sends it to the dead-letter topic) and is given the partition time instead, so one event dated
 * years ahead cannot drag stream time with it and make every later record "late". A value that does not decode
 * gets the partition time too (and header {@value #RECORD_TIMESTAMP}, its record timestamp, for the dead letter).
 * Nothing is dropped here.
 */
public final class BusinessTimeExtractor implements TimestampExtractor {
    /** The record timestamp of a record whose value did not decode. */
    public static final String RECORD_TIMESTAMP = "leakwatch.record.timestamp";
    private static final long LATEST_PLAUSIBLE = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private final long earliest;
    private final long maxAheadMs;

    public BusinessTimeExtractor(Instant earliest, Duration maxAhead) {
        this.earliest = earliest.toEpochMilli();
        this.maxAheadMs = maxAhead.toMillis();
    }

    /** The plausible range, in words. */
    public String plausibleRange() {
        return "from " + Instant.ofEpochMilli(earliest) + ", before 2100, at most " + Duration.ofMillis(maxAheadMs)
                + " beyond the partition's time";
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long settled = Math.max(partitionTime, earliest);
        if (!(record.value() instanceof Arrival<?> arrival) || !arrival.isDecoded()) {
            record.headers().add(RECORD_TIMESTAMP, Long.toString(record.timestamp()).getBytes(StandardCharsets.UTF_8));
            return settled;
        }
        long ts = arrival.businessTime();
        // The relative bound needs a partition time established by a real record: a refused first record
        // leaves the partition at `earliest`, which must not make every later record look implausible.
        boolean knownPartitionTime = partitionTime > earliest;
        boolean plausible = ts >= earliest && ts < LATEST_PLAUSIBLE
                && (!knownPartitionTime || ts - partitionTime <= maxAheadMs);
        if (plausible) {
            return ts;
        }
        record.headers().add(DeadLetterHeaders.REFUSED_TIMESTAMP, Long.toString(ts).getBytes(StandardCharsets.UTF_8));
        return settled;
    }
}
