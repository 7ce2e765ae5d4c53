package io.leakwatch.features;

import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.serde.EventCodes;
import io.leakwatch.serde.StateCodes;
import io.leakwatch.serde.StateFormat;
import io.leakwatch.serde.StateReader;
import io.leakwatch.serde.StateWriter;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of {@link AccountFeatures}, part of the account state, in the {@link StateWriter} layout. Every
 * account that changed is rewritten at every commit, into RocksDB and its changelog topic, so the bytes are what the
 * features cost the rest of the machine (the broker, RocksDB's compactions, the producer): times in a list are
 * differences from the time before them, quantities compact numbers, and only 90 days of failed and successful
 * payments are kept.
 * <pre>
 * header (account-features, {@value #VERSION})
 * currency (string, "" = none) | latest (time) | first issued (time)
 * versions:     count { contract id (string) | version (zigzag) | signed at (time)
 *                       | count { service (string) | from (time after signed at) | to (time after from)
 *                                 | committed (nullable decimal) } }
 * revenue:      nullable [ first (month) | count { month (month after the previous) | amount (decimal) } ]
 * line counts:  count { month (month after the previous) | lines (zigzag) }
 * payments:     success before (time) | count { at (time after the previous) | status (code) }
 * usage:        count { service (string) | count { at (time after the previous) | quantity (number) } }
 * provisioning: count { service (string) | count { at (time after the previous) | level (number) } }
 * alerts:       count { at (time after the previous) | group (code) | amount (decimal) }
 * </pre>
 * Format {@value #WITHOUT_CONTRACT_IDS} has no contract id in a version (the account held one contract); it is
 * still read, its versions claimed by the first contract added after ({@link ContractVersions#UNKNOWN_CONTRACT}).
 * Each section after the first is coded on its own (differences run within it), so a section an event did not
 * change keeps its bytes ({@link AccountFeatures.Section}). Times are epoch milliseconds, {@link AccountFeatures#NONE}
 * for none.
 */
public final class AccountFeaturesCodec {
    public static final int VERSION = 5;
    static final int WITHOUT_CONTRACT_IDS = 4;
    static final StateFormat FORMAT = new StateFormat("account-features", VERSION);
    static final StateCodes<AccountFeatures.AlertGroup> ALERT_GROUPS =
            StateCodes.of(AccountFeatures.AlertGroup.class, group -> switch (group) {
                case RATE -> 0;
                case UNBILLED -> 1;
                case DUPLICATE -> 2;
            });
    /** A typical account's features are under 1 KB (90 days of usage per service): start there rather than grow to it. */
    private static final int ENCODED_SIZE_HINT = 2048;
    private static final List<AccountFeatures.Section> SECTIONS = java.util.Arrays.stream(AccountFeatures.Section.values())
            .filter(s -> s != AccountFeatures.Section.HEADER).toList();

    private AccountFeaturesCodec() {
    }

    /** The bytes of {@code f} on their own ({@link #write}). */
    public static byte[] encode(AccountFeatures f) {
        StateWriter out = new StateWriter(ENCODED_SIZE_HINT);
        write(out, f);
        return out.toByteArray();
    }

    /** Every section encoded afresh, ignoring and not touching the kept bytes (tests compare it with {@link #encode}). */
    static byte[] encodeFully(AccountFeatures f) {
        StateWriter out = new StateWriter(ENCODED_SIZE_HINT);
        write(out, f, false);
        return out.toByteArray();
    }

    /**
     * Writes {@code f}. A section that did not change since {@code f} was last written is copied from the bytes kept
     * then ({@link AccountFeatures.Section}); the result is the same as writing every section afresh.
     */
    public static void write(StateWriter out, AccountFeatures f) {
        write(out, f, true);
    }

    private static void write(StateWriter out, AccountFeatures f, boolean reuse) {
        out.header(FORMAT);
        out.string(f.currency() == null ? "" : f.currency());
        out.time(f.latestMs());
        out.time(f.firstIssuedMs());
        for (AccountFeatures.Section section : SECTIONS) {
            byte[] kept = reuse ? f.encoded(section) : null;
            if (kept != null) {
                out.raw(kept);
                continue;
            }
            int from = out.size();
            writeSection(out, f, section);
            if (reuse) {
                f.encoded(section, out.copyOfRange(from, out.size()));
            }
        }
    }

    private static void writeSection(StateWriter out, AccountFeatures f, AccountFeatures.Section section) {
        switch (section) {
            case HEADER -> throw new IllegalStateException("the header is always written");
            case VERSIONS -> out.list(f.versions(), (o, v) -> {
                o.string(v.contractId());
                o.zigzag(v.version());
                o.time(v.signedAt());
                o.list(v.terms(), (ot, t) -> {
                    ot.string(t.service());
                    ot.time(t.from(), v.signedAt());
                    ot.time(t.to(), t.from());
                    ot.nullable(t.committed(), StateWriter::decimal);
                });
            });
            case REVENUE -> out.nullable(f.revenue(), (o, revenue) -> {
                o.month(revenue.first());
                o.count(revenue.recorded().size());
                YearMonth previous = null;
                for (Map.Entry<YearMonth, BigDecimal> e : revenue.recorded().entrySet()) {
                    o.month(e.getKey(), previous);
                    o.decimal(e.getValue());
                    previous = e.getKey();
                }
            });
            case LINE_COUNTS -> {
                out.count(f.lineCounts().size());
                YearMonth previous = null;
                for (Map.Entry<YearMonth, Integer> e : f.lineCounts().entrySet()) {
                    out.month(e.getKey(), previous);
                    out.zigzag(e.getValue());
                    previous = e.getKey();
                }
            }
            case PAYMENTS -> {
                out.time(f.successBeforeMs());
                out.count(f.payments().size());
                long previous = 0;
                for (PaymentWindow.Entry p : f.payments()) {
                    out.time(p.at(), previous);
                    out.code(EventCodes.PAYMENT_STATUS, p.status());
                    previous = p.at();
                }
            }
            case USAGE -> {
                out.count(f.usage().size());
                f.usage().forEach((service, series) -> {
                    out.string(service);
                    out.count(series.size());
                    long previous = 0;
                    for (int i = 0; i < series.size(); i++) {
                        out.time(series.at(i), previous);
                        out.number(series.quantity(i));
                        previous = series.at(i);
                    }
                });
            }
            case PROVISIONING -> out.map(f.provisioning(), StateWriter::string, (o, levels) -> {
                o.count(levels.size());
                long previous = 0;
                for (Map.Entry<Long, Double> level : levels.entrySet()) {
                    o.time(level.getKey(), previous);
                    o.number(level.getValue());
                    previous = level.getKey();
                }
            });
            case ALERTS -> {
                out.count(f.alerts().size());
                long previous = 0;
                for (AlertWindow.Entry a : f.alerts()) {
                    out.time(a.at(), previous);
                    out.code(ALERT_GROUPS, a.group());
                    out.decimal(a.amount());
                    previous = a.at();
                }
            }
        }
    }

    /** The features {@link #encode} wrote. */
    public static AccountFeatures decode(byte[] bytes) {
        return StateReader.decode(bytes, FORMAT.name(), AccountFeaturesCodec::read);
    }

    /** Reads what {@link #write} wrote. */
    public static AccountFeatures read(StateReader in) {
        int format = in.header(FORMAT, WITHOUT_CONTRACT_IDS);
        String currency = in.string();
        long latest = in.time();
        long firstIssued = in.time();
        List<ContractVersions.Version> versions = in.list(v -> {
            String contractId = format == WITHOUT_CONTRACT_IDS ? ContractVersions.UNKNOWN_CONTRACT : v.string();
            int number = v.zigzagInt();
            long signed = v.time();
            return new ContractVersions.Version(contractId, number, signed, v.list(t -> {
                String service = t.string();
                long from = t.time(signed);
                return new ContractVersions.Term(service, from, t.time(from), t.nullable(StateReader::decimal));
            }));
        });
        RevenueHistory revenue = in.nullable(r -> {
            YearMonth first = r.month();
            Map<YearMonth, BigDecimal> months = new TreeMap<>();
            YearMonth month = null;
            for (int n = r.count(); n > 0; n--) {
                month = r.month(month);
                months.put(month, r.decimal());
            }
            return RevenueHistory.restore(currency, RevenueMonths.REVENUE_MONTHS, first, null, months, Map.of());
        });
        AccountFeatures f = AccountFeatures.restore(currency.isEmpty() ? null : currency, latest, firstIssued, revenue);
        f.versions().addAll(versions);
        YearMonth month = null;
        for (int n = in.count(); n > 0; n--) {
            month = in.month(month);
            f.lineCounts().put(month, in.zigzagInt());
        }
        f.successBefore(in.time());
        long at = 0;
        for (int n = in.count(); n > 0; n--) {
            at = in.time(at);
            f.addAttempt(at, in.code(EventCodes.PAYMENT_STATUS));
        }
        for (int services = in.count(); services > 0; services--) {
            String service = in.string();
            UsageSeries series = new UsageSeries();
            at = 0;
            for (int n = in.count(); n > 0; n--) {
                at = in.time(at);
                series.append(at, in.number());
            }
            f.usage().put(service, series);
        }
        for (int services = in.count(); services > 0; services--) {
            String service = in.string();
            TreeMap<Long, Double> levels = new TreeMap<>();
            at = 0;
            for (int n = in.count(); n > 0; n--) {
                at = in.time(at);
                levels.put(at, in.number());
            }
            f.provisioning().put(service, levels);
        }
        at = 0;
        for (int n = in.count(); n > 0; n--) {
            at = in.time(at);
            f.alerts().add(new AlertWindow.Entry(at, in.code(ALERT_GROUPS), in.decimal()));
        }
        return f;
    }
}
