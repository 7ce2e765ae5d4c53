package io.leakwatch.features;

import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.serde.BinaryOut;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Compact binary form of {@link AccountFeatures} inside the account state ({@code account-state} store). Every account
 * that changed is rewritten at every commit, into RocksDB and its changelog topic, so the bytes are what the features cost
 * the rest of the machine (the broker, RocksDB's compactions, the producer): numbers are variable-length integers,
 * times differences, and only 90 days of failed and successful payments are kept. First byte = format version
 * ({@value #VERSION}); another version is refused.
 * <pre>
 * currency(UTF, "" = none) latest(time) first_issued(time)
 * versions:     n { version(zz) signed_at(time) n { service(UTF) from(time/signed_at) to(time/from) committed(dec?) } }
 * revenue:      present(bool) [ first(zz epoch-month) n { month(zz/previous) amount(dec) } ]
 * line counts:  n { month(zz/previous) count(var) }
 * payments:     success_before(time) n { at(time/previous at) status(byte) }
 * usage, provisioning: n { service(UTF) n { at(time/previous at) value(num) } }
 * alerts:       n { at(time/previous at) group(byte) amount(dec) }
 *
 * n, var = unsigned LEB128 varint; zz = zigzag varint
 * time/base = a varint tag: 0 = none ({@link AccountFeatures#NONE}); zz(t - base in seconds) * 4 + 1 when whole
 *     seconds, zz(t - base in ms) * 4 + 2 otherwise, 3 + 8 bytes when the difference does not fit; base 0 when absent
 * str/previous = 0 = none, else 1 + characters shared with the previous string of the list, then the rest (UTF)
 * num = a double: var(zz(u) * 8 + s) when it is exactly u / 10^s (s = 0..6), else var(7) + its 8 bytes
 * dec = var(zz(unscaled) * 16 + scale) for a scale of 0..14 and an unscaled value of under 58 bits, else var(15)
 *     scale(byte) length(byte) unscaled two's-complement bytes; dec? = present(bool) [dec]
 * UTF = 2-byte length, modified UTF-8
 * </pre>
 * Each section is coded on its own (differences and shared prefixes run within it), so a section an event did not
 * change keeps its bytes ({@link AccountFeatures.Section}). Times are epoch milliseconds.
 */
public final class AccountFeaturesCodec {
    public static final byte VERSION = 3;
    /** A typical account's state is under 1 KB (90 days of usage per service): start there rather than grow to it. */
    private static final int ENCODED_SIZE_HINT = 2048;
    private static final long NO_TIME = AccountFeatures.NONE;

    private AccountFeaturesCodec() {
    }

    public static byte[] encode(AccountFeatures f) {
        return encode(f, new BinaryOut(ENCODED_SIZE_HINT));
    }

    /**
     * Encodes into {@code scratch} (reset first; its array is reused, so a caller encoding per event allocates once).
     * A part of the state that did not change since this object was last encoded is copied from the bytes kept
     * then ({@link AccountFeatures.Section}); the result is the same as a full encode ({@link #encodeFully}).
     */
    public static byte[] encode(AccountFeatures f, BinaryOut scratch) {
        return encode(f, scratch, true);
    }

    /** Every part encoded afresh, ignoring and not touching the kept bytes (tests compare it with {@link #encode}). */
    static byte[] encodeFully(AccountFeatures f) {
        return encode(f, new BinaryOut(ENCODED_SIZE_HINT), false);
    }

    private static byte[] encode(AccountFeatures f, BinaryOut scratch, boolean reuse) {
        BinaryOut out = scratch.reset();
        try {
            out.writeByte(VERSION);
            out.writeUTF(f.currency() == null ? "" : f.currency());
            writeTime(out, f.latestMs(), 0);
            writeTime(out, f.firstIssuedMs(), 0);
            for (AccountFeatures.Section section : SECTIONS) {
                byte[] kept = reuse ? f.encoded(section) : null;
                if (kept != null) {
                    out.write(kept);
                    continue;
                }
                int from = out.size();
                writeSection(out, f, section);
                if (reuse) {
                    f.encoded(section, out.copyOfRange(from, out.size()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final List<AccountFeatures.Section> SECTIONS = java.util.Arrays.stream(AccountFeatures.Section.values())
            .filter(s -> s != AccountFeatures.Section.HEADER).toList();

    private static void writeSection(BinaryOut out, AccountFeatures f, AccountFeatures.Section section) throws IOException {
        switch (section) {
            case HEADER -> throw new IllegalStateException("the header is always written");
            case VERSIONS -> {
                writeVar(out, f.versions().size());
                for (AccountFeatures.Version v : f.versions()) {
                    writeZigzag(out, v.version());
                    writeTime(out, v.signedAt(), 0);
                    writeVar(out, v.terms().size());
                    for (AccountFeatures.Term t : v.terms()) {
                        out.writeUTF(t.service());
                        writeTime(out, t.from(), v.signedAt());
                        writeTime(out, t.to(), t.from());
                        out.writeBoolean(t.committed() != null);
                        if (t.committed() != null) {
                            writeDec(out, t.committed());
                        }
                    }
                }
            }
            case REVENUE -> {
                RevenueHistory revenue = f.revenue();
                out.writeBoolean(revenue != null);
                if (revenue != null) {
                    writeZigzag(out, epochMonth(revenue.first()));
                    writeVar(out, revenue.recorded().size());
                    int previous = 0;
                    for (Map.Entry<YearMonth, BigDecimal> e : revenue.recorded().entrySet()) {
                        int month = epochMonth(e.getKey());
                        writeZigzag(out, (long) month - previous);
                        previous = month;
                        writeDec(out, e.getValue());
                    }
                }
            }
            case LINE_COUNTS -> {
                writeVar(out, f.lineCounts().size());
                int previous = 0;
                for (Map.Entry<YearMonth, Integer> e : f.lineCounts().entrySet()) {
                    int month = epochMonth(e.getKey());
                    writeZigzag(out, (long) month - previous);
                    previous = month;
                    writeZigzag(out, e.getValue());
                }
            }
            case PAYMENTS -> {
                writeTime(out, f.successBeforeMs(), 0);
                writeVar(out, f.payments().size());
                long previousAt = 0;
                for (AccountFeatures.PaymentEntry p : f.payments()) {
                    writeTime(out, p.at(), previousAt);
                    previousAt = p.at();
                    out.writeByte(p.status().ordinal());
                }
            }
            case USAGE -> writeServicePoints(out, f.usage(), UsageSeries::size, (series, points) -> {
                for (int i = 0; i < series.size(); i++) {
                    points.add(series.at(i), series.quantity(i));
                }
            });
            case PROVISIONING -> writeServicePoints(out, f.provisioning(), TreeMap::size,
                    (levels, points) -> levels.forEach(points::add));
            case ALERTS -> {
                writeVar(out, f.alerts().size());
                long previous = 0;
                for (AccountFeatures.AlertEntry a : f.alerts()) {
                    writeTime(out, a.at(), previous);
                    previous = a.at();
                    out.writeByte(a.group().ordinal());
                    writeDec(out, a.amount());
                }
            }
        }
    }

    /** Reads what {@link #encode} wrote. */
    public static AccountFeatures decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown account-features format version " + version);
            }
            return decodeFields(in);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt account-features state", e);
        }
    }

    private static AccountFeatures decodeFields(DataInputStream in) throws IOException {
        String currency = in.readUTF();
        long latest = readTime(in, 0);
        long firstIssued = readTime(in, 0);
        List<AccountFeatures.Version> versions = new ArrayList<>();
        int nVersions = readCount(in);
        for (int i = 0; i < nVersions; i++) {
            int number = (int) readZigzag(in);
            long signed = readTime(in, 0);
            int nTerms = readCount(in);
            List<AccountFeatures.Term> terms = new ArrayList<>(nTerms);
            for (int j = 0; j < nTerms; j++) {
                String service = in.readUTF();
                long from = readTime(in, signed);
                long to = readTime(in, from);
                BigDecimal committed = in.readBoolean() ? readDec(in) : null;
                terms.add(new AccountFeatures.Term(service, from, to, committed));
            }
            versions.add(new AccountFeatures.Version(number, signed, terms));
        }
        RevenueHistory revenue = null;
        if (in.readBoolean()) {
            YearMonth first = fromEpochMonth((int) readZigzag(in));
            int n = readCount(in);
            Map<YearMonth, BigDecimal> months = new TreeMap<>();
            long month = 0;
            for (int i = 0; i < n; i++) {
                month += readZigzag(in);
                months.put(fromEpochMonth((int) month), readDec(in));
            }
            revenue = RevenueHistory.restore(currency, AccountFeatures.REVENUE_MONTHS, first, null, months, Map.of());
        }
        AccountFeatures f = AccountFeatures.restore(currency.isEmpty() ? null : currency, latest, firstIssued, revenue);
        f.versions().addAll(versions);
        int nCounts = readCount(in);
        long month = 0;
        for (int i = 0; i < nCounts; i++) {
            month += readZigzag(in);
            f.lineCounts().put(fromEpochMonth((int) month), (int) readZigzag(in));
        }
        PaymentStatus[] statuses = PaymentStatus.values();
        f.successBefore(readTime(in, 0));
        int nPayments = readCount(in);
        long at = 0;
        for (int i = 0; i < nPayments; i++) {
            at = readTime(in, at);
            f.addAttempt(at, statuses[in.readUnsignedByte()]);
        }
        readServicePoints(in, f.usage(), UsageSeries::new, UsageSeries::append);
        readServicePoints(in, f.provisioning(), TreeMap::new, TreeMap::put);
        int nAlerts = readCount(in);
        AccountFeatures.AlertGroup[] groups = AccountFeatures.AlertGroup.values();
        long alertAt = 0;
        for (int i = 0; i < nAlerts; i++) {
            alertAt = readTime(in, alertAt);
            f.alerts().add(new AccountFeatures.AlertEntry(alertAt, groups[in.readUnsignedByte()], readDec(in)));
        }
        if (in.read() != -1) {
            throw new IOException("bytes left after the last section");
        }
        return f;
    }

    /** Where a series' points go, in time order, when it is written. */
    private static final class PointWriter {
        private final BinaryOut out;
        private long previous;

        PointWriter(BinaryOut out) {
            this.out = out;
        }

        void add(long at, double value) {
            writeTime(out, at, previous);
            previous = at;
            writeNumber(out, value);
        }
    }

    /** Usage and provisioning: n { service(UTF) n { at(time/previous at) value(num) } }. */
    private static <S> void writeServicePoints(BinaryOut out, Map<String, S> byService, ToIntFunction<S> size,
                                               BiConsumer<S, PointWriter> points) throws IOException {
        writeVar(out, byService.size());
        for (Map.Entry<String, S> e : byService.entrySet()) {
            out.writeUTF(e.getKey());
            writeVar(out, size.applyAsInt(e.getValue()));
            points.accept(e.getValue(), new PointWriter(out));
        }
    }

    /** Adds a point read back to its series. */
    @FunctionalInterface
    private interface PointReader<S> {
        void add(S series, long at, double value);
    }

    private static <S> void readServicePoints(DataInputStream in, Map<String, S> into, Supplier<S> empty,
                                              PointReader<S> add) throws IOException {
        int services = readCount(in);
        for (int i = 0; i < services; i++) {
            String service = in.readUTF();
            int points = readCount(in);
            S series = empty.get();
            long at = 0;
            for (int j = 0; j < points; j++) {
                at = readTime(in, at);
                add.add(series, at, readNumber(in));
            }
            into.put(service, series);
        }
    }

    // ---------------------------------------------------------------- primitives

    private static void writeVar(BinaryOut out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVar(DataInputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }

    private static int readCount(DataInputStream in) throws IOException {
        long n = readVar(in);
        if (n < 0 || n > 1_000_000) {
            throw new IOException("implausible count " + n);
        }
        return (int) n;
    }

    private static void writeZigzag(BinaryOut out, long value) {
        writeVar(out, (value << 1) ^ (value >> 63));
    }

    private static long readZigzag(DataInputStream in) throws IOException {
        long v = readVar(in);
        return (v >>> 1) ^ -(v & 1);
    }

    /** Differences beyond this many ms (about 18 million years) are written whole: zigzag * 4 stays in a long. */
    private static final long MAX_TIME_DIFFERENCE = 1L << 59;

    /** {@code t} as a difference from {@code base} (see the class comment); {@link #NO_TIME} as a base counts as 0. */
    static void writeTime(BinaryOut out, long t, long base) {
        if (t == NO_TIME) {
            writeVar(out, 0);
            return;
        }
        long from = base == NO_TIME ? 0 : base;
        long d = t - from;
        if (((t ^ from) & (t ^ d)) < 0 || d >= MAX_TIME_DIFFERENCE || d <= -MAX_TIME_DIFFERENCE) {
            writeVar(out, 3);           // overflowed or too far apart: the time itself
            out.writeLong(t);
        } else if (d % 1000 == 0) {
            writeVar(out, zigzag(d / 1000) << 2 | 1);
        } else {
            writeVar(out, zigzag(d) << 2 | 2);
        }
    }

    static long readTime(DataInputStream in, long base) throws IOException {
        long tag = readVar(in);
        long from = base == NO_TIME ? 0 : base;
        return switch ((int) (tag & 3)) {
            case 0 -> {
                if (tag != 0) {
                    throw new IOException("bad time tag " + tag);
                }
                yield NO_TIME;
            }
            case 1 -> from + unzigzag(tag >>> 2) * 1000;
            case 2 -> from + unzigzag(tag >>> 2);
            default -> in.readLong();
        };
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    private static final double[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final int RAW_DOUBLE = 7;
    /** Below 2^53, every integer is a double: u / 10^s is then one correctly rounded division, the same on decode. */
    private static final double EXACT_INTEGERS = 0x1p53;

    /**
     * A quantity parsed from a decimal ("5855.1918") as the shortest u / 10^s that gives back exactly the same
     * double (checked here, so decoding cannot differ), else its 8 bytes.
     */
    static void writeNumber(BinaryOut out, double value) {
        long tag = decimalTag(value);
        if (tag >= 0) {
            writeVar(out, tag);
        } else {
            writeVar(out, RAW_DOUBLE);
            out.writeDouble(value);
        }
    }

    /** Below 2^52, value * 10^6 rounds to the exact integer u * 10^(6 - s) whenever value is u / 10^s. */
    private static final double ONE_ROUNDING = 0x1p52;

    /**
     * zz(u) * 8 + s for the fewest decimals s (0..6) with u / 10^s exactly {@code value}, or -1 when there are none.
     * One multiplication by 10^6 and the trailing zeros of the result find it (a usage section is encoded at every
     * write-back, a point each); {@link #decimalTagBySearch} tries s = 0, 1, ... where that cannot be shown exact.
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
                return zigzag(u) << 3 | s;
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
                return zigzag(u) << 3 | s;
            }
        }
        return -1;
    }

    static double readNumber(DataInputStream in) throws IOException {
        long tag = readVar(in);
        int s = (int) (tag & 7);
        if (s == RAW_DOUBLE) {
            if (tag != RAW_DOUBLE) {
                throw new IOException("bad number tag " + tag);
            }
            return in.readDouble();
        }
        return unzigzag(tag >>> 3) / POWERS_OF_TEN[s];
    }

    private static final int DECIMAL_IN_FULL = 15;
    private static final int INLINE_UNSCALED_BITS = 58;

    /**
     * A decimal of scale 0..14 whose unscaled value has under 58 bits: var(zz(unscaled) * 16 + scale), 2-4 bytes for an
     * invoice total; any other: var(15) and {@link #writeDecimal}.
     */
    static void writeDec(BinaryOut out, BigDecimal value) {
        int scale = value.scale();
        BigInteger unscaled = value.unscaledValue();
        if (scale >= 0 && scale < DECIMAL_IN_FULL && unscaled.bitLength() < INLINE_UNSCALED_BITS) {
            writeVar(out, zigzag(unscaled.longValue()) << 4 | scale);   // zigzag < 2^58: shifted, still a long
            return;
        }
        writeVar(out, DECIMAL_IN_FULL);
        writeDecimal(out, value);
    }

    static BigDecimal readDec(DataInputStream in) throws IOException {
        long tag = readVar(in);
        int scale = (int) (tag & 15);
        if (scale == DECIMAL_IN_FULL) {
            if (tag != DECIMAL_IN_FULL) {
                throw new IOException("bad decimal tag " + tag);
            }
            return readDecimal(in);
        }
        return BigDecimal.valueOf(unzigzag(tag >>> 4), scale);
    }

    // ---------------------------------------------------------------- decimals too large for the inline form

    private static void writeDecimal(BinaryOut out, BigDecimal value) {
        BigInteger unscaled = value.unscaledValue();
        if (value.scale() < Byte.MIN_VALUE || value.scale() > Byte.MAX_VALUE || unscaled.bitLength() / 8 + 1 > 255) {
            throw new IllegalArgumentException("decimal out of range for the account-features state: " + value);
        }
        out.writeByte(value.scale());
        out.writeUnscaled(unscaled);
    }

    private static BigDecimal readDecimal(DataInputStream in) throws IOException {
        int scale = in.readByte();
        byte[] unscaled = new byte[in.readUnsignedByte()];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    private static int epochMonth(YearMonth month) {
        return month == null ? Integer.MIN_VALUE : month.getYear() * 12 + month.getMonthValue() - 1;
    }

    private static YearMonth fromEpochMonth(int value) {
        return value == Integer.MIN_VALUE ? null : YearMonth.of(Math.floorDiv(value, 12), Math.floorMod(value, 12) + 1);
    }
}
