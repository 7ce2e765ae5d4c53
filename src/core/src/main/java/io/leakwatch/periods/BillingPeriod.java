package io.leakwatch.periods;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A billing period: a calendar month in UTC, named {@code yyyy-MM}. Half-open: {@code [start, end)}.
 */
public record BillingPeriod(YearMonth month) implements Comparable<BillingPeriod> {

    public static BillingPeriod of(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atZone(ZoneOffset.UTC)));
    }

    public static BillingPeriod parse(String name) {
        try {
            return new BillingPeriod(YearMonth.parse(name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not a billing period like 2024-03");
        }
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    public BillingPeriod next() {
        return new BillingPeriod(month.plusMonths(1));
    }

    public BillingPeriod previous() {
        return new BillingPeriod(month.minusMonths(1));
    }

    /** {@code yyyy-MM}. */
    public String name() {
        return month.toString();
    }

    @Override
    public int compareTo(BillingPeriod other) {
        return month.compareTo(other.month);
    }

    @Override
    public String toString() {
        return name();
    }
}
