package io.leakwatch.detect.risk;

import io.leakwatch.events.RiskLevel;
import io.leakwatch.scoring.RiskPublishing.Published;
import java.nio.ByteBuffer;
import java.time.LocalDate;

/**
 * Compact binary form of {@link RiskState} for the {@code risk-state} store and its changelog (one per account, so
 * small matters): 12 bytes, 48 once the account has been published
 * <pre>
 * byte format (2) | byte leakage level | int leakage High since (epoch day, -1 = not High)
 *                 | byte churn level   | int churn High since   (epoch day, -1 = not High)
 *                 | byte published (0/1)
 *                 [ | long published at (epoch ms) | double leakage p | double churn p | double monthly revenue
 *                   | int model versions hash ]                                     only when published = 1
 * </pre>
 * Levels are written by name-independent codes (0 LOW, 1 MEDIUM, 2 HIGH) so reordering the Avro enum cannot
 * corrupt stored state.
 */
public final class RiskStateCodec {
    static final byte FORMAT = 2;
    static final int SIZE = 12;
    static final int SIZE_PUBLISHED = SIZE + 8 + 8 + 8 + 8 + 4;

    private RiskStateCodec() {
    }

    /** The bytes of {@code state}; null for null. */
    public static byte[] encode(RiskState s) {
        if (s == null) {
            return null;
        }
        Published p = s.published();
        ByteBuffer b = ByteBuffer.allocate(p == null ? SIZE : SIZE_PUBLISHED).put(FORMAT)
                .put(code(s.leakageLevel())).putInt(day(s.leakageHighSince()))
                .put(code(s.churnLevel())).putInt(day(s.churnHighSince()))
                .put((byte) (p == null ? 0 : 1));
        if (p != null) {
            b.putLong(p.at()).putDouble(p.leakageProbability()).putDouble(p.churnProbability())
                    .putDouble(p.monthlyRevenue()).putInt(p.modelVersionsHash());
        }
        return b.array();
    }

    /** The state {@code bytes} hold; null for null. */
    public static RiskState decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        boolean valid = bytes.length > 0 && bytes[0] == FORMAT
                && (bytes.length == SIZE && bytes[SIZE - 1] == 0 || bytes.length == SIZE_PUBLISHED && bytes[SIZE - 1] == 1);
        if (!valid) {
            throw new IllegalArgumentException("risk-state: expected " + SIZE + " or " + SIZE_PUBLISHED + " bytes of format "
                    + FORMAT + ", got " + bytes.length + " bytes" + (bytes.length > 0 ? " of format " + bytes[0] : ""));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        RiskLevel leakage = level(b.get());
        LocalDate leakageSince = date(b.getInt());
        RiskLevel churn = level(b.get());
        LocalDate churnSince = date(b.getInt());
        Published published = null;
        if (b.get() == 1) {
            published = new Published(b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getInt());
        }
        return new RiskState(leakage, leakageSince, churn, churnSince, published);
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
            default -> throw new IllegalArgumentException("risk-state: unknown level code " + code);
        };
    }

    private static int day(LocalDate date) {
        return date == null ? -1 : Math.toIntExact(date.toEpochDay());
    }

    private static LocalDate date(int day) {
        return day < 0 ? null : LocalDate.ofEpochDay(day);
    }
}
