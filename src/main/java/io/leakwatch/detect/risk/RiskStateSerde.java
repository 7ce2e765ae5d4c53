package io.leakwatch.detect.risk;

import io.leakwatch.events.RiskLevel;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link RiskState} for the {@code risk-state} store and its changelog (one per account, so
 * small matters): 11 bytes
 * <pre>
 * byte format (1) | byte leakage level | int leakage High since (epoch day, -1 = not High)
 *                 | byte churn level   | int churn High since   (epoch day, -1 = not High)
 * </pre>
 * Levels are written by name-independent codes (0 LOW, 1 MEDIUM, 2 HIGH) so reordering the Avro enum cannot
 * corrupt stored state.
 */
public final class RiskStateSerde implements Serde<RiskState> {
    static final byte FORMAT = 1;
    static final int SIZE = 11;

    @Override
    public Serializer<RiskState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<RiskState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(RiskState s) {
        return ByteBuffer.allocate(SIZE).put(FORMAT)
                .put(code(s.leakageLevel())).putInt(day(s.leakageHighSince()))
                .put(code(s.churnLevel())).putInt(day(s.churnHighSince()))
                .array();
    }

    static RiskState read(byte[] bytes) {
        if (bytes.length != SIZE || bytes[0] != FORMAT) {
            throw new SerializationException("risk-state: expected " + SIZE + " bytes of format " + FORMAT + ", got "
                    + bytes.length + " bytes" + (bytes.length > 0 ? " of format " + bytes[0] : ""));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
        RiskLevel leakage = level(b.get());
        LocalDate leakageSince = date(b.getInt());
        RiskLevel churn = level(b.get());
        LocalDate churnSince = date(b.getInt());
        return new RiskState(leakage, leakageSince, churn, churnSince);
    }

    private static byte code(RiskLevel level) {
        return switch (level) {
            case LOW -> 0;
            case MEDIUM -> 1;
            case HIGH -> 2;
        };
    }

    private static RiskLevel level(byte code) {
        return switch (code) {
            case 0 -> RiskLevel.LOW;
            case 1 -> RiskLevel.MEDIUM;
            case 2 -> RiskLevel.HIGH;
            default -> throw new SerializationException("risk-state: unknown level code " + code);
        };
    }

    private static int day(LocalDate date) {
        return date == null ? -1 : Math.toIntExact(date.toEpochDay());
    }

    private static LocalDate date(int day) {
        return day < 0 ? null : LocalDate.ofEpochDay(day);
    }
}
