package io.leakwatch.serde;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads what a {@link StateWriter} wrote (the layout is in its class comment), from a byte array. Every read is
 * checked against the bytes left, so truncated or corrupt bytes fail with a {@link CorruptStateException} that names
 * the state, the problem and the position, never with an {@link OutOfMemoryError} or a misread: a count or a length
 * larger than the bytes left is refused before anything is allocated for it. Not thread-safe.
 */
public final class StateReader {
    private final byte[] bytes;
    private final String state;
    private int position;

    /**
     * A reader of {@code bytes}, the stored form of {@code state} (named in error messages).
     */
    public StateReader(byte[] bytes, String state) {
        this.bytes = bytes;
        this.state = state;
    }

    /**
     * What {@code read} makes of {@code bytes}, which it must read to the end. A failure of {@code read} on values
     * that made no sense (a date out of range, say) is a {@link CorruptStateException} too, naming where it was.
     */
    public static <T> T decode(byte[] bytes, String state, Function<StateReader, T> read) {
        StateReader in = new StateReader(bytes, state);
        try {
            T value = read.apply(in);
            in.end();
            return value;
        } catch (CorruptStateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw in.corrupt("unreadable (" + e + ")", e);
        }
    }

    /** The format's version, checked: bytes of another layout are refused, not misread. */
    public void header(StateFormat format) {
        if (position >= bytes.length) {
            throw corrupt("no " + format.name() + " format byte");
        }
        int found = bytes[position] & 0xFF;
        if (found != format.version()) {
            String what = format.name().equals(state) ? "" : format.name() + " ";
            throw corrupt(what + "format " + found + " found where format " + format.version()
                    + " is expected: written by another version of Leakwatch, and not readable by this one");
        }
        position++;
    }

    /**
     * The format's version, checked against a range: a reader that still reads older layouts learns which one it has.
     * Bytes of a version outside {@code oldest..format.version()} are refused, not misread.
     */
    public int header(StateFormat format, int oldest) {
        if (position >= bytes.length) {
            throw corrupt("no " + format.name() + " format byte");
        }
        int found = bytes[position] & 0xFF;
        if (found < oldest || found > format.version()) {
            String what = format.name().equals(state) ? "" : format.name() + " ";
            throw corrupt(what + "format " + found + " found where formats " + oldest + " to " + format.version()
                    + " are expected: written by another version of Leakwatch, and not readable by this one");
        }
        position++;
        return found;
    }

    /** Checks that every byte was read: bytes left over mean a layout other than the reader's. */
    public void end() {
        if (position != bytes.length) {
            throw corrupt((bytes.length - position) + " bytes left after the last value");
        }
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return bytes.length - position;
    }

    /** An error naming the state and where in its bytes {@code problem} was found. */
    public CorruptStateException corrupt(String problem) {
        return new CorruptStateException(where(problem));
    }

    private CorruptStateException corrupt(String problem, Throwable cause) {
        return new CorruptStateException(where(problem), cause);
    }

    private String where(String problem) {
        return state + ": " + problem + " (at byte " + position + " of " + bytes.length + ")";
    }

    private void need(int n) {
        if (n > bytes.length - position) {
            throw corrupt("truncated: " + n + " bytes needed, " + (bytes.length - position) + " left");
        }
    }

    private int next() {
        need(1);
        return bytes[position++] & 0xFF;
    }

    public boolean bool() {
        int b = next();
        if (b > 1) {
            position--;
            throw corrupt("a boolean of " + b);
        }
        return b == 1;
    }

    public long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = next();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("a varint longer than 10 bytes");
    }

    public long zigzag() {
        return unzigzag(varint());
    }

    /** A zigzag value that must fit in an int. */
    public int zigzagInt() {
        long v = zigzag();
        if (v != (int) v) {
            throw corrupt("an int of " + v);
        }
        return (int) v;
    }

    /** A count of items that follow, each of at least one byte: one larger than the bytes left is refused. */
    public int count() {
        int at = position;
        long n = varint();
        int left = bytes.length - position;
        if (n < 0 || n > left) {
            position = at;
            throw corrupt("implausible count " + Long.toUnsignedString(n) + " with " + left + " bytes left");
        }
        return (int) n;
    }

    public int fixedInt() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (bytes[position++] & 0xFF);
        }
        return v;
    }

    public long fixedLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (bytes[position++] & 0xFF);
        }
        return v;
    }

    public double rawDouble() {
        return Double.longBitsToDouble(fixedLong());
    }

    public double number() {
        long tag = varint();
        int s = (int) (tag & 7);
        if (s == StateWriter.RAW_DOUBLE) {
            if (tag != StateWriter.RAW_DOUBLE) {
                throw corrupt("a number tag of " + Long.toUnsignedString(tag));
            }
            return rawDouble();
        }
        return unzigzag(tag >>> 3) / StateWriter.POWERS_OF_TEN[s];
    }

    public BigDecimal decimal() {
        long tag = varint();
        int scale = (int) (tag & 15);
        if (scale != StateWriter.DECIMAL_IN_FULL) {
            return BigDecimal.valueOf(unzigzag(tag >>> 4), scale);
        }
        if (tag != StateWriter.DECIMAL_IN_FULL) {
            throw corrupt("a decimal tag of " + Long.toUnsignedString(tag));
        }
        scale = zigzagInt();
        int length = count();
        if (length == 0) {
            throw corrupt("a decimal without digits");
        }
        BigInteger unscaled = new BigInteger(bytes, position, length);
        position += length;
        return new BigDecimal(unscaled, scale);
    }

    public String string() {
        int length = count();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    public byte[] bytes() {
        int length = count();
        byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    /** A time written with no base ({@link StateWriter#time(long)}). */
    public long time() {
        return time(0);
    }

    /** A time written as a difference from {@code base}; {@link StateWriter#NO_TIME} for none. */
    public long time(long base) {
        long tag = varint();
        long from = base == StateWriter.NO_TIME ? 0 : base;
        return switch ((int) (tag & 3)) {
            case 0 -> {
                if (tag != 0) {
                    throw corrupt("a time tag of " + Long.toUnsignedString(tag));
                }
                yield StateWriter.NO_TIME;
            }
            case 1 -> from + unzigzag(tag >>> 2) * 1000;
            case 2 -> from + unzigzag(tag >>> 2);
            default -> {
                if (tag != 3) {
                    throw corrupt("a time tag of " + Long.toUnsignedString(tag));
                }
                yield fixedLong();
            }
        };
    }

    /** An instant, or null for none. */
    public Instant instant() {
        long t = time();
        return t == StateWriter.NO_TIME ? null : Instant.ofEpochMilli(t);
    }

    /** A day, or null for none. */
    public LocalDate day() {
        long v = varint();
        return v == 0 ? null : LocalDate.ofEpochDay(unzigzag(v - 1));
    }

    public YearMonth month() {
        return month(null);
    }

    /** A month written as a difference from {@code base}, or null for none. */
    public YearMonth month(YearMonth base) {
        long v = varint();
        if (v == 0) {
            return null;
        }
        long month = unzigzag(v - 1) + (base == null ? 0 : StateWriter.epochMonth(base));
        return YearMonth.of(Math.toIntExact(Math.floorDiv(month, 12)), (int) Math.floorMod(month, 12) + 1);
    }

    /** The constant of a stored code; an unknown code is corrupt state. */
    public <E extends Enum<E>> E code(StateCodes<E> codes) {
        int at = position;
        long code = varint();
        E constant = codes.constant(code);
        if (constant == null) {
            position = at;
            throw corrupt("unknown " + codes.typeName() + " code " + Long.toUnsignedString(code));
        }
        return constant;
    }

    /** What {@code read} reads when the value is there, else null. */
    public <T> T nullable(Function<StateReader, T> read) {
        return bool() ? read.apply(this) : null;
    }

    /** A list written by {@link StateWriter#list}. */
    public <T> List<T> list(Function<StateReader, T> read) {
        int n = count();
        List<T> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(read.apply(this));
        }
        return items;
    }

    /** The entries written by {@link StateWriter#map}, put into {@code into}, which is returned. */
    public <K, V, M extends Map<K, V>> M map(M into, Function<StateReader, K> key, Function<StateReader, V> value) {
        for (int n = count(); n > 0; n--) {
            K k = key.apply(this);
            into.put(k, value.apply(this));
        }
        return into;
    }

    static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }
}
