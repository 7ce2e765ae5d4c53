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

/**
 * Compact binary form of {@link AccountFeatures} for the {@code account-features} store (rewritten at every commit
 * for every account that changed, so no JSON). First byte = format version ({@value #VERSION}); then, with {@link java.io.DataOutput} primitives
 * (written by {@link BinaryOut}, read by a {@link DataInputStream}):
 * <pre>
 * currency(UTF, "" = none) latest(long) first_issued(long)
 * versions:     n(byte)  { version(int) signed_at(long) n(short) { service(UTF) from(long) to(long) committed(dec?) } }
 * revenue:      present(bool) [ first(int epoch-month) n(short) { month(int) amount(dec) } ]
 * line counts:  n(short) { month(int) count(int) }
 * invoices:     n(short) { id(UTF) issued(long) due(long) total(dec) }
 * payments:     n(short) { at(long) status(byte) invoice(UTF, "" = none) amount(dec) }
 * usage, provisioning: n(short) { service(UTF) n(short) { at(long) value(double) } }
 * alerts:       n(short) { at(long) group(byte) amount(dec) }
 * dec = scale(byte) length(byte) unscaled two's-complement bytes; dec? = present(bool) [dec]
 * </pre>
 * Times are epoch milliseconds; {@link AccountFeatures#NONE} stands for "none".
 */
public final class AccountFeaturesCodec {
    public static final byte VERSION = 1;
    /** A typical account's state is 1-4 KB (90 days of usage per service): start there rather than grow to it. */
    private static final int ENCODED_SIZE_HINT = 4096;

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
            out.writeLong(f.latestMs());
            out.writeLong(f.firstIssuedMs());
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
                out.writeByte(f.versions().size());
                for (AccountFeatures.Version v : f.versions()) {
                    out.writeInt(v.version());
                    out.writeLong(v.signedAt());
                    out.writeShort(v.terms().size());
                    for (AccountFeatures.Term t : v.terms()) {
                        out.writeUTF(t.service());
                        out.writeLong(t.from());
                        out.writeLong(t.to());
                        out.writeBoolean(t.committed() != null);
                        if (t.committed() != null) {
                            writeDecimal(out, t.committed());
                        }
                    }
                }
            }
            case REVENUE -> {
                RevenueHistory revenue = f.revenue();
                out.writeBoolean(revenue != null);
                if (revenue != null) {
                    out.writeInt(epochMonth(revenue.first()));
                    out.writeShort(revenue.recorded().size());
                    for (Map.Entry<YearMonth, BigDecimal> e : revenue.recorded().entrySet()) {
                        out.writeInt(epochMonth(e.getKey()));
                        writeDecimal(out, e.getValue());
                    }
                }
            }
            case LINE_COUNTS -> {
                out.writeShort(f.lineCounts().size());
                for (Map.Entry<YearMonth, Integer> e : f.lineCounts().entrySet()) {
                    out.writeInt(epochMonth(e.getKey()));
                    out.writeInt(e.getValue());
                }
            }
            case INVOICES -> {
                out.writeShort(f.invoices().size());
                for (Map.Entry<String, AccountFeatures.Invoice> e : f.invoices().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeLong(e.getValue().issuedAt());
                    out.writeLong(e.getValue().dueAt());
                    writeDecimal(out, e.getValue().total());
                }
            }
            case PAYMENTS -> {
                out.writeShort(f.payments().size());
                for (AccountFeatures.PaymentEntry p : f.payments()) {
                    out.writeLong(p.at());
                    out.writeByte(p.status().ordinal());
                    out.writeUTF(p.invoiceId() == null ? "" : p.invoiceId());
                    writeDecimal(out, p.amount());
                }
            }
            case USAGE -> writeUsage(out, f.usage());
            case PROVISIONING -> writeSeries(out, f.provisioning());
            case ALERTS -> {
                out.writeShort(f.alerts().size());
                for (AccountFeatures.AlertEntry a : f.alerts()) {
                    out.writeLong(a.at());
                    out.writeByte(a.group().ordinal());
                    writeDecimal(out, a.amount());
                }
            }
        }
    }

    public static AccountFeatures decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown account-features format version " + version);
            }
            String currency = in.readUTF();
            long latest = in.readLong();
            long firstIssued = in.readLong();
            List<AccountFeatures.Version> versions = new ArrayList<>();
            int nVersions = in.readUnsignedByte();
            for (int i = 0; i < nVersions; i++) {
                int number = in.readInt();
                long signed = in.readLong();
                int nTerms = in.readUnsignedShort();
                List<AccountFeatures.Term> terms = new ArrayList<>(nTerms);
                for (int j = 0; j < nTerms; j++) {
                    String service = in.readUTF();
                    long from = in.readLong();
                    long to = in.readLong();
                    BigDecimal committed = in.readBoolean() ? readDecimal(in) : null;
                    terms.add(new AccountFeatures.Term(service, from, to, committed));
                }
                versions.add(new AccountFeatures.Version(number, signed, terms));
            }
            RevenueHistory revenue = null;
            if (in.readBoolean()) {
                YearMonth first = fromEpochMonth(in.readInt());
                int n = in.readUnsignedShort();
                Map<YearMonth, BigDecimal> months = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    months.put(fromEpochMonth(in.readInt()), readDecimal(in));
                }
                revenue = RevenueHistory.restore(currency, AccountFeatures.REVENUE_MONTHS, first, null, months, Map.of());
            }
            AccountFeatures f = AccountFeatures.restore(currency.isEmpty() ? null : currency, latest, firstIssued, revenue);
            f.versions().addAll(versions);
            int nCounts = in.readUnsignedShort();
            for (int i = 0; i < nCounts; i++) {
                f.lineCounts().put(fromEpochMonth(in.readInt()), in.readInt());
            }
            int nInvoices = in.readUnsignedShort();
            for (int i = 0; i < nInvoices; i++) {
                f.invoices().put(in.readUTF(), new AccountFeatures.Invoice(in.readLong(), in.readLong(), readDecimal(in)));
            }
            int nPayments = in.readUnsignedShort();
            PaymentStatus[] statuses = PaymentStatus.values();
            for (int i = 0; i < nPayments; i++) {
                long at = in.readLong();
                PaymentStatus status = statuses[in.readUnsignedByte()];
                String invoice = in.readUTF();
                f.payments().add(new AccountFeatures.PaymentEntry(at, status, invoice.isEmpty() ? null : invoice,
                        readDecimal(in)));
            }
            readUsage(in, f.usage());
            readSeries(in, f.provisioning());
            int nAlerts = in.readUnsignedShort();
            AccountFeatures.AlertGroup[] groups = AccountFeatures.AlertGroup.values();
            for (int i = 0; i < nAlerts; i++) {
                f.alerts().add(new AccountFeatures.AlertEntry(in.readLong(), groups[in.readUnsignedByte()], readDecimal(in)));
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt account-features state", e);
        }
    }

    /** The same layout as {@link #writeSeries}. */
    private static void writeUsage(BinaryOut out, TreeMap<String, UsageSeries> usage) throws IOException {
        out.writeShort(usage.size());
        for (Map.Entry<String, UsageSeries> e : usage.entrySet()) {
            out.writeUTF(e.getKey());
            UsageSeries points = e.getValue();
            out.writeShort(points.size());
            for (int i = 0; i < points.size(); i++) {
                out.writeLong(points.at(i));
                out.writeDouble(points.quantity(i));
            }
        }
    }

    private static void readUsage(DataInputStream in, TreeMap<String, UsageSeries> into) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            String service = in.readUTF();
            int points = in.readUnsignedShort();
            UsageSeries series = new UsageSeries();
            for (int j = 0; j < points; j++) {
                series.append(in.readLong(), in.readDouble());
            }
            into.put(service, series);
        }
    }

    private static void writeSeries(BinaryOut out, TreeMap<String, TreeMap<Long, Double>> series) throws IOException {
        out.writeShort(series.size());
        for (Map.Entry<String, TreeMap<Long, Double>> e : series.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeShort(e.getValue().size());
            for (Map.Entry<Long, Double> point : e.getValue().entrySet()) {
                out.writeLong(point.getKey());
                out.writeDouble(point.getValue());
            }
        }
    }

    private static void readSeries(DataInputStream in, TreeMap<String, TreeMap<Long, Double>> into) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            String service = in.readUTF();
            int points = in.readUnsignedShort();
            TreeMap<Long, Double> values = new TreeMap<>();
            for (int j = 0; j < points; j++) {
                values.put(in.readLong(), in.readDouble());
            }
            into.put(service, values);
        }
    }

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
