package io.leakwatch.contracts;

import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import java.math.BigDecimal;
import java.util.Comparator;

/**
 * A contracted rate line, with the contract version it came from.
 *
 * <p>Pricing rule ({@link #unitRateFor}): with no tiers, the line's {@code unit_rate}. With volume tiers,
 * the rate of the highest tier whose {@code from_quantity <= quantity}; below the first tier, the base
 * {@code unit_rate}. Volume pricing bills every unit of a line at one rate, so "billed rate vs contracted
 * rate" stays a per-line comparison.
 */
public record AppliedRate(RateLine line, String contractId, int contractVersion) {

    public BigDecimal unitRateFor(BigDecimal quantity) {
        return line.getTiers().stream()
                .filter(t -> t.getFromQuantity().compareTo(quantity) <= 0)
                .max(Comparator.comparing(Tier::getFromQuantity))
                .map(Tier::getUnitRate)
                .orElse(line.getUnitRate());
    }

    public String currency() {
        return line.getCurrency();
    }
}
