package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * UNBILLED_USAGE: a metered (account, service, month) billed below its billable usage. One-off at the options'
 * unbilled usage rate, or, for an account with a broken metering feed or an overage never set up
 * ({@link BillingProblem}), in most months of the problem ({@value #BROKEN_METERING_MONTH_SHARE},
 * {@value #UNBILLED_OVERAGE_MONTH_SHARE} of them).
 * <pre>
 * SHARE:      billed = max(committed, 70-90% of usage)       metering export lost part of the usage
 * COMMITMENT: billed = committed  (usage above it)           overage not billed
 * DROP:       no line for the service (another one is billed)
 * amount = shortfall(terms at the period start, billable(usage), billed), evidence service/yyyy-MM
 * </pre>
 * Judged when the period closes; a draw that bills nothing less is no error.
 */
final class UnbilledUsageInjector {
    /** Per metered service and month after the onset: usage lost by the broken metering export. */
    static final double BROKEN_METERING_MONTH_SHARE = 0.8;
    /** Per month with usage above the commitment: overage not billed (the overage clause was never set up). */
    static final double UNBILLED_OVERAGE_MONTH_SHARE = 0.85;

    /** How the usage goes unbilled. */
    enum Kind { SHARE, COMMITMENT, DROP }

    private UnbilledUsageInjector() {
    }

    /** Draws whether the metered service's usage of the month goes partly unbilled; if it does, the shortfall. */
    static Optional<Shortfall> inject(Account account, CatalogService service, int month, GeneratorOptions options,
                                      SplittableRandom random) {
        Kind forced = account.problem().unbilledUsage(service, month);
        if (forced == Kind.COMMITMENT && !aboveCommitment(account, service, month)) {
            forced = null;
        }
        double rate = forced == null ? options.unbilledUsageRate()
                : forced == Kind.COMMITMENT ? UNBILLED_OVERAGE_MONTH_SHARE : BROKEN_METERING_MONTH_SHARE;
        if (random.nextDouble() >= rate) {
            return Optional.empty();
        }
        return unbilled(account, service, month, forced, random);
    }

    private static boolean aboveCommitment(Account account, CatalogService service, int month) {
        BigDecimal committed = account.termsAt(service, WorldGenerator.firstOf(account.period(month))).line()
                .getCommittedQuantity();
        return committed != null && account.demand(service, month).compareTo(committed) > 0;
    }

    /** {@code forced}: the kind a billing problem causes, used when the month allows it; null: a drawn kind. */
    private static Optional<Shortfall> unbilled(Account account, CatalogService service, int month, Kind forced,
                                                SplittableRandom random) {
        YearMonth period = account.period(month);
        AppliedRate terms = account.termsAt(service, WorldGenerator.firstOf(period));
        BigDecimal used = account.demand(service, month);
        BigDecimal expected = Terms.billable(terms, used);
        BigDecimal committed = terms.line().getCommittedQuantity();
        List<Kind> kinds = new ArrayList<>(List.of(Kind.SHARE, Kind.SHARE));
        if (committed != null && used.compareTo(committed) > 0) {
            kinds.add(Kind.COMMITMENT);
            kinds.add(Kind.COMMITMENT);
        }
        if (account.services().size() > 1) {
            kinds.add(Kind.DROP);
        }
        Kind kind = forced != null && kinds.contains(forced) ? forced : kinds.get(random.nextInt(kinds.size()));
        BigDecimal billed;
        String cause;
        switch (kind) {
            case COMMITMENT -> {
                billed = committed;
                cause = "usage overage not billed: only the commitment was invoiced";
            }
            case DROP -> {
                billed = null;
                cause = "usage not billed: the service's line was left off the invoice";
            }
            default -> {
                BigDecimal share = used.multiply(BigDecimal.valueOf(random.nextInt(70, 91)))
                        .divide(BigDecimal.valueOf(100), service.quantityScale(), RoundingMode.DOWN);
                billed = committed != null && committed.compareTo(share) > 0 ? committed : share;
                cause = "usage overage not billed: metering export lost part of the month's usage";
            }
        }
        BigDecimal billedQuantity = billed == null ? BigDecimal.ZERO : billed;
        if (billedQuantity.compareTo(expected) >= 0 || (billed != null && billed.signum() <= 0)) {
            return Optional.empty();
        }
        BigDecimal amount = Terms.shortfall(terms, expected, billedQuantity);
        if (amount.signum() == 0) {
            return Optional.empty();
        }
        String key = service.id() + "/" + WorldGenerator.PERIOD.format(period);
        Label label = new Label(AlertType.UNBILLED_USAGE.name(), account.id(), key, amount, account.currency(), null,
                null, WorldGenerator.PERIOD.format(period), cause);
        return Optional.of(new Shortfall(service, billed == null ? null : Pricing.quantity(billed),
                new Judged(label, Judged.closeOf(period))));
    }
}
