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
        // the usual "yyyy-MM" read directly: YearMonth.parse's formatter cost more than the rest of a due-date look-up
        if (name.length() == 7 && name.charAt(4) == '-' && digits(name, 0, 4) && digits(name, 5, 7)) {
            int month = (name.charAt(5) - '0') * 10 + name.charAt(6) - '0';
            if (month >= 1 && month <= 12) {
                return new BillingPeriod(YearMonth.of(Integer.parseInt(name, 0, 4, 10), month));
            }
        }
        try {
            return new BillingPeriod(YearMonth.parse(name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not a billing period like 2024-03");
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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
