package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * PROVISIONING_MISMATCH: a seat (account, month) billed below the provisioned level, at the options' provisioning
 * mismatch rate: an upgrade provisioned but billed at last month's level, or a downgrade of up to a tenth of the
 * seats processed in billing only.
 * <pre>
 * amount = shortfall(terms at the period start, billable(provisioned), billed), evidence seats/yyyy-MM
 * </pre>
 * Judged when the period closes.
 */
final class ProvisioningMismatchInjector {
    private ProvisioningMismatchInjector() {
    }

    /** Draws whether the month's seats are billed short; if they are, the shortfall. */
    static Optional<Shortfall> inject(Account account, int month, GeneratorOptions options, SplittableRandom random) {
        if (random.nextDouble() >= options.provisioningMismatchRate()) {
            return Optional.empty();
        }
        YearMonth period = account.period(month);
        AppliedRate terms = account.termsAt(CatalogService.SEATS, WorldGenerator.firstOf(period));
        BigDecimal provisioned = account.demand(CatalogService.SEATS, month);
        BigDecimal level = Terms.billable(terms, provisioned);
        BigDecimal billed;
        String cause;
        if (month > 0 && provisioned.compareTo(account.demand(CatalogService.SEATS, month - 1)) > 0
                && random.nextBoolean()) {
            billed = account.demand(CatalogService.SEATS, month - 1);
            cause = "upgrade provisioned but never billed";
        } else {
            long seats = level.longValue();
            if (seats < 2) {
                return Optional.empty();
            }
            long down = 1 + random.nextLong(Math.max(1, seats / 10));
            billed = BigDecimal.valueOf(seats - down);
            cause = "downgrade processed in billing but not in provisioning";
        }
        BigDecimal amount = Terms.shortfall(terms, level, billed);
        if (billed.compareTo(level) >= 0 || billed.signum() <= 0 || amount.signum() == 0) {
            return Optional.empty();
        }
        String key = CatalogService.SEATS.id() + "/" + WorldGenerator.PERIOD.format(period);
        Label label = new Label(AlertType.PROVISIONING_MISMATCH.name(), account.id(), key, amount, account.currency(),
                null, null, WorldGenerator.PERIOD.format(period), cause);
        return Optional.of(new Shortfall(CatalogService.SEATS, Pricing.quantity(billed),
                new Judged(label, Judged.closeOf(period))));
    }
}
