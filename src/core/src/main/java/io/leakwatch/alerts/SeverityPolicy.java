package io.leakwatch.alerts;

import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Severity from the absolute amount at risk: {@code |amount| >= critical -> CRITICAL, >= high -> HIGH,
 * >= medium -> MEDIUM, > 0 -> LOW, else INFO}. Thresholds are in the alert's currency; currencies with large
 * nominal values (JPY, KRW, ...) get their own thresholds.
 */
public final class SeverityPolicy {
    /** Thresholds in major units: medium, high, critical. */
    public record Thresholds(BigDecimal medium, BigDecimal high, BigDecimal critical) {
        public static Thresholds of(long medium, long high, long critical) {
            return new Thresholds(BigDecimal.valueOf(medium), BigDecimal.valueOf(high), BigDecimal.valueOf(critical));
        }

        public static Thresholds parse(String csv) {
            List<BigDecimal> values = java.util.Arrays.stream(csv.split(",")).map(String::trim).map(BigDecimal::new).toList();
            if (values.size() != 3) {
                throw new IllegalArgumentException("severity thresholds need three amounts: medium,high,critical");
            }
            return new Thresholds(values.get(0), values.get(1), values.get(2));
        }
    }

    private final Thresholds defaults;
    private final Map<String, Thresholds> perCurrency;

    public SeverityPolicy(Thresholds defaults, Map<String, Thresholds> perCurrency) {
        this.defaults = defaults;
        this.perCurrency = Map.copyOf(perCurrency);
    }

    public static SeverityPolicy standard() {
        Thresholds large = Thresholds.of(10_000, 100_000, 1_000_000);
        return new SeverityPolicy(Thresholds.of(100, 1_000, 10_000), Map.of("JPY", large, "KRW", large, "HUF", large));
    }

    /** The thresholds of every currency without thresholds of its own. */
    public Thresholds defaults() {
        return defaults;
    }

    /** The currencies with thresholds of their own. */
    public Map<String, Thresholds> perCurrency() {
        return perCurrency;
    }

    /** The same per-currency thresholds with other default thresholds. */
    public SeverityPolicy withDefaults(Thresholds value) {
        return new SeverityPolicy(value, perCurrency);
    }

    /** These thresholds for one currency, the rest unchanged. */
    public SeverityPolicy withCurrency(String currency, Thresholds value) {
        Map<String, Thresholds> copy = new java.util.HashMap<>(perCurrency);
        copy.put(currency, value);
        return new SeverityPolicy(defaults, copy);
    }

    public Severity severityOf(BigDecimal amount, String currency) {
        Thresholds t = perCurrency.getOrDefault(currency, defaults);
        BigDecimal abs = amount.abs();
        if (abs.compareTo(t.critical()) >= 0) {
            return Severity.CRITICAL;
        }
        if (abs.compareTo(t.high()) >= 0) {
            return Severity.HIGH;
        }
        if (abs.compareTo(t.medium()) >= 0) {
            return Severity.MEDIUM;
        }
        return abs.signum() > 0 ? Severity.LOW : Severity.INFO;
    }
}
