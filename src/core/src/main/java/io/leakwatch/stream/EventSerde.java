package io.leakwatch.stream;

import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} over an {@link EventCodec}, for sinks and state-store changelogs. Input topics are
 * not read through it: the topology decodes raw bytes itself so that undecodable records become
 * dead-letter data instead of exceptions.
 */
public final class EventSerde<T> implements Serde<T> {
    private final EventCodec<T> codec;

    public EventSerde(EventCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : codec.encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return codec.decode(bytes);
            } catch (EventDecodingException e) {
                throw new SerializationException(topic + ": " + e.getMessage(), e);
            }
        };
    }
}
