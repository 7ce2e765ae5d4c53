package io.leakwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time = the record timestamp, which producers set to the event's business time. A timestamp outside
 * the plausible range — before {@code earliest}, after 2100, or more than {@code maxAhead} beyond the
 * partition's time — is refused: the record gets header {@value DeadLetterHeaders#REFUSED_TIMESTAMP} (the
 * ingest step sends it to the dead-letter topic) and is given the partition time instead, so one bad clock
 * cannot drag stream time years ahead and make every later record "late". It is never dropped.
 */
public final class BusinessTimeExtractor implements TimestampExtractor {
    private static final long LATEST_PLAUSIBLE = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private final long earliest;
    private final long maxAheadMs;

    public BusinessTimeExtractor(Instant earliest, Duration maxAhead) {
        this.earliest = earliest.toEpochMilli();
        this.maxAheadMs = maxAhead.toMillis();
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long ts = record.timestamp();
        // The relative bound needs a partition time established by a real record: a refused first record
        // leaves the partition at `earliest`, which must not make every later record look implausible.
        boolean knownPartitionTime = partitionTime > earliest;
        boolean plausible = ts >= earliest && ts < LATEST_PLAUSIBLE
                && (!knownPartitionTime || ts <= partitionTime + maxAheadMs);
        if (plausible) {
            return ts;
        }
        record.headers().add(DeadLetterHeaders.REFUSED_TIMESTAMP, Long.toString(ts).getBytes(StandardCharsets.UTF_8));
        return Math.max(partitionTime, earliest);
    }
}
