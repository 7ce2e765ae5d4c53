package io.leakwatch.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Leakage propensity: as in real billing, most leakage comes from about {@value #SHARE} of the accounts with one
 * persistent billing problem from an onset month on, and most problems show before their first leak.
 * <ul>
 *   <li>stale price book: an amendment, effective on the 1st of the onset month, whose new rates never reach
 *   billing; most lines of the repriced service are billed at the pre-amendment rate from then on
 *   ({@link RateMismatchInjector}); the signed amendment is visible before the first such invoice;</li>
 *   <li>broken metering feed: part of the usage lost ({@link UnbilledUsageInjector}); about half of them break
 *   with a usage-plan amendment of the service, the rest without warning;</li>
 *   <li>overage never set up in billing: api-calls usage above the commitment is not billed
 *   ({@link UnbilledUsageInjector}), and usage grows past the commitment from the onset month, so utilisation
 *   rises before and while it leaks.</li>
 * </ul>
 * A problem is only drawn where its error type is switched on in the options.
 *
 * @param kind            the problem, {@link Kind#NONE} for most accounts
 * @param onset           first month the problem shows
 * @param staleService    the service whose price book is stale (drawn for every kind, used by stale price book)
 * @param amendmentMonth  month of the amendment the problem starts with, effective on the 1st (-1: none)
 * @param amendedService  the service that amendment reprices (null: none)
 */
record BillingProblem(Kind kind, int onset, CatalogService staleService, int amendmentMonth,
                      CatalogService amendedService) {
    /** Accounts with a persistent billing problem. */
    static final double SHARE = 0.2;
    /** Broken metering accounts whose feed broke with a usage-plan change (an amendment): the rest break silently. */
    static final double BROKEN_METERING_AFTER_PLAN_CHANGE = 0.5;
    static final BillingProblem NONE = new BillingProblem(Kind.NONE, 0, null, -1, null);

    /** What keeps going wrong, and the cause a revenue label gives for it. */
    enum Kind {
        NONE(""), STALE_PRICE_BOOK("stale price book"), BROKEN_METERING("broken metering feed"),
        OVERAGE("usage beyond the commitment");

        final String cause;

        Kind(String cause) {
            this.cause = cause;
        }
    }

    /** Only accounts without a revenue shape and with at least 4 billed months get a problem. */
    static BillingProblem draw(GeneratorOptions options, List<CatalogService> services, int billedMonths,
                               SplittableRandom random, RevenueShapes.Shape shape) {
        if (shape != null || billedMonths < 4 || random.nextDouble() >= SHARE) {
            return NONE;
        }
        List<Kind> kinds = new ArrayList<>();
        if (options.rateErrorRate() > 0 && options.amendmentRate() > 0) {
            kinds.add(Kind.STALE_PRICE_BOOK);
        }
        if (options.unbilledUsageRate() > 0 && services.stream().anyMatch(CatalogService::metered)) {
            kinds.add(Kind.BROKEN_METERING);
        }
        if (options.unbilledUsageRate() > 0 && services.contains(CatalogService.API_CALLS)) {
            kinds.add(Kind.OVERAGE);
        }
        if (kinds.isEmpty()) {
            return NONE;
        }
        Kind kind = kinds.get(random.nextInt(kinds.size()));
        int onset = random.nextInt(1, billedMonths - 1);
        CatalogService staleService = services.get(random.nextInt(services.size()));
        List<CatalogService> metered = services.stream().filter(CatalogService::metered).toList();
        if (kind == Kind.STALE_PRICE_BOOK) {
            // the amendment's new prices never reach the billing system's price book
            return new BillingProblem(kind, onset, staleService, onset, staleService);
        }
        if (kind == Kind.BROKEN_METERING && options.amendmentRate() > 0
                && random.nextDouble() < BROKEN_METERING_AFTER_PLAN_CHANGE) {
            // a new usage plan whose meter mapping in billing drops part of the usage
            return new BillingProblem(kind, onset, staleService, onset, metered.get(random.nextInt(metered.size())));
        }
        return new BillingProblem(kind, onset, staleService, -1, null);
    }

    /** Whether the service's lines of the month are priced from the stale price book. */
    boolean staleRates(CatalogService service, int month) {
        return kind == Kind.STALE_PRICE_BOOK && service == staleService && month >= onset;
    }

    /**
     * The kind of unbilled usage the problem causes for a service in a month ({@link UnbilledUsageInjector}), or
     * null.
     */
    UnbilledUsageInjector.Kind unbilledUsage(CatalogService service, int month) {
        if (!service.metered()) {
            return null;
        }
        return switch (kind) {
            // after a plan change only the repriced service's meter is broken
            case BROKEN_METERING -> month >= onset && (amendedService == null || service == amendedService)
                    ? UnbilledUsageInjector.Kind.SHARE : null;
            // the overage clause was never set up: any month above the commitment, before the growth too
            case OVERAGE -> service == CatalogService.API_CALLS ? UnbilledUsageInjector.Kind.COMMITMENT : null;
            default -> null;
        };
    }

    /** The factor usage grows by under an overage problem: past the commitment from the onset, at most 2.2. */
    double demandFactor(CatalogService service, int month) {
        if (kind == Kind.OVERAGE && service == CatalogService.API_CALLS && month >= onset) {
            return Math.min(2.2, 1.0 + 0.12 * (month - onset + 1));
        }
        return 1;
    }
}
