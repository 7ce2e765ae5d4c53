package io.leakwatch.serde;

import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;

/**
 * How events look on the topics, chosen per deployment ({@code leakwatch.wire.format}).
 * <ul>
 *   <li>{@code json}: one JSON object per record, snake_case fields, decimals as strings, times as ISO-8601;
 *   what a person types with kcat and what the JSON Lines files hold.</li>
 *   <li>{@code avro}: schema-registry framing (magic byte 0, 4-byte schema id, Avro binary), readable by
 *   every registry-aware client.</li>
 * </ul>
 */
public enum WireFormat {
    JSON, AVRO;

    /**
     * The codec of {@code type} on {@code topic}: Avro's schema ids may depend on the topic (a registry's subject),
     * JSON's bytes never do.
     */
    public <T extends SpecificRecord> EventCodec<T> codec(EventType<T> type, String topic, SchemaResolver resolver) {
        return switch (this) {
            case JSON -> new JsonEventCodec<>(type);
            case AVRO -> new AvroFramedCodec<>(type, topic, resolver);
        };
    }

    public static WireFormat parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wire format must be 'json' or 'avro', not '" + value + "'");
        }
    }
}
