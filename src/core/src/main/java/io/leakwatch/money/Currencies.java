package io.leakwatch.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Optional;

/**
 * ISO-4217 facts about currencies, and the one rounding rule Leakwatch uses for money.
 *
 * <p>Rounding rule: an amount is rounded to the currency's minor unit (2 digits for USD/EUR, 0 for JPY,
 * 3 for BHD, ...) with {@link RoundingMode#HALF_EVEN} (banker's rounding), the default of most billing
 * engines and ledgers. The generator prices lines and the detectors compute expected amounts with this
 * same method, so "identified leakage equals labelled leakage to the cent" is a meaningful check.
 */
public final class Currencies {
    public static final RoundingMode MONEY_ROUNDING = RoundingMode.HALF_EVEN;

    private Currencies() {
    }

    /** The ISO-4217 currency for a code, or empty when the code is not a known, active currency. */
    public static Optional<Currency> lookup(String code) {
        if (code == null || code.length() != 3 || !code.equals(code.toUpperCase(java.util.Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            Currency currency = Currency.getInstance(code);
            return currency.getDefaultFractionDigits() < 0 ? Optional.empty() : Optional.of(currency);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static boolean isKnown(String code) {
        return lookup(code).isPresent();
    }

    /** Digits of the minor unit: 2 for USD, 0 for JPY. Unknown codes are an error of the caller. */
    public static int minorUnitDigits(String code) {
        return lookup(code).orElseThrow(() -> new IllegalArgumentException("unknown currency " + code))
                .getDefaultFractionDigits();
    }

    /** One minor unit of the currency: 0.01 for USD, 1 for JPY. */
    public static BigDecimal minorUnit(String code) {
        return BigDecimal.ONE.movePointLeft(minorUnitDigits(code));
    }

    /** Rounds an amount to the currency's minor unit with {@link #MONEY_ROUNDING}. */
    public static BigDecimal round(BigDecimal amount, String code) {
        return amount.setScale(minorUnitDigits(code), MONEY_ROUNDING);
    }
}
