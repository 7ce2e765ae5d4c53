package io.leakwatch.detect.baseline;

import io.leakwatch.detect.baseline.RevenueHistory.Mark;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compact binary form of a {@link RevenueHistory} for the {@code revenue-history} store and its changelog (it is
 * rewritten on every invoice line, so it should be cheap to read and write). Big-endian, {@code DataOutput}:
 * <pre>
 * byte    version = 2
 * UTF     currency
 * short   capacity
 * int     first            (month index = year * 12 + month - 1; -1 = none)
 * int     judged_through   (month index; -1 = none)
 * short   n, then n x { int month, int scale, short length, byte[length] unscaled two's complement }   revenue
 * short   m, then m x { int month, byte mark code }                                                   marks
 * </pre>
 * Mark codes are {@link Mark} ordinals: append new marks at the end, never reorder. Another version is refused.
 */
public final class RevenueHistoryCodec {
    static final byte VERSION = 2;
    private static final Mark[] MARKS = Mark.values();

    private RevenueHistoryCodec() {
    }

    /** The bytes of {@code state}; null for null. */
    public static byte[] encode(RevenueHistory h) {
        if (h == null) {
            return null;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + 16 * h.recorded().size());
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeUTF(h.currency());
            out.writeShort(h.capacity());
            out.writeInt(index(h.first()));
            out.writeInt(index(h.judgedThrough()));
            out.writeShort(h.recorded().size());
            for (Map.Entry<YearMonth, BigDecimal> e : h.recorded().entrySet()) {
                out.writeInt(index(e.getKey()));
                out.writeInt(e.getValue().scale());
                byte[] unscaled = e.getValue().unscaledValue().toByteArray();
                out.writeShort(unscaled.length);
                out.write(unscaled);
            }
            Map<YearMonth, Mark> marks = new TreeMap<>(h.marks());
            out.writeShort(marks.size());
            for (Map.Entry<YearMonth, Mark> e : marks.entrySet()) {
                out.writeInt(index(e.getKey()));
                out.writeByte(e.getValue().ordinal());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write revenue history", e);
        }
        return buffer.toByteArray();
    }

    /** The state {@code bytes} hold; null for null. */
    public static RevenueHistory decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown revenue history version " + version);
            }
            String currency = in.readUTF();
            int capacity = in.readShort();
            YearMonth first = month(in.readInt());
            YearMonth judgedThrough = month(in.readInt());
            Map<YearMonth, BigDecimal> revenue = new TreeMap<>();
            for (int i = in.readShort(); i > 0; i--) {
                YearMonth m = month(in.readInt());
                int scale = in.readInt();
                byte[] unscaled = new byte[in.readShort()];
                in.readFully(unscaled);
                revenue.put(m, new BigDecimal(new BigInteger(unscaled), scale));
            }
            Map<YearMonth, Mark> marks = new TreeMap<>();
            for (int i = in.readShort(); i > 0; i--) {
                YearMonth m = month(in.readInt());
                marks.put(m, MARKS[in.readByte()]);
            }
            return RevenueHistory.restore(currency, capacity, first, judgedThrough, revenue, marks);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read revenue history: " + e.getMessage(), e);
        }
    }

    private static int index(YearMonth m) {
        return m == null ? -1 : m.getYear() * 12 + m.getMonthValue() - 1;
    }

    private static YearMonth month(int index) {
        return index < 0 ? null : YearMonth.of(index / 12, index % 12 + 1);
    }
}
