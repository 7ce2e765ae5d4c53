package io.leakwatch.generator;

import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Number formats of the generated world. Rates carry up to 4 decimals (whole numbers in currencies without
 * a minor unit, such as JPY); line totals are {@code round(rate * quantity)} with the one money rounding
 * rule of {@link Currencies}. Values are stored at the scale of their Avro field, so an event read back
 * from JSON equals the generated one.
 */
final class Pricing {
    static final int RATE_SCALE = 8;
    static final int QUANTITY_SCALE = 6;
    static final int TOTAL_SCALE = 4;
    private static final int MAX_RATE_DECIMALS = 4;

    private Pricing() {
    }

    /** Decimal places a price list rate may have in {@code currency}: 0 for JPY, else 4. */
    static int rateDecimals(String currency) {
        return Currencies.minorUnitDigits(currency) == 0 ? 0 : MAX_RATE_DECIMALS;
    }

    /** A list price rounded HALF_EVEN to the decimals rates have in {@code currency}, at Avro scale. */
    static BigDecimal rate(BigDecimal value, String currency) {
        return value.setScale(rateDecimals(currency), RoundingMode.HALF_EVEN).setScale(RATE_SCALE);
    }

    /** The smallest step between two rates in {@code currency}: 0.0001, or 1 for JPY. */
    static BigDecimal rateStep(String currency) {
        return BigDecimal.ONE.movePointLeft(rateDecimals(currency));
    }

    static BigDecimal quantity(BigDecimal value) {
        return value.setScale(QUANTITY_SCALE, RoundingMode.UNNECESSARY);
    }

    /** The exact (unrounded) price of a line. */
    static BigDecimal exact(BigDecimal rate, BigDecimal quantity) {
        return rate.multiply(quantity);
    }

    /** The correct line total: {@code round(rate * quantity)} to the currency's minor unit, at Avro scale. */
    static BigDecimal lineTotal(BigDecimal rate, BigDecimal quantity, String currency) {
        return total(Currencies.round(exact(rate, quantity), currency));
    }

    static BigDecimal total(BigDecimal value) {
        return value.setScale(TOTAL_SCALE, RoundingMode.UNNECESSARY);
    }
}
