package io.leakwatch.detect.baseline;

import io.leakwatch.detect.baseline.RevenueHistory.Mark;
import io.leakwatch.serde.StateCodes;
import io.leakwatch.serde.StateFormat;
import io.leakwatch.serde.StateReader;
import io.leakwatch.serde.StateWriter;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of a {@link RevenueHistory}, part of the account state (rewritten on every invoice line), in the
 * {@link StateWriter} layout:
 * <pre>
 * header (revenue-history, {@value #VERSION})
 * currency (string) | capacity (zigzag) | first (month) | judged through (month)
 * revenue: count { month (month after the previous) | amount (decimal) }
 * marks:   count { month (month after the previous) | mark (code) }
 * prices:  count { month (month after the previous) | at the month's prices (decimal) | at the month before's (decimal) }
 * </pre>
 * Months are in increasing order, each written as the difference from the one before it (the first from none).
 * Format 3 (no prices section) is still read: a state written before the price effects reads as a history whose
 * months moved no price, so an upgrade needs no state reset.
 */
public final class RevenueHistoryCodec {
    static final int VERSION = 4;
    /** The format before the price effects: read as a history with none (its months judged as billed). */
    static final int WITHOUT_PRICES = 3;
    static final StateFormat FORMAT = new StateFormat("revenue-history", VERSION);
    static final StateCodes<Mark> MARKS = StateCodes.of(Mark.class, mark -> switch (mark) {
        case NONE -> 0;
        case SPIKE -> 1;
        case DROP -> 2;
        case SPIKE_CONTINUED -> 3;
        case DROP_CONTINUED -> 4;
        case EROSION -> 5;
        case EROSION_CONTINUED -> 6;
    });

    private RevenueHistoryCodec() {
    }

    /** The bytes of {@code history} on their own. */
    public static byte[] encode(RevenueHistory history) {
        StateWriter out = new StateWriter(64 + 4 * history.recorded().size());
        write(out, history);
        return out.toByteArray();
    }

    /** The history {@link #encode} wrote. */
    public static RevenueHistory decode(byte[] bytes) {
        return StateReader.decode(bytes, FORMAT.name(), RevenueHistoryCodec::read);
    }

    public static void write(StateWriter out, RevenueHistory h) {
        out.header(FORMAT);
        out.string(h.currency());
        out.zigzag(h.capacity());
        out.month(h.first());
        out.month(h.judgedThrough());
        out.count(h.recorded().size());
        YearMonth previous = null;
        for (Map.Entry<YearMonth, BigDecimal> e : h.recorded().entrySet()) {
            out.month(e.getKey(), previous);
            out.decimal(e.getValue());
            previous = e.getKey();
        }
        out.count(h.marks().size());
        previous = null;
        for (Map.Entry<YearMonth, Mark> e : h.marks().entrySet()) {
            out.month(e.getKey(), previous);
            out.code(MARKS, e.getValue());
            previous = e.getKey();
        }
        out.count(h.priceEffects().size());
        previous = null;
        for (Map.Entry<YearMonth, RevenueHistory.PriceEffect> e : h.priceEffects().entrySet()) {
            out.month(e.getKey(), previous);
            out.decimal(e.getValue().atPrices());
            out.decimal(e.getValue().atPriorPrices());
            previous = e.getKey();
        }
    }

    public static RevenueHistory read(StateReader in) {
        int version = in.header(FORMAT, WITHOUT_PRICES);
        String currency = in.string();
        int capacity = in.zigzagInt();
        YearMonth first = in.month();
        YearMonth judgedThrough = in.month();
        Map<YearMonth, BigDecimal> revenue = new TreeMap<>();
        YearMonth month = null;
        for (int n = in.count(); n > 0; n--) {
            month = in.month(month);
            revenue.put(month, in.decimal());
        }
        Map<YearMonth, Mark> marks = new TreeMap<>();
        month = null;
        for (int n = in.count(); n > 0; n--) {
            month = in.month(month);
            marks.put(month, in.code(MARKS));
        }
        Map<YearMonth, RevenueHistory.PriceEffect> prices = new TreeMap<>();
        month = null;
        for (int n = version == WITHOUT_PRICES ? 0 : in.count(); n > 0; n--) {
            month = in.month(month);
            prices.put(month, new RevenueHistory.PriceEffect(in.decimal(), in.decimal()));
        }
        return RevenueHistory.restore(currency, capacity, first, judgedThrough, revenue, marks, prices);
    }
}
