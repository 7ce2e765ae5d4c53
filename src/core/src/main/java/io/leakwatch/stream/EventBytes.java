package io.leakwatch.stream;

import io.leakwatch.account.AccountEvent;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.SchemaResolver;
import io.leakwatch.serde.WireFormat;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Any input event as bytes of its own: the event log's values and the {@code misrouted-events} repartition topic.
 * <pre>
 * byte  the event's {@link EventPosition} rank (which of the five input types it is), or {@value #FEEDBACK} for an
 *       {@link AlertFeedback} (misrouted feedback passes the same repartition topic; the event log never holds one)
 * rest  the event in the registry-framed Avro of the bundled schemas (older versions stay readable)
 * </pre>
 * Always the bundled ids, whatever resolver the deployment reads its input topics with: these bytes live only in the
 * processor's own stores and internal topics, which must stay readable when the deployment moves to or from a schema
 * registry (whose ids 1-9 mean other schemas) and must not need the registry to restore.
 */
public final class EventBytes implements Serde<SpecificRecord> {
    private static final List<EventType<?>> TYPES =
            List.of(EventType.CONTRACT, EventType.PROVISIONING, EventType.USAGE, EventType.INVOICE_LINE, EventType.PAYMENT);

    /** The tag of an {@link AlertFeedback}: after the ranks of the five input types. */
    static final int FEEDBACK = 5;

    private final EventCodec<?>[] codecs = new EventCodec<?>[TYPES.size() + 1];

    public EventBytes() {
        SchemaResolver bundled = new BundledSchemaResolver();
        for (EventType<?> type : TYPES) {
            codecs[AccountEvent.rank(type.type())] = WireFormat.AVRO.codec(type, "event-log", bundled);
        }
        codecs[FEEDBACK] = WireFormat.AVRO.codec(EventType.ALERT_FEEDBACK, "event-log", bundled);
    }

    @SuppressWarnings("unchecked")
    public byte[] encode(SpecificRecord value) {
        int rank = value instanceof AlertFeedback ? FEEDBACK : AccountEvent.rank(value);
        byte[] body = ((EventCodec<SpecificRecord>) codecs[rank]).encode(value);
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) rank;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    public SpecificRecord decode(byte[] bytes) {
        if (bytes == null || bytes.length < 1 || bytes[0] < 0 || bytes[0] >= codecs.length) {
            throw new SerializationException("not an input event: " + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        try {
            return (SpecificRecord) codecs[bytes[0]].decode(Arrays.copyOfRange(bytes, 1, bytes.length));
        } catch (EventDecodingException e) {
            throw new SerializationException("unreadable input event: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return (topic, value) -> value == null ? null : encode(value);
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
