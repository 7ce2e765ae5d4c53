package io.leakwatch.scoring;

import io.leakwatch.features.Feature;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * A feature value in words for a finance reader, through {@link Feature#phrase()}: counts, days and months as whole
 * numbers, ratios as percents (whole percents; one decimal below 1%), z-scores with one decimal.
 * {@code PAYMENT_FAILURES_90D = 3.0 -> "3 failed payments in 90 days"}.
 */
public final class FactorPhrases {
    private FactorPhrases() {
    }

    public static String phrase(Feature feature, double value) {
        return String.format(Locale.ROOT, feature.phrase(), format(feature.unit(), value));
    }

    static String format(String unit, double value) {
        return switch (unit) {
            case "count", "days", "months" -> Long.toString(Math.round(value));
            case "ratio", "ratio per month" -> percent(value);
            default -> BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
        };
    }

    private static String percent(double ratio) {
        BigDecimal pct = BigDecimal.valueOf(ratio).movePointRight(2);
        int scale = pct.abs().compareTo(BigDecimal.ONE) < 0 && pct.signum() != 0 ? 1 : 0;
        return pct.setScale(scale, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() + "%";
    }
}
