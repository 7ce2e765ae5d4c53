package io.leakwatch.features;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * An account's features as of one instant, using only events before it.
 *
 * @param accountId      the account
 * @param asOf           the snapshot instant (exclusive end of every window)
 * @param currency       the account's contract currency (ISO-4217)
 * @param monthlyRevenue mean billed amount of the last 3 complete months, in {@code currency}
 * @param values         one value per {@link Feature}, indexed by {@link Feature#ordinal()}
 */
public record FeatureSnapshot(String accountId, Instant asOf, String currency, BigDecimal monthlyRevenue,
                              double[] values) {
    public FeatureSnapshot {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(asOf);
        Objects.requireNonNull(currency);
        Objects.requireNonNull(monthlyRevenue);
        if (values.length != Feature.COUNT) {
            throw new IllegalArgumentException("expected " + Feature.COUNT + " feature values, got " + values.length);
        }
        values = values.clone();
    }

    public double value(Feature feature) {
        return values[feature.ordinal()];
    }

    @Override
    public double[] values() {
        return values.clone();
    }
}
