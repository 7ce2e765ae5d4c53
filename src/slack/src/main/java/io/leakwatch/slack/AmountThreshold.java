package io.leakwatch.slack;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A minimum on {@code |amount|}, optionally per currency: {@code "500"} applies to every currency,
 * {@code "500, JPY 50000"} uses 50000 for JPY and 500 for the others, {@code "USD 500, EUR 450"} matches
 * nothing in other currencies. Amounts are compared exactly (BigDecimal), in the alert's own currency.
 */
public record AmountThreshold(Optional<BigDecimal> anyCurrency, Map<String, BigDecimal> perCurrency) {
    public static final AmountThreshold NONE = new AmountThreshold(Optional.empty(), Map.of());

    public AmountThreshold {
        perCurrency = Map.copyOf(perCurrency);
    }

    public static AmountThreshold parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Optional<BigDecimal> any = Optional.empty();
        Map<String, BigDecimal> per = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] tokens = part.trim().split("\\s+");
            try {
                if (tokens.length == 1) {
                    if (any.isPresent()) {
                        throw new IllegalArgumentException("two amounts without a currency in '" + text + "'");
                    }
                    any = Optional.of(nonNegative(new BigDecimal(tokens[0])));
                } else if (tokens.length == 2 && tokens[0].matches("[A-Z]{3}")) {
                    per.put(tokens[0], nonNegative(new BigDecimal(tokens[1])));
                } else {
                    throw new IllegalArgumentException("expected an amount like '500' or 'USD 500', not '" + part.trim() + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not an amount");
            }
        }
        return new AmountThreshold(any, per);
    }

    private static BigDecimal nonNegative(BigDecimal value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("a minimum amount cannot be negative: " + value.toPlainString());
        }
        return value;
    }

    /** True when {@code |amount| >= minimum} for the currency (always true without a minimum). */
    public boolean admits(BigDecimal amount, String currency) {
        if (this.equals(NONE)) {
            return true;
        }
        BigDecimal minimum = perCurrency.containsKey(currency) ? perCurrency.get(currency) : anyCurrency.orElse(null);
        return minimum != null && amount.abs().compareTo(minimum) >= 0;
    }
}
