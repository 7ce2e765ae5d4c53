package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * RATE_MISMATCH: a line billed at a rate other than the contracted one, exactly as the invoice line rules of
 * {@link io.leakwatch.detect.invoice.InvoiceLineChecks} will see it.
 *
 * <pre>
 * billed != contracted, line_total = round(billed * qty)            (the arithmetic stays right)
 * amount = round((contracted - billed) * qty), re-drawn until != 0
 * </pre>
 * A one-off error is a stale, untiered, discounted or surcharged rate; an account with a stale price book
 * ({@link BillingProblem}) bills most lines of the repriced service at the pre-amendment rate.
 */
final class RateMismatchInjector {
    private static final BigDecimal HUNDRED = new BigDecimal("100");

    private RateMismatchInjector() {
    }

    /**
     * A wrong billed rate for a line whose contracted terms are {@code contracted}; {@code previous} are the
     * terms the line's rate replaced (the pre-amendment rate), if any. Empty after {@link LineError#ATTEMPTS}
     * draws that would not be visible.
     */
    static Optional<LineError> oneOff(SplittableRandom random, BigDecimal quantity, AppliedRate contracted,
                                      Optional<AppliedRate> previous) {
        String currency = contracted.currency();
        BigDecimal rate = contracted.unitRateFor(quantity);
        for (int attempt = 0; attempt < LineError.ATTEMPTS; attempt++) {
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
                return Optional.of(new LineError(AlertType.RATE_MISMATCH, billed, total, amount, cause));
            }
        }
        return Optional.empty();
    }

    /**
     * A line priced from a stale price book: an amendment's new rate never reached the billing system, so it keeps
     * billing the {@code previous} (pre-amendment) terms on the service's lines until someone notices (one
     * RATE_MISMATCH per line, same formula as above; an amendment that lowered the price makes it an overcharge).
     * Empty when the old rate would bill the same amount.
     */
    static Optional<LineError> stalePriceBook(BigDecimal quantity, AppliedRate contracted, AppliedRate previous) {
        String currency = contracted.currency();
        BigDecimal rate = contracted.unitRateFor(quantity);
        BigDecimal billed = previous.unitRateFor(quantity);
        BigDecimal amount = Currencies.round(rate.subtract(billed).multiply(quantity), currency);
        if (billed.compareTo(rate) == 0 || amount.signum() == 0 || billed.signum() < 0) {
            return Optional.empty();
        }
        return Optional.of(new LineError(AlertType.RATE_MISMATCH, billed, Pricing.lineTotal(billed, quantity, currency),
                amount, "stale price book: amendment not loaded into billing, billed the pre-amendment rate"));
    }

    private static BigDecimal percentOf(BigDecimal value, int percent) {
        return value.multiply(BigDecimal.valueOf(percent)).divide(HUNDRED);
    }
}
