package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.money.Currencies;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Turns a correctly priced invoice line into one with a single labelled error, exactly as the invoice
 * line rules of {@link io.leakwatch.detect.invoice.InvoiceLineChecks} will see it.
 *
 * <pre>
 * RATE_MISMATCH:     billed != contracted, line_total = round(billed * qty)            (arithmetic stays right)
 *                    amount = round((contracted - billed) * qty), re-drawn until != 0
 * CHARGE_ARITHMETIC: billed == contracted, |billed * qty - line_total| >= one minor unit
 *                    amount = round(billed * qty) - line_total
 * </pre>
 * An error that would not be visible under these rules (a rounded amount of 0) is re-drawn; after
 * {@link #ATTEMPTS} failed draws the line stays clean and gets no label.
 */
final class LeakageInjector {
    static final int ATTEMPTS = 8;
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final int[] FIXED_DISCOUNTS = {5, 10, 20, 25, 50, 100};

    /** The error put on a line: what the billing system billed and the label it earns. */
    record Injection(AlertType type, BigDecimal billedRate, BigDecimal lineTotal, BigDecimal amount, String cause) {
    }

    private LeakageInjector() {
    }

    /**
     * A wrong billed rate for a line whose contracted terms are {@code contracted}; {@code previous} are the
     * terms the line's rate replaced (the pre-amendment rate), if any.
     */
    static Optional<Injection> rateMismatch(SplittableRandom random, BigDecimal quantity, AppliedRate contracted,
                                            Optional<AppliedRate> previous) {
        String currency = contracted.currency();
        BigDecimal rate = contracted.unitRateFor(quantity);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<String> kinds = new ArrayList<>(4);
            if (previous.isPresent()) {
                kinds.add("stale");
                kinds.add("stale");
            }
            if (rate.compareTo(contracted.line().getUnitRate()) != 0) {
                kinds.add("tier");
            }
            kinds.add("discount");
            kinds.add("surcharge");
            String kind = kinds.get(random.nextInt(kinds.size()));
            BigDecimal billed;
            String cause;
            switch (kind) {
                case "stale" -> {
                    billed = previous.orElseThrow().unitRateFor(quantity);
                    cause = "contract pricing error: billed the pre-amendment rate";
                }
                case "tier" -> {
                    billed = contracted.line().getUnitRate();
                    cause = "contract pricing error: volume tier not applied";
                }
                case "discount" -> {
                    int percent = 5 + random.nextInt(16);
                    billed = Pricing.rate(percentOf(rate, 100 - percent), currency);
                    cause = "contract pricing error: unapproved " + percent + "% discount";
                }
                default -> {
                    int percent = 3 + random.nextInt(8);
                    billed = Pricing.rate(percentOf(rate, 100 + percent), currency);
                    cause = "contract pricing error: rate " + percent + "% above contract";
                }
            }
            BigDecimal amount = Currencies.round(rate.subtract(billed).multiply(quantity), currency);
            if (billed.compareTo(rate) != 0 && amount.signum() != 0 && billed.signum() >= 0) {
                BigDecimal total = Pricing.lineTotal(billed, quantity, currency);
                return Optional.of(new Injection(AlertType.RATE_MISMATCH, billed, total, amount, cause));
            }
        }
        return Optional.empty();
    }

    /**
     * A line priced from a stale price book: an amendment's new rate never reached the billing system, so it keeps
     * billing the {@code previous} (pre-amendment) terms on the service's lines until someone notices (one
     * RATE_MISMATCH per line, same formula as above; an amendment that lowered the price makes it an overcharge).
     */
    static Optional<Injection> stalePriceBook(BigDecimal quantity, AppliedRate contracted, AppliedRate previous) {
        String currency = contracted.currency();
        BigDecimal rate = contracted.unitRateFor(quantity);
        BigDecimal billed = previous.unitRateFor(quantity);
        BigDecimal amount = Currencies.round(rate.subtract(billed).multiply(quantity), currency);
        if (billed.compareTo(rate) == 0 || amount.signum() == 0 || billed.signum() < 0) {
            return Optional.empty();
        }
        return Optional.of(new Injection(AlertType.RATE_MISMATCH, billed, Pricing.lineTotal(billed, quantity, currency),
                amount, "stale price book: amendment not loaded into billing, billed the pre-amendment rate"));
    }

    /** A wrong line total for a line billed at the right {@code rate}. */
    static Optional<Injection> arithmetic(SplittableRandom random, BigDecimal quantity, BigDecimal rate,
                                          String currency) {
        BigDecimal exact = Pricing.exact(rate, quantity);
        BigDecimal correct = Currencies.round(exact, currency);
        BigDecimal minor = Currencies.minorUnit(currency);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
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
            boolean visible = exact.subtract(total).abs().compareTo(minor) >= 0;
            if (visible && total.signum() >= 0) {
                BigDecimal amount = correct.subtract(total);
                return Optional.of(new Injection(AlertType.CHARGE_ARITHMETIC, rate, Pricing.total(total), amount,
                        cause));
            }
        }
        return Optional.empty();
    }

    private static BigDecimal percentOf(BigDecimal value, int percent) {
        return value.multiply(BigDecimal.valueOf(percent)).divide(HUNDRED);
    }

    /** The amount with one of its digits (at the currency's scale) left out: 1234.56 -> 134.56. */
    private static BigDecimal dropDigit(SplittableRandom random, BigDecimal amount) {
        String digits = amount.unscaledValue().toString();
        if (digits.length() < 2) {
            return amount;
        }
        int drop = random.nextInt(digits.length());
        String kept = digits.substring(0, drop) + digits.substring(drop + 1);
        return new BigDecimal(new java.math.BigInteger(kept), amount.scale());
    }
}
