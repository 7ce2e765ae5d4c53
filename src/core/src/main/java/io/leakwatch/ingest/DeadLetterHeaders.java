package io.leakwatch.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Header names on dead-letter records. Values are UTF-8 text. */
public final class DeadLetterHeaders {
    public static final String REASON = "leakwatch.dlq.reason";
    /** What was wrong, in words; at most {@value #MAX_DETAIL} characters (cut with "…" when longer). */
    public static final String DETAIL = "leakwatch.dlq.detail";
    /**
     * The step that refused the record ({@code <type>-ingest}, {@code account-processor}, or for a
     * {@code processing-error} the processor that failed), and for a {@code processing-error} the exception's class.
     */
    public static final String NODE = "leakwatch.dlq.node";
    public static final String EXCEPTION = "leakwatch.dlq.exception";
    /** Set by {@link DeadLetterFit} when it cut the record to fit: {@code key}, {@code value}, {@code headers}, comma-separated. */
    public static final String TRUNCATED = "leakwatch.dlq.truncated";
    /** The size in bytes and SHA-256 (hex) of a key or value cut to fit, to find and verify the original. */
    public static final String ORIGINAL_KEY_SIZE = "leakwatch.dlq.original.key.size";
    public static final String ORIGINAL_KEY_SHA256 = "leakwatch.dlq.original.key.sha256";
    public static final String ORIGINAL_VALUE_SIZE = "leakwatch.dlq.original.value.size";
    public static final String ORIGINAL_VALUE_SHA256 = "leakwatch.dlq.original.value.sha256";
    /** How many of the producer's headers were left off, and their size: "3 headers, 700,000 bytes". */
    public static final String ORIGINAL_HEADERS_DROPPED = "leakwatch.dlq.original.headers.dropped";
    public static final int MAX_DETAIL = 2_000;
    public static final String SOURCE_TOPIC = "leakwatch.dlq.source.topic";
    public static final String SOURCE_PARTITION = "leakwatch.dlq.source.partition";
    public static final String SOURCE_OFFSET = "leakwatch.dlq.source.offset";
    public static final String SOURCE_TIMESTAMP = "leakwatch.dlq.source.timestamp";
    /** Set by {@link BusinessTimeExtractor} on a record whose timestamp it refused; value = the refused timestamp. */
    public static final String REFUSED_TIMESTAMP = "leakwatch.refused.timestamp";

    private DeadLetterHeaders() {
    }

    public static void put(Headers headers, String name, String value) {
        if (name.equals(DETAIL) && value.length() > MAX_DETAIL) {
            value = value.substring(0, MAX_DETAIL - 1) + "…";
        }
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stamps a dead letter: reason, detail and where the record came from (topic, partition and offset when the
     * record came from a topic; the timestamp always).
     */
    public static void stamp(Headers headers, RejectReason reason, String detail,
                             java.util.Optional<org.apache.kafka.streams.processor.api.RecordMetadata> source,
                             long timestamp) {
        put(headers, REASON, reason.code());
        put(headers, DETAIL, detail);
        source.ifPresent(m -> {
            put(headers, SOURCE_TOPIC, m.topic());
            put(headers, SOURCE_PARTITION, Integer.toString(m.partition()));
            put(headers, SOURCE_OFFSET, Long.toString(m.offset()));
        });
        put(headers, SOURCE_TIMESTAMP, Long.toString(timestamp));
    }

    /** The last value of a header as text, or null. */
    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
