package io.leakwatch.generator;

import java.time.YearMonth;

/**
 * What synthetic billing world to generate. The same options always give the same world, byte for byte.
 *
 * <p>Every injection rate is the chance that one unit (named per rate) carries that error; units that
 * cannot carry it without disturbing another rule (a month with a mid-month amendment, an invoice that is
 * missing, a line that already has an error, ...) are skipped, so the realised counts are a little lower.
 *
 * @param accounts                 number of accounts ({@code acct-00001} ...)
 * @param months                   number of billed months, starting at {@code startMonth}
 * @param seed                     seed of every random choice
 * @param startMonth               first billed month (UTC); contracts start on its 1st
 * @param rateErrorRate            fraction of invoice lines given an injected RATE_MISMATCH
 * @param arithmeticErrorRate      fraction of invoice lines given an injected CHARGE_ARITHMETIC
 * @param badRecordCount           records that must be rejected (malformed JSON, a line of opposite signs, ...);
 *                                 {@link #AUTO} = about 0.01% of the good records, at least 3
 * @param amendmentRate            fraction of accounts whose contract gets an amendment
 * @param duplicateChargeRate      fraction of clean whole-month invoice lines billed a second time
 *                                 (DUPLICATE_CHARGE)
 * @param unbilledUsageRate        fraction of metered (account, service, month) whose usage is under-billed
 *                                 (UNBILLED_USAGE)
 * @param missingInvoiceRate       fraction of (account, month) whose invoice is never issued (MISSING_INVOICE)
 * @param provisioningMismatchRate fraction of seat (account, month) billed below the provisioned level
 *                                 (PROVISIONING_MISMATCH)
 * @param failedPaymentRate        fraction of invoices whose payment fails and is not recovered within the
 *                                 retry window (FAILED_PAYMENT_NOT_RECOVERED)
 * @param unpaidInvoiceRate        fraction of invoices with no payment attempt at all (UNPAID_INVOICE)
 * @param underpaymentRate         fraction of invoices paid short (UNDERPAYMENT)
 * @param unattributedRevenue      whether every month carries a little unattributed revenue (lines without an
 *                                 account and invoices of accounts without a contract), below the alert
 *                                 thresholds
 * @param unattributedSpikes       (period, currency) pairs whose unattributed revenue is clearly above the
 *                                 threshold (UNATTRIBUTED_REVENUE); only with {@code unattributedRevenue}
 * @param revenueShapesPerKind     accounts given each labelled revenue shape ({@link RevenueShapes});
 *                                 {@link #AUTO} = one per 200 accounts of each kind
 * @param baselineShapesPerKind    accounts given each shape that measures a revenue baseline on a steady account
 *                                 (steady, spike, drop, level shifts, seasonal peak, price step:
 *                                 {@link RevenueShapes.Kind#baseline()}); 0 by default, so the default world's
 *                                 accounts stay as they are
 */
public record GeneratorOptions(int accounts, int months, long seed, YearMonth startMonth, double rateErrorRate,
                               double arithmeticErrorRate, int badRecordCount, double amendmentRate,
                               double duplicateChargeRate, double unbilledUsageRate, double missingInvoiceRate,
                               double provisioningMismatchRate, double failedPaymentRate, double unpaidInvoiceRate,
                               double underpaymentRate, boolean unattributedRevenue, int unattributedSpikes,
                               int revenueShapesPerKind, int baselineShapesPerKind) {

    /** {@link #badRecordCount} value meaning "derive from the number of good records". */
    public static final int AUTO = -1;
    public static final YearMonth DEFAULT_START_MONTH = YearMonth.of(2024, 1);
    public static final double DEFAULT_RATE_ERROR_RATE = 0.002;
    public static final double DEFAULT_ARITHMETIC_ERROR_RATE = 0.0015;
    public static final double DEFAULT_AMENDMENT_RATE = 0.25;
    public static final double DEFAULT_DUPLICATE_CHARGE_RATE = 0.001;
    public static final double DEFAULT_UNBILLED_USAGE_RATE = 0.002;
    public static final double DEFAULT_MISSING_INVOICE_RATE = 0.001;
    public static final double DEFAULT_PROVISIONING_MISMATCH_RATE = 0.002;
    public static final double DEFAULT_FAILED_PAYMENT_RATE = 0.0015;
    public static final double DEFAULT_UNPAID_INVOICE_RATE = 0.001;
    public static final double DEFAULT_UNDERPAYMENT_RATE = 0.0015;
    public static final int DEFAULT_UNATTRIBUTED_SPIKES = 3;
    /** Bad records per good record when {@link #badRecordCount} is {@link #AUTO}. */
    public static final double AUTO_BAD_RECORD_FRACTION = 0.0001;
    public static final int MIN_AUTO_BAD_RECORDS = 3;
    /** Ghost accounts are {@code acct-9xxxx}, so real accounts stay below that range. */
    public static final int MAX_ACCOUNTS = 89_999;

    public GeneratorOptions {
        if (revenueShapesPerKind < AUTO) {
            throw new IllegalArgumentException("revenue shapes per kind must be >= 0 (or AUTO), not " + revenueShapesPerKind);
        }
        if (baselineShapesPerKind < 0) {
            throw new IllegalArgumentException("baseline shapes per kind must be >= 0, not " + baselineShapesPerKind);
        }
        if (accounts < 0 || accounts > MAX_ACCOUNTS) {
            throw new IllegalArgumentException("accounts must be between 0 and " + MAX_ACCOUNTS + ", not " + accounts);
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
        requireFraction("duplicate charge rate", duplicateChargeRate);
        requireFraction("unbilled usage rate", unbilledUsageRate);
        requireFraction("missing invoice rate", missingInvoiceRate);
        requireFraction("provisioning mismatch rate", provisioningMismatchRate);
        requireFraction("failed payment rate", failedPaymentRate);
        requireFraction("unpaid invoice rate", unpaidInvoiceRate);
        requireFraction("underpayment rate", underpaymentRate);
        if (rateErrorRate + arithmeticErrorRate > 1) {
            throw new IllegalArgumentException("rate and arithmetic error rates must add up to at most 1");
        }
        if (failedPaymentRate + unpaidInvoiceRate + underpaymentRate > 1) {
            throw new IllegalArgumentException("payment error rates must add up to at most 1");
        }
        if (badRecordCount < AUTO) {
            throw new IllegalArgumentException("bad record count must be >= 0 (or AUTO), not " + badRecordCount);
        }
        if (unattributedSpikes < 0) {
            throw new IllegalArgumentException("unattributed spikes must be >= 0, not " + unattributedSpikes);
        }
    }

    /**
     * The defaults: start 2024-01, independent one-off background errors at 0.1-0.2% per unit (per-line errors and
     * period, payment and unattributed leakage). Most leakage comes on top of these from the accounts with a persistent billing problem
     * ({@link WorldGenerator}), as in real billing, where one-off errors are the smaller part.
     */
    public static GeneratorOptions defaults(int accounts, int months, long seed) {
        return new GeneratorOptions(accounts, months, seed, DEFAULT_START_MONTH, DEFAULT_RATE_ERROR_RATE,
                DEFAULT_ARITHMETIC_ERROR_RATE, AUTO, DEFAULT_AMENDMENT_RATE, DEFAULT_DUPLICATE_CHARGE_RATE,
                DEFAULT_UNBILLED_USAGE_RATE, DEFAULT_MISSING_INVOICE_RATE, DEFAULT_PROVISIONING_MISMATCH_RATE,
                DEFAULT_FAILED_PAYMENT_RATE, DEFAULT_UNPAID_INVOICE_RATE, DEFAULT_UNDERPAYMENT_RATE, true,
                DEFAULT_UNATTRIBUTED_SPIKES, AUTO, 0);
    }

    /**
     * These options with only per-line errors: no duplicates, unbilled usage, missing invoices, provisioning
     * mismatches, payment problems or unattributed revenue. Usage, payments and provisioning are still generated
     * (all clean), so only rate and arithmetic errors are labelled.
     */
    public GeneratorOptions withLineErrorsOnly() {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0);
    }

    public GeneratorOptions withStartMonth(YearMonth value) {
        return new GeneratorOptions(accounts, months, seed, value, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate,
                unattributedRevenue, unattributedSpikes, revenueShapesPerKind, baselineShapesPerKind);
    }

    public GeneratorOptions withRateErrorRate(double value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, value, arithmeticErrorRate,
                badRecordCount, amendmentRate, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate,
                unattributedRevenue, unattributedSpikes, revenueShapesPerKind, baselineShapesPerKind);
    }

    public GeneratorOptions withArithmeticErrorRate(double value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, value,
                badRecordCount, amendmentRate, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate,
                unattributedRevenue, unattributedSpikes, revenueShapesPerKind, baselineShapesPerKind);
    }

    public GeneratorOptions withBadRecordCount(int value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                value, amendmentRate, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate,
                unattributedRevenue, unattributedSpikes, revenueShapesPerKind, baselineShapesPerKind);
    }

    public GeneratorOptions withAmendmentRate(double value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, value, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate,
                unattributedRevenue, unattributedSpikes, revenueShapesPerKind, baselineShapesPerKind);
    }

    /** The leakage rates beyond the per-line errors, in one call: duplicate, unbilled, missing, provisioning, failed, unpaid, underpayment. */
    public GeneratorOptions withLeakageRates(double duplicate, double unbilled, double missing, double provisioning,
                                             double failed, double unpaid, double underpaid) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, duplicate, unbilled, missing, provisioning, failed, unpaid, underpaid,
                unattributedRevenue, unattributedSpikes, revenueShapesPerKind, baselineShapesPerKind);
    }

    public GeneratorOptions withUnattributed(boolean revenue, int spikes) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate, revenue, spikes, revenueShapesPerKind, baselineShapesPerKind);
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

    public GeneratorOptions withRevenueShapesPerKind(int value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate,
                unattributedRevenue, unattributedSpikes, value, baselineShapesPerKind);
    }

    public GeneratorOptions withBaselineShapesPerKind(int value) {
        return new GeneratorOptions(accounts, months, seed, startMonth, rateErrorRate, arithmeticErrorRate,
                badRecordCount, amendmentRate, duplicateChargeRate, unbilledUsageRate, missingInvoiceRate,
                provisioningMismatchRate, failedPaymentRate, unpaidInvoiceRate, underpaymentRate,
                unattributedRevenue, unattributedSpikes, revenueShapesPerKind, value);
    }

    /** Accounts per revenue shape: explicit, or one per 200 accounts. */
    public int resolvedRevenueShapesPerKind() {
        return revenueShapesPerKind != AUTO ? revenueShapesPerKind : accounts / 200;
    }

}
