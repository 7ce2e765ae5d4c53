package io.leakwatch.ingest;

import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.SchemaResolverUnavailableException;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes an input value in the wire format, never throwing: bytes that do not decode (or a record without a value)
 * become an {@link Arrival} that says why, which the ingest step dead-letters as {@code deserialization}. The one
 * exception it lets through is a schema resolver that cannot answer ({@link SchemaResolverUnavailableException}): the
 * bytes are not at fault, and the processor stops rather than dead-letter good records while a registry is down.
 */
public final class ArrivalDeserializer<T extends org.apache.avro.specific.SpecificRecord> implements Deserializer<Arrival<T>> {
    private final EventType<T> type;
    private final EventCodec<T> codec;

    public ArrivalDeserializer(EventType<T> type, EventCodec<T> codec) {
        this.type = type;
        this.codec = codec;
    }

    @Override
    public Arrival<T> deserialize(String topic, byte[] data) {
        if (data == null) {
            return Arrival.undecodable(null, "the record has no value");
        }
        T event;
        try {
            event = codec.decode(data);
        } catch (EventDecodingException e) {
            return Arrival.undecodable(data, e.getMessage());
        } catch (SchemaResolverUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            return Arrival.undecodable(data, "undecodable " + type.name() + ": " + e);
        }
        Instant time;
        try {
            time = type.eventTime().apply(event);
        } catch (RuntimeException e) {
            time = null;
        }
        if (time == null) {
            return Arrival.undecodable(data, type.name() + " without its business time");
        }
        long ms;
        try {
            ms = time.toEpochMilli();
        } catch (ArithmeticException e) {
            return Arrival.undecodable(data, type.name() + " business time " + time + " is beyond any calendar");
        }
        return Arrival.decoded(data, event, ms);
    }
}
