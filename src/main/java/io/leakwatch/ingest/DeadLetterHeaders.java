package io.leakwatch.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Header names on dead-letter records. Values are UTF-8 text. */
public final class DeadLetterHeaders {
    public static final String REASON = "leakwatch.dlq.reason";
    public static final String DETAIL = "leakwatch.dlq.detail";
    public static final String SOURCE_TOPIC = "leakwatch.dlq.source.topic";
    public static final String SOURCE_PARTITION = "leakwatch.dlq.source.partition";
    public static final String SOURCE_OFFSET = "leakwatch.dlq.source.offset";
    public static final String SOURCE_TIMESTAMP = "leakwatch.dlq.source.timestamp";
    /** Set by {@link BusinessTimeExtractor} on a record whose timestamp it refused; value = the refused timestamp. */
    public static final String REFUSED_TIMESTAMP = "leakwatch.refused.timestamp";

    private DeadLetterHeaders() {
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The last value of a header as text, or null. */
    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
