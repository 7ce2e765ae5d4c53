package io.leakwatch.features;

import java.util.Locale;

/**
 * The catalog of account features the stream computes (see {@code docs/risk-scoring.md}). A model's feature
 * contract ({@code models/<model>/features.json}) names features from this list; its order there is the order
 * of the model's input columns. "Monthly revenue" is the mean billed amount of the last 3 complete calendar
 * months, in the contract currency. Every window ends at the snapshot instant, exclusive.
 */
public enum Feature {
    PAYMENT_FAILURES_90D("count", "P90D", 0.0, "%s failed payments in 90 days"),
    PAYMENT_FAILURE_RATE_90D("ratio", "P90D", 0.0, "%s of payment attempts failed in 90 days"),
    DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT("days", "P365D", 0.0, "no successful payment for %s days"),
    RATE_MISMATCH_COUNT_90D("count", "P90D", 0.0, "%s mis-rated invoice lines in 90 days"),
    RATE_MISMATCH_AMOUNT_RATIO_90D("ratio", "P90D", 0.0, "mis-rated lines worth %s of a month's revenue in 90 days"),
    UNBILLED_USAGE_COUNT_90D("count", "P90D", 0.0, "%s unbilled usage or missing invoice findings in 90 days"),
    UNBILLED_USAGE_AMOUNT_RATIO_90D("ratio", "P90D", 0.0, "unbilled usage worth %s of a month's revenue in 90 days"),
    DUPLICATE_CHARGE_COUNT_90D("count", "P90D", 0.0, "%s duplicate charges in 90 days"),
    UTILISATION("ratio", "P30D", 1.0, "using %s of what the contract provides"),
    OVER_UTILISATION("ratio", "P30D", 0.0, "usage %s above the committed level"),
    USAGE_TREND_3M("ratio", "P120D", 0.0, "usage changed by %s against the previous 3 months"),
    SEAT_CHANGE_90D("ratio", "P90D", 0.0, "provisioned seats changed by %s in 90 days"),
    REVENUE_Z("z", "P7M", 0.0, "last month's revenue at z = %s against its own baseline"),
    REVENUE_TREND_6M("ratio per month", "P6M", 0.0, "revenue trending %s per month over 6 months"),
    MONTHS_SINCE_CONTRACT_START("months", "all", 0.0, "customer for %s months"),
    MONTHS_TO_CONTRACT_END("months", "P24M", 24.0, "contract ends in %s months"),
    INVOICE_COUNT_TREND("ratio", "P4M", 0.0, "invoice lines changed by %s against the previous 3 months"),
    CONTRACT_AMENDMENTS("count", "all", 0.0, "%s contract amendments so far"),
    MONTHS_SINCE_CONTRACT_AMENDMENT("months", "P24M", 24.0, "last contract amendment %s months ago");

    private final String unit;
    private final String window;
    private final double defaultValue;
    private final String phrase;

    Feature(String unit, String window, double defaultValue, String phrase) {
        this.unit = unit;
        this.window = window;
        this.defaultValue = defaultValue;
        this.phrase = phrase;
    }

    /** The snake_case name used in feature contracts and in {@code features.csv}. */
    public String featureName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String unit() {
        return unit;
    }

    /** ISO-8601 look-back window, or "now" / "all". */
    public String window() {
        return window;
    }

    /** The value used when the account has no data for this feature. */
    public double defaultValue() {
        return defaultValue;
    }

    /** A phrase for a finance reader, with one {@code %s} for the formatted value ("3 failed payments in 90 days"). */
    public String phrase() {
        return phrase;
    }

    /** How many features there are: the length of a snapshot's values (no {@code values()} copy to count them). */
    public static final int COUNT = values().length;

    /** The feature with this contract name. */
    public static Feature byName(String featureName) {
        for (Feature f : values()) {
            if (f.featureName().equals(featureName)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown feature '" + featureName + "'");
    }
}
