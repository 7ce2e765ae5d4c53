package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * MISSING_INVOICE: an (account, month) whose invoice is never issued, at the options' missing invoice rate.
 * <pre>
 * amount = sum over services of round(price(terms at the period start, expected quantity))
 *          expected = billable(seats or usage), or the committed quantity for support
 * </pre>
 * Judged when the period closes.
 */
final class MissingInvoiceInjector {
    private MissingInvoiceInjector() {
    }

    /** Draws whether the month's invoice goes missing; if it does, its label. */
    static Optional<Judged> inject(Account account, int month, GeneratorOptions options, SplittableRandom random) {
        if (random.nextDouble() >= options.missingInvoiceRate()) {
            return Optional.empty();
        }
        YearMonth period = account.period(month);
        Instant periodStart = WorldGenerator.firstOf(period);
        BigDecimal amount = BigDecimal.ZERO;
        for (CatalogService service : account.services()) {
            AppliedRate terms = account.termsAt(service, periodStart);
            BigDecimal expected = switch (service) {
                case API_CALLS, STORAGE, SEATS -> Terms.billable(terms, account.demand(service, month));
                case SUPPORT -> terms.line().getCommittedQuantity();
            };
            amount = amount.add(Currencies.round(Terms.price(terms, expected), account.currency()));
        }
        String cause = switch (random.nextInt(3)) {
            case 0 -> "invoice never issued: account skipped by the billing run";
            case 1 -> "invoice never issued: account stuck in a failed billing-system migration";
            default -> "invoice never issued: invoice held for review and forgotten";
        };
        String key = WorldGenerator.PERIOD.format(period);
        return Optional.of(new Judged(new Label(AlertType.MISSING_INVOICE.name(), account.id(), key, amount,
                account.currency(), null, null, key, cause), Judged.closeOf(period)));
    }
}
