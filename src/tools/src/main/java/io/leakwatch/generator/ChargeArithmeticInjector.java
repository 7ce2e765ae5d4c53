package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.money.Currencies;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * CHARGE_ARITHMETIC: a line billed at the right rate whose total is wrong, exactly as the invoice line rules of
 * {@link io.leakwatch.detect.invoice.InvoiceLineChecks} will see it.
 *
 * <pre>
 * billed == contracted, |billed * qty - line_total| > half a minor unit
 * amount = round(billed * qty - line_total)
 * </pre>
 * The wrong total is a dropped digit, a fixed discount, a truncation to whole units or the line charged twice.
 */
final class ChargeArithmeticInjector {
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final int[] FIXED_DISCOUNTS = {5, 10, 20, 25, 50, 100};

    private ChargeArithmeticInjector() {
    }

    /**
     * A wrong line total for a line billed at the right {@code rate}. Empty after {@link LineError#ATTEMPTS} draws
     * that would not be visible or would be negative.
     */
    static Optional<LineError> inject(SplittableRandom random, BigDecimal quantity, BigDecimal rate, String currency) {
        BigDecimal exact = Pricing.exact(rate, quantity);
        BigDecimal correct = Currencies.round(exact, currency);
        BigDecimal minor = Currencies.minorUnit(currency);
        BigDecimal halfMinor = minor.divide(BigDecimal.valueOf(2));
        for (int attempt = 0; attempt < LineError.ATTEMPTS; attempt++) {
            BigDecimal total;
            String cause;
            switch (random.nextInt(4)) {
                case 0 -> {
                    total = dropDigit(random, correct);
                    cause = "billing engine error: dropped a digit of the line total";
                }
                case 1 -> {
                    BigDecimal discount = BigDecimal.valueOf(FIXED_DISCOUNTS[random.nextInt(FIXED_DISCOUNTS.length)])
                            .multiply(minor.compareTo(BigDecimal.ONE) >= 0 ? HUNDRED : BigDecimal.ONE);
                    total = correct.subtract(discount);
                    cause = "billing engine error: fixed discount of " + MoneyFormat.format(discount, currency)
                            + " applied to the line";
                }
                case 2 -> {
                    total = exact.setScale(0, RoundingMode.FLOOR);
                    cause = "billing engine error: line total truncated to whole units";
                }
                default -> {
                    total = correct.add(correct);
                    cause = "billing engine error: line charged twice";
                }
            }
            boolean visible = exact.subtract(total).abs().compareTo(halfMinor) > 0;
            if (visible && total.signum() >= 0) {
                BigDecimal amount = Currencies.round(exact.subtract(total), currency);
                return Optional.of(new LineError(AlertType.CHARGE_ARITHMETIC, rate, Pricing.total(total), amount,
                        cause));
            }
        }
        return Optional.empty();
    }

    /** The amount with one of its digits (at the currency's scale) left out: 1234.56 -> 134.56. */
    private static BigDecimal dropDigit(SplittableRandom random, BigDecimal amount) {
        String digits = amount.unscaledValue().toString();
        if (digits.length() < 2) {
            return amount;
        }
        int drop = random.nextInt(digits.length());
        String kept = digits.substring(0, drop) + digits.substring(drop + 1);
        return new BigDecimal(new BigInteger(kept), amount.scale());
    }
}
