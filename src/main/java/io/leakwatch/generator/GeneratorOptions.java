package io.leakwatch.generator;

import java.time.YearMonth;

/**
 * What synthetic billing world to generate. The same options always give the same world, byte for byte.
 *
 * @param accounts            number of accounts ({@code acct-00001} ...)
 * @param months              number of billed months, starting at {@code startMonth}
 * @param seed                seed of every random choice
 * @param startMonth          first billed month (UTC); contracts start on its 1st
 * @param rateErrorRate       fraction of invoice lines given an injected RATE_MISMATCH
 * @param arithmeticErrorRate fraction of invoice lines given an injected CHARGE_ARITHMETIC
 * @param badRecordCount      records that must be rejected (malformed JSON, negative quantity, ...);
 *                            {@link #AUTO} = about 0.01% of the good records, at least 3
 * @param amendmentRate       fraction of accounts whose contract gets an amendment
 * @param revenueShapesPerKind accounts given each labelled revenue shape ({@link RevenueShapes});
 *                            {@link #AUTO} = one per 200 accounts of each kind
 */
public record GeneratorOptions(int accounts, int months, long seed, YearMonth startMonth, double rateErrorRate,
                               double arithmeticErrorRate, int badRecordCount, double amendmentRate,
                               int revenueShapesPerKind) {

    /** {@link #badRecordCount} value meaning "derive from the number of good records". */
    public static final int AUTO = -1;
    public static final YearMonth DEFAULT_START_MONTH = YearMonth.of(2024, 1);
    public static final double DEFAULT_RATE_ERROR_RATE = 0.004;
    public static final double DEFAULT_ARITHMETIC_ERROR_RATE = 0.003;
    public static final double DEFAULT_AMENDMENT_RATE = 0.25;
    /** Bad records per good record when {@link #badRecordCount} is {@link #AUTO}. */
    public static final double AUTO_BAD_RECORD_FRACTION = 0.0001;
    public static final int MIN_AUTO_BAD_RECORDS = 3;

    public GeneratorOptions {
        if (accounts < 0 || accounts > 99_999) {
            throw new IllegalArgumentException("accounts must be between 0 and 99999, not " + accounts);
        }
        if (months < 1 || months > 240) {
            throw new IllegalArgumentException("months must be between 1 and 240, not " + months);
        }
        if (startMonth == null) {
            throw new IllegalArgumentException("start month is required");
        }
        requireFraction("rate error rate", rateErrorRate);
        requireFraction("arithmetic error rate", arithmeticErrorRate);
        requireFraction("amendment rate", amendmentRate);
        if (rateErrorRate + arithmeticErrorRate > 1) {
            throw new IllegalArgumentException("rate and arithmetic error rates must add up to at most 1");
        }
        if (revenueShapesPerKind < AUTO) {
            throw new IllegalArgumentException("revenue shapes per kind must be >= 0 (or AUTO), not " + revenueShapesPerKind);
        }
        if (badRecordCount < AUTO) {
            throw new IllegalArgumentException("bad record count must be >= 0 (or AUTO), not " + badRecordCount);
        }
    }

    /** The defaults of the brief: start 2024-01, 0.4% rate errors, 0.3% arithmetic errors, 25% amended. */
    public static GeneratorOptions defaults(int accounts, int months, long seed) {
        return new GeneratorOptions(accounts, months, seed, DEFAULT_START_MONTH, DEFAULT_RATE_ERROR_RATE,
                DEFAULT_ARITHMETIC_ERROR_RATE, AUTO, DEFAULT_AMENDMENT_RATE, AUTO);
    }

    public GeneratorOptions withStartMonth(YearMonth value) {
        return new GeneratorOptions(accounts, months, seed, value, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, revenueShapesPerKind);
    }

    public GeneratorOptions withRateErrorRate(double value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, value, arithmeticErrorRate,
                badRecordCount, amendmentRate, revenueShapesPerKind);
    }

    public GeneratorOptions withArithmeticErrorRate(double value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, value,
                badRecordCount, amendmentRate, revenueShapesPerKind);
    }

    public GeneratorOptions withBadRecordCount(int value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                value, amendmentRate, revenueShapesPerKind);
    }

    public GeneratorOptions withAmendmentRate(double value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, value, revenueShapesPerKind);
    }

    public GeneratorOptions withRevenueShapesPerKind(int value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, value);
    }

    /** Accounts per revenue shape: explicit, or one per 200 accounts. */
    public int resolvedRevenueShapesPerKind() {
        return revenueShapesPerKind != AUTO ? revenueShapesPerKind : accounts / 200;
    }

    /** The number of bad records for a world of {@code goodRecords} records: explicit, or AUTO's rule. */
    public int resolvedBadRecordCount(int goodRecords) {
        if (badRecordCount != AUTO) {
            return badRecordCount;
        }
        if (goodRecords <= 0) {
            return 0;
        }
        return Math.max(MIN_AUTO_BAD_RECORDS, (int) Math.round(goodRecords * AUTO_BAD_RECORD_FRACTION));
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, not " + value);
        }
    }
}
