package io.leakwatch.serde;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes stored state (the account state and its parts) in the one binary layout of every state codec; a
 * {@link StateReader} reads it back. A codec says only what it writes, in order; how each kind of value is written
 * is here, once:
 * <pre>
 * header      the format's version, one byte ({@link StateFormat})
 * varint      unsigned LEB128: 7 bits a byte, low first, high bit = more follow (1 byte below 128, at most 10)
 * zigzag      a signed value as varint((v &lt;&lt; 1) ^ (v &gt;&gt; 63)): small magnitudes of either sign stay short
 * count       varint; a reader refuses one larger than the bytes left (every item takes at least one byte)
 * bool        one byte, 0 or 1;  nullable(x) = bool present, then x when present
 * string      count of UTF-8 bytes, then the bytes (no length limit)
 * bytes       count, then the bytes
 * fixed       int 4 / long 8 bytes big-endian: hashes, which no varint shortens; raw double = its 8 IEEE bytes
 * number      a double parsed from a decimal: varint(zigzag(u) * 8 + s) when it is exactly u / 10^s (s = 0..6),
 *             else varint(7) and its 8 bytes; every double, NaN and -0.0 included, reads back bit for bit
 * decimal     varint(zigzag(unscaled) * 16 + scale) for a scale of 0..14 and an unscaled value of under 58 bits
 *             (2-4 bytes for an invoice amount); any other: varint(15), zigzag(scale), count, the unscaled value's
 *             minimal two's-complement bytes, big-endian
 * time        epoch ms t as a difference from a base (0 when not given): varint tag 0 = none ({@link #NO_TIME}),
 *             zigzag(t - base in seconds) * 4 + 1 when whole seconds, zigzag(t - base in ms) * 4 + 2 otherwise,
 *             3 then 8 bytes of t when the difference does not fit; instant = time of its epoch ms, null = none
 * day, month  varint 0 = none, else zigzag(epoch day | epoch month - base's) + 1 (epoch month = year * 12 + month - 1)
 * code        varint of the constant's stable code ({@link StateCodes}), never its ordinal
 * </pre>
 * Over a {@link BinaryOut}: appending allocates only when the array grows, and {@link #reset} keeps it, so one writer
 * can serve every encode of a thread. Not thread-safe.
 */
public final class StateWriter {
    /** The time that {@link #time} writes as "none" (and {@link StateReader#time} reads back). */
    public static final long NO_TIME = Long.MIN_VALUE;

    static final int RAW_DOUBLE = 7;
    static final double[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    static final int DECIMAL_IN_FULL = 15;
    private static final int INLINE_UNSCALED_BITS = 58;
    /** Time differences beyond this many ms (about 18 million years) are written whole: zigzag * 4 stays in a long. */
    private static final long MAX_TIME_DIFFERENCE = 1L << 59;
    /** Below 2^53, every integer is a double: u / 10^s is then one correctly rounded division, the same on decode. */
    private static final double EXACT_INTEGERS = 0x1p53;
    /** Below 2^52, value * 10^6 rounds to the exact integer u * 10^(6 - s) whenever value is u / 10^s. */
    private static final double ONE_ROUNDING = 0x1p52;

    private final BinaryOut out;

    public StateWriter(int initialCapacity) {
        out = new BinaryOut(initialCapacity);
    }

    /** Forgets what was written, keeping the array. */
    public StateWriter reset() {
        out.reset();
        return this;
    }

    public int size() {
        return out.size();
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A copy of the bytes written from {@code from} (inclusive) to {@code to} (exclusive): a part to keep. */
    public byte[] copyOfRange(int from, int to) {
        return out.copyOfRange(from, to);
    }

    /** Bytes written by a writer before (a part kept from an earlier encode, {@link #copyOfRange}), as they are. */
    public void raw(byte[] bytes) {
        out.write(bytes);
    }

    public void header(StateFormat format) {
        out.writeByte(format.version());
    }

    public void bool(boolean value) {
        out.writeByte(value ? 1 : 0);
    }

    /** {@code value} as an unsigned varint (a negative long takes 10 bytes: prefer {@link #zigzag} for those). */
    public void varint(long value) {
        out.writeVarint(value);
    }

    public void zigzag(long value) {
        varint(zigzagOf(value));
    }

    /** How many items follow. */
    public void count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
        varint(n);
    }

    public void fixedInt(int value) {
        out.writeInt(value);
    }

    public void fixedLong(long value) {
        out.writeLong(value);
    }

    public void rawDouble(double value) {
        out.writeDouble(value);
    }

    /** A quantity parsed from a decimal ("5855.1918"): 1-5 bytes when it is one, else 9 (see the class comment). */
    public void number(double value) {
        long tag = decimalTag(value);
        if (tag >= 0) {
            varint(tag);
        } else {
            varint(RAW_DOUBLE);
            out.writeDouble(value);
        }
    }

    public void decimal(BigDecimal value) {
        int scale = value.scale();
        BigInteger unscaled = value.unscaledValue();
        if (scale >= 0 && scale < DECIMAL_IN_FULL && unscaled.bitLength() < INLINE_UNSCALED_BITS) {
            varint(zigzagOf(unscaled.longValue()) << 4 | scale);   // zigzag < 2^58: shifted, still a long
            return;
        }
        varint(DECIMAL_IN_FULL);
        zigzag(scale);
        if (unscaled.bitLength() < Long.SIZE) {
            writeUnscaled(unscaled.longValue(), unscaled.bitLength() / 8 + 1);
        } else {
            bytes(unscaled.toByteArray());
        }
    }

    /** The low {@code length} bytes of {@code v}, big-endian, after their count: without allocating an array. */
    private void writeUnscaled(long v, int length) {
        count(length);
        for (int shift = (length - 1) * 8; shift >= 0; shift -= 8) {
            out.writeByte((int) (v >>> shift));
        }
    }

    /**
     * {@code value} in UTF-8 after its length. An ASCII string (ids, codes, currencies: nearly all) is copied without
     * an intermediate array. A lone surrogate, which is no text, is written as '?', as every UTF-8 encoder does.
     */
    public void string(String value) {
        int at = out.size();
        count(value.length());      // in ASCII, as many bytes as characters
        if (!out.writeAscii(value)) {
            out.truncate(at);
            bytes(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    public void bytes(byte[] value) {
        count(value.length);
        out.write(value);
    }

    /** Epoch ms {@code t} (or {@link #NO_TIME}) as itself: 5 bytes for a time of this century in whole seconds. */
    public void time(long t) {
        time(t, 0);
    }

    /**
     * Epoch ms {@code t} (or {@link #NO_TIME}) as a difference from {@code base}, which the reader must know (the
     * time before it in a list, the start of its interval): 1-3 bytes for a time near its base. {@link #NO_TIME} as
     * a base counts as 0. Every long reads back as itself.
     */
    public void time(long t, long base) {
        if (t == NO_TIME) {
            varint(0);
            return;
        }
        long from = base == NO_TIME ? 0 : base;
        long d = t - from;
        if (((t ^ from) & (t ^ d)) < 0 || d >= MAX_TIME_DIFFERENCE || d <= -MAX_TIME_DIFFERENCE) {
            varint(3);           // overflowed or too far apart: the time itself
            out.writeLong(t);
        } else if (d % 1000 == 0) {
            varint(zigzagOf(d / 1000) << 2 | 1);
        } else {
            varint(zigzagOf(d) << 2 | 2);
        }
    }

    /**
     * {@code value} to the millisecond, or none for null. (The instant of epoch ms {@link Long#MIN_VALUE}, 292
     * million years ago, is none too.)
     */
    public void instant(Instant value) {
        time(value == null ? NO_TIME : value.toEpochMilli());
    }

    /** {@code value} as its epoch day, or none for null. */
    public void day(LocalDate value) {
        varint(value == null ? 0 : zigzagOf(value.toEpochDay()) + 1);
    }

    public void month(YearMonth value) {
        month(value, null);
    }

    /** {@code value} (or none for null) as a difference in months from {@code base} (0 when null). */
    public void month(YearMonth value, YearMonth base) {
        varint(value == null ? 0 : zigzagOf(epochMonth(value) - (base == null ? 0 : epochMonth(base))) + 1);
    }

    public <E extends Enum<E>> void code(StateCodes<E> codes, E value) {
        varint(codes.code(value));
    }

    /** Whether {@code value} is there, then {@code value} written by {@code write} when it is. */
    public <T> void nullable(T value, BiConsumer<StateWriter, ? super T> write) {
        bool(value != null);
        if (value != null) {
            write.accept(this, value);
        }
    }

    /** The count of {@code items}, then each, in iteration order. */
    public <T> void list(Collection<T> items, BiConsumer<StateWriter, ? super T> write) {
        count(items.size());
        for (T item : items) {
            write.accept(this, item);
        }
    }

    /** The count of {@code map}'s entries, then each key and its value, in iteration order. */
    public <K, V> void map(Map<K, V> map, BiConsumer<StateWriter, ? super K> key, BiConsumer<StateWriter, ? super V> value) {
        count(map.size());
        map.forEach((k, v) -> {      // not entrySet(): an unmodifiable view wraps every entry it iterates
            key.accept(this, k);
            value.accept(this, v);
        });
    }

    static long zigzagOf(long value) {
        return (value << 1) ^ (value >> 63);
    }

    static long epochMonth(YearMonth month) {
        return month.getYear() * 12L + month.getMonthValue() - 1;
    }

    /**
     * zigzag(u) * 8 + s for the fewest decimals s (0..6) with u / 10^s exactly {@code value}, or -1 when there are
     * none. One multiplication by 10^6 and the trailing zeros of the result find it (a usage series is written a
     * point at a time); {@link #decimalTagBySearch} tries s = 0, 1, ... where that cannot be shown exact.
     */
    static long decimalTag(double value) {
        double scaled = value * POWERS_OF_TEN[6];
        if (Math.abs(scaled) < ONE_ROUNDING) {
            long u = Math.round(scaled);
            int s = 6;
            while (s > 0 && u % 10 == 0) {
                u /= 10;
                s--;
            }
            if (Double.doubleToRawLongBits(u / POWERS_OF_TEN[s]) == Double.doubleToRawLongBits(value)) {
                return zigzagOf(u) << 3 | s;
            }
        }
        return decimalTagBySearch(value);
    }

    /** {@link #decimalTag} by trying each s from 0 (the definition; the tests compare the two). */
    static long decimalTagBySearch(double value) {
        for (int s = 0; s < POWERS_OF_TEN.length; s++) {
            double scaled = value * POWERS_OF_TEN[s];
            if (!(Math.abs(scaled) < EXACT_INTEGERS)) {
                break;
            }
            long u = Math.round(scaled);
            if (Double.doubleToRawLongBits(u / POWERS_OF_TEN[s]) == Double.doubleToRawLongBits(value)) {
                return zigzagOf(u) << 3 | s;
            }
        }
        return -1;
    }
}
