package io.leakwatch.money;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Formats money for people: "USD 1,234.50", "-EUR 12.00", "JPY 1,200". */
public final class MoneyFormat {
    private MoneyFormat() {
    }

    public static String format(BigDecimal amount, String currency) {
        int digits = Currencies.lookup(currency).map(java.util.Currency::getDefaultFractionDigits).orElse(2);
        DecimalFormat format = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(Currencies.MONEY_ROUNDING);
        BigDecimal rounded = amount.setScale(digits, Currencies.MONEY_ROUNDING);
        String sign = rounded.signum() < 0 ? "-" : "";
        return sign + currency + " " + format.format(rounded.abs());
    }

    /** A rate or quantity without trailing zeros, e.g. "0.0125" or "12". */
    public static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
