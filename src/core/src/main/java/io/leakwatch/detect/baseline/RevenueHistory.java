package io.leakwatch.detect.baseline;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One account's monthly recognised revenue, in one currency, and what the baseline rule already said about it.
 * Kafka-free and mutable; the processor keeps one per account in a state store.
 *
 * <pre>
 * revenue(P) = Σ line_total of the account's lines with service_period_start in P   (P = calendar month UTC)
 *            = 0 for a month at or after first() with no line (a silent month is zero revenue, not a gap)
 * </pre>
 * Bounded: only the newest {@code capacity} months (by period, not by arrival) are kept; {@link #first()} stays,
 * because cold start counts months since the first invoiced one.
 */
public final class RevenueHistory {

    /** What the rule concluded for a judged month. Only {@link #SPIKE}, {@link #DROP} and {@link #EROSION} alert. */
    public enum Mark {
        NONE, SPIKE, DROP, SPIKE_CONTINUED, DROP_CONTINUED, EROSION, EROSION_CONTINUED;

        /** A month that is (part of) a single-month anomaly: it never belongs to an erosion run. */
        public boolean pointAnomaly() {
            return this == SPIKE || this == DROP || this == SPIKE_CONTINUED || this == DROP_CONTINUED;
        }

        public boolean erosion() {
            return this == EROSION || this == EROSION_CONTINUED;
        }

        public boolean alerts() {
            return this == SPIKE || this == DROP || this == EROSION;
        }
    }

    private final String currency;
    private final int capacity;
    private YearMonth first;
    private YearMonth judgedThrough;
    private final TreeMap<YearMonth, BigDecimal> revenue = new TreeMap<>();
    private final TreeMap<YearMonth, Mark> marks = new TreeMap<>();

    public RevenueHistory(String currency, int capacity) {
        this.currency = Objects.requireNonNull(currency);
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.capacity = capacity;
    }

    /** Adds an invoice line's total to its month. Returns false when the month is older than the kept history. */
    public boolean add(YearMonth period, BigDecimal lineTotal) {
        if (!revenue.isEmpty() && period.isBefore(revenue.lastKey().minusMonths(capacity - 1))) {
            return false;
        }
        revenue.merge(period, lineTotal, BigDecimal::add);
        if (first == null || period.isBefore(first)) {
            first = period;
        }
        trim();
        return true;
    }

    private void trim() {
        YearMonth oldestKept = revenue.lastKey().minusMonths(capacity - 1);
        revenue.headMap(oldestKept, false).clear();
        marks.headMap(oldestKept, false).clear();
    }

    /** Revenue of a month: zero when nothing was billed for it (from {@link #first()} on). */
    public BigDecimal revenue(YearMonth period) {
        return revenue.getOrDefault(period, BigDecimal.ZERO);
    }

    /** Months from {@link #first()} up to, not including, {@code period}: the history available to judge it. */
    public int monthsBefore(YearMonth period) {
        return first == null ? 0 : (int) Math.max(0, ChronoUnit.MONTHS.between(first, period));
    }

    /** Revenue of the {@code n} months ending at {@code last} (inclusive), oldest first; missing months are zero. */
    public List<BigDecimal> series(YearMonth last, int n) {
        List<BigDecimal> values = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            values.add(revenue(last.minusMonths(i)));
        }
        return values;
    }

    public Mark mark(YearMonth period) {
        return marks.getOrDefault(period, Mark.NONE);
    }

    void mark(YearMonth period, Mark mark) {
        if (mark == Mark.NONE) {
            marks.remove(period);
        } else {
            marks.put(period, mark);
        }
    }

    void judgedThrough(YearMonth period) {
        judgedThrough = period;
    }

    /** The newest month the rule has judged, or null. */
    public YearMonth judgedThrough() {
        return judgedThrough;
    }

    /** The first month with an invoice line, or null when nothing was added yet. */
    public YearMonth first() {
        return first;
    }

    /** The newest month with an invoice line, or null. */
    public YearMonth last() {
        return revenue.isEmpty() ? null : revenue.lastKey();
    }

    public String currency() {
        return currency;
    }

    public int capacity() {
        return capacity;
    }

    /** Months with a recorded revenue (possibly zero after credits), oldest first. */
    public NavigableMap<YearMonth, BigDecimal> recorded() {
        return Collections.unmodifiableNavigableMap(revenue);
    }

    public NavigableMap<YearMonth, Mark> marks() {
        return Collections.unmodifiableNavigableMap(marks);
    }

    /** Rebuilds a stored history (used by the serde). */
    public static RevenueHistory restore(String currency, int capacity, YearMonth first, YearMonth judgedThrough,
                                         Map<YearMonth, BigDecimal> revenue, Map<YearMonth, Mark> marks) {
        RevenueHistory h = new RevenueHistory(currency, capacity);
        h.first = first;
        h.judgedThrough = judgedThrough;
        h.revenue.putAll(revenue);
        h.marks.putAll(marks);
        return h;
    }
}
