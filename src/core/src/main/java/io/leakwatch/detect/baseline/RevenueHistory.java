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
 *
 * <p>Each month also holds its <i>price effect</i>: for the lines whose service had a contracted rate both in the
 * month and in the month before, Σ quantity × this month's rate and Σ quantity × last month's rate. Their ratio
 * is how much the contract's prices alone moved the month ({@link #priceChange}); {@link #repricedTo} restates the
 * past at a month's prices, so a rate cut under an amendment is not read as a drop or an erosion.
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
    private final TreeMap<YearMonth, PriceEffect> prices = new TreeMap<>();

    /**
     * Σ quantity × the month's contracted rate and Σ quantity × the month before's, over the month's lines priced
     * in both months.
     */
    public record PriceEffect(BigDecimal atPrices, BigDecimal atPriorPrices) {
        public PriceEffect {
            Objects.requireNonNull(atPrices);
            Objects.requireNonNull(atPriorPrices);
        }

        PriceEffect plus(PriceEffect other) {
            return new PriceEffect(atPrices.add(other.atPrices), atPriorPrices.add(other.atPriorPrices));
        }
    }

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

    /**
     * Adds an invoice line's total to its month, and its price effect: {@code atPrices} = quantity × the rate in
     * force in the month, {@code atPriorPrices} = quantity × the rate in force a month earlier (null when either
     * has no contracted rate: the line moves no price). Returns false when the month is older than the kept history.
     */
    public boolean add(YearMonth period, BigDecimal lineTotal, BigDecimal atPrices, BigDecimal atPriorPrices) {
        if (!add(period, lineTotal)) {
            return false;
        }
        if (atPrices != null && atPriorPrices != null) {
            prices.merge(period, new PriceEffect(atPrices, atPriorPrices), PriceEffect::plus);
            trim();
        }
        return true;
    }

    private void trim() {
        YearMonth oldestKept = revenue.lastKey().minusMonths(capacity - 1);
        revenue.headMap(oldestKept, false).clear();
        marks.headMap(oldestKept, false).clear();
        prices.headMap(oldestKept, false).clear();
    }

    /**
     * How much the contracted prices alone moved {@code period} against the month before: Σ quantity × rate now /
     * Σ quantity × rate then over its lines priced in both months; exactly 1 when no price moved (or nothing was
     * priced in both months).
     */
    public BigDecimal priceChange(YearMonth period) {
        PriceEffect e = prices.get(period);
        if (e == null || e.atPriorPrices().signum() <= 0 || e.atPrices().signum() <= 0
                || e.atPrices().compareTo(e.atPriorPrices()) == 0) {
            return BigDecimal.ONE;
        }
        return e.atPrices().divide(e.atPriorPrices(), java.math.MathContext.DECIMAL64);
    }

    /**
     * This history with every month up to {@code period} restated at {@code period}'s contracted prices: month j's
     * revenue times the price changes of j+1 .. {@code period}. Itself when no price moved in that time, so an
     * account whose rates never changed is judged on exactly its billed revenue.
     */
    public RevenueHistory repricedTo(YearMonth period) {
        if (prices.headMap(period, true).keySet().stream().allMatch(m -> priceChange(m).compareTo(BigDecimal.ONE) == 0)) {
            return this;
        }
        Map<YearMonth, BigDecimal> restated = new TreeMap<>();
        BigDecimal factor = BigDecimal.ONE;
        for (YearMonth m = period; !revenue.isEmpty() && !m.isBefore(revenue.firstKey()); m = m.minusMonths(1)) {
            BigDecimal r = revenue.get(m);
            if (r != null) {
                restated.put(m, factor.compareTo(BigDecimal.ONE) == 0 ? r
                        : r.multiply(factor, java.math.MathContext.DECIMAL64));
            }
            factor = factor.multiply(priceChange(m), java.math.MathContext.DECIMAL64);
        }
        revenue.tailMap(period, false).forEach(restated::put);
        return restore(currency, capacity, first, judgedThrough, restated, marks, prices);
    }

    /** True when a contracted price moved in a month after {@code from} up to {@code to}. */
    public boolean pricesMoved(YearMonth from, YearMonth to) {
        return prices.subMap(from, false, to, true).keySet().stream()
                .anyMatch(m -> priceChange(m).compareTo(BigDecimal.ONE) != 0);
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

    /** The months' price effects, oldest first (months with no line priced in both months are absent). */
    public NavigableMap<YearMonth, PriceEffect> priceEffects() {
        return Collections.unmodifiableNavigableMap(prices);
    }

    /** Rebuilds a stored history (used by the serde). */
    public static RevenueHistory restore(String currency, int capacity, YearMonth first, YearMonth judgedThrough,
                                         Map<YearMonth, BigDecimal> revenue, Map<YearMonth, Mark> marks) {
        return restore(currency, capacity, first, judgedThrough, revenue, marks, Map.of());
    }

    /** Rebuilds a stored history with its price effects (used by the serde). */
    public static RevenueHistory restore(String currency, int capacity, YearMonth first, YearMonth judgedThrough,
                                         Map<YearMonth, BigDecimal> revenue, Map<YearMonth, Mark> marks,
                                         Map<YearMonth, PriceEffect> prices) {
        RevenueHistory h = new RevenueHistory(currency, capacity);
        h.prices.putAll(prices);
        h.first = first;
        h.judgedThrough = judgedThrough;
        h.revenue.putAll(revenue);
        h.marks.putAll(marks);
        return h;
    }
}
