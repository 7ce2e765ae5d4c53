package io.leakwatch.detect.duplicate;

import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Bytes of a {@link ScreenedLine} for the contract join's buffer (used when the join has a grace period):
 * {@code [status ordinal: 1 byte][line length: 4 bytes][line][alert, when a duplicate]}, line and alert in the
 * internal Avro encoding.
 */
public final class ScreenedLineSerde implements Serde<ScreenedLine> {
    private final Serde<InvoiceLine> lines;
    private final Serde<Alert> alerts;

    public ScreenedLineSerde(Serde<InvoiceLine> lines, Serde<Alert> alerts) {
        this.lines = lines;
        this.alerts = alerts;
    }

    @Override
    public Serializer<ScreenedLine> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            byte[] line = lines.serializer().serialize(topic, value.line());
            byte[] alert = value.duplicateAlert() == null ? new byte[0] : alerts.serializer().serialize(topic, value.duplicateAlert());
            return ByteBuffer.allocate(1 + 4 + line.length + alert.length)
                    .put((byte) value.status().ordinal()).putInt(line.length).put(line).put(alert).array();
        };
    }

    @Override
    public Deserializer<ScreenedLine> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < 5) {
                throw new SerializationException(topic + ": " + bytes.length + " bytes are not a screened line");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            ScreenedLine.Status status = ScreenedLine.Status.values()[buffer.get()];
            int lineLength = buffer.getInt();
            InvoiceLine line = lines.deserializer().deserialize(topic, Arrays.copyOfRange(bytes, 5, 5 + lineLength));
            Alert alert = bytes.length > 5 + lineLength
                    ? alerts.deserializer().deserialize(topic, Arrays.copyOfRange(bytes, 5 + lineLength, bytes.length))
                    : null;
            return new ScreenedLine(line, status, alert);
        };
    }
}
