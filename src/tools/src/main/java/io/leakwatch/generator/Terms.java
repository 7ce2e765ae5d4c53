package io.leakwatch.generator;

import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;

/**
 * The pricing formulas of {@code docs/detectors.md}, for one rate line:
 * <pre>
 * price(q)    = q * unitRateFor(q)                 (exact, volume tiers)
 * billable(q) = max(q, committed_quantity)         when the rate line has a commitment, else q
 * </pre>
 */
final class Terms {
    private Terms() {
    }

    static BigDecimal price(AppliedRate terms, BigDecimal quantity) {
        return quantity.multiply(terms.unitRateFor(quantity));
    }

    static BigDecimal billable(AppliedRate terms, BigDecimal used) {
        BigDecimal committed = terms.line().getCommittedQuantity();
        return committed != null && committed.compareTo(used) > 0 ? committed : used;
    }

    /** {@code round(price(expected) - price(billed))}, HALF_EVEN to the minor unit of the terms' currency. */
    static BigDecimal shortfall(AppliedRate terms, BigDecimal expected, BigDecimal billed) {
        return Currencies.round(price(terms, expected).subtract(price(terms, billed)), terms.currency());
    }
}
