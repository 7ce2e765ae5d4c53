package io.leakwatch.generator;

import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractTerms;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One account as drawn before anything is billed: size, currency, services, whether it churns ({@link Churn}),
 * its persistent billing problem if any ({@link BillingProblem}), its monthly demand per service ({@link Demand})
 * and its contract ({@link ContractSchedule}). The clean invoice of a month and every injected error read from it.
 *
 * <p>Services: {@code seats} is provisioned and its line bills the level in force at the period start;
 * {@code api-calls} and {@code storage} are metered and their line bills
 * {@code billable(usage) = max(usage, committed_quantity)} (about 30% of api-calls rate
 * lines have a commitment); {@code support} is a fixed fee: committed quantity 1, quantity 1.
 */
final class Account {
    private static final double COMMITTED_API_CALLS_SHARE = 0.3;

    enum Size { SMALL, MEDIUM, LARGE }

    private final String id;
    private final YearMonth start;
    private final Size size;
    private final String currency;
    private final List<CatalogService> services;
    private final Churn churn;
    private final BillingProblem problem;
    /** Per service and month: seats provisioned, metered usage, or 1 for support. */
    private final Map<CatalogService, BigDecimal[]> series;
    private final ContractSchedule contract;

    private Account(String id, YearMonth start, Size size, String currency, List<CatalogService> services,
                    Churn churn, BillingProblem problem, Map<CatalogService, BigDecimal[]> series,
                    ContractSchedule contract) {
        this.id = id;
        this.start = start;
        this.size = size;
        this.currency = currency;
        this.services = services;
        this.churn = churn;
        this.problem = problem;
        this.series = series;
        this.contract = contract;
    }

    /**
     * Draws the account from its profile stream, in this order: size, currency, services, churn, billing problem,
     * demand, commitments, contract. A revenue {@code shape} (null: none) scales the demand, so usage,
     * provisioning and invoices agree, and leaves the account without churn, problem or api-calls commitment.
     */
    static Account draw(GeneratorOptions options, String id, SplittableRandom random, RevenueShapes.Shape shape) {
        Size size = drawSize(random);
        String currency = drawCurrency(random);
        List<CatalogService> services = drawServices(size, random);
        Churn churn = Churn.draw(options, random, shape);
        BillingProblem problem = BillingProblem.draw(options, services, churn.billedMonths(), random, shape);
        Map<CatalogService, BigDecimal[]> series = new EnumMap<>(CatalogService.class);
        for (CatalogService service : services) {
            BigDecimal[] demand = Demand.draw(service, size, churn.billedMonths(), random);
            if (shape != null) {
                RevenueShapes.apply(shape, demand, service.quantityScale(), service == CatalogService.SUPPORT);
            }
            applyPrecursorsAndOverage(service, demand, churn, problem);
            series.put(service, demand);
        }
        Map<CatalogService, BigDecimal> commitments = drawCommitments(services, series, problem, shape, random);
        ContractSchedule contract = ContractSchedule.draw(options, id, currency, size, services, commitments, churn,
                problem, shape, random);
        return new Account(id, options.startMonth(), size, currency, Collections.unmodifiableList(services), churn,
                problem, series, contract);
    }

    String id() {
        return id;
    }

    /** The first billed month; the contract starts on its 1st. */
    YearMonth start() {
        return start;
    }

    Size size() {
        return size;
    }

    String currency() {
        return currency;
    }

    List<CatalogService> services() {
        return services;
    }

    Churn churn() {
        return churn;
    }

    BillingProblem problem() {
        return problem;
    }

    ContractSchedule contract() {
        return contract;
    }

    int billedMonths() {
        return churn.billedMonths();
    }

    /** The service's quantity of a month: seats provisioned, metered usage, or 1 for support. */
    BigDecimal demand(CatalogService service, int month) {
        return series.get(service)[month];
    }

    /** The billed month with index {@code month} (0 = the first). */
    YearMonth period(int month) {
        return start.plusMonths(month);
    }

    /** The index of the billed month that holds {@code at}. */
    int monthIndex(Instant at) {
        return (int) start.until(YearMonth.from(at.atZone(ZoneOffset.UTC)), ChronoUnit.MONTHS);
    }

    String invoiceId(YearMonth period) {
        return "inv-" + id + "-" + WorldGenerator.PERIOD_ID.format(period);
    }

    AppliedRate termsAt(CatalogService service, Instant at) {
        return ContractTerms.at(contract.latest(), service.id(), at).rate().orElseThrow(
                () -> new IllegalStateException("no terms for " + id + " " + service.id() + " at " + at));
    }

    /** The terms an amendment replaced: the rate line in force just before the current one started. */
    Optional<AppliedRate> previousTerms(AppliedRate terms) {
        Instant from = terms.line().getEffectiveFrom();
        if (!from.isAfter(WorldGenerator.firstOf(start))) {
            return Optional.empty();
        }
        return ContractTerms.at(contract.latest(), terms.line().getService(), from.minusMillis(1)).rate();
    }

    /** The quantity a clean line bills for the month: provisioned seats, billable usage, or 1. */
    BigDecimal billedQuantity(CatalogService service, int month) {
        BigDecimal value = demand(service, month);
        return switch (service) {
            case API_CALLS, STORAGE -> Terms.billable(termsAt(service, WorldGenerator.firstOf(period(month))), value);
            default -> value;
        };
    }

    /** Whether a rate changes inside the month, splitting its lines pro rata. */
    boolean midMonthChange(int month) {
        return contract.changesWithin(WorldGenerator.firstOf(period(month)), WorldGenerator.firstOf(period(month + 1)));
    }

    private static Size drawSize(SplittableRandom random) {
        double u = random.nextDouble();
        return u < 0.6 ? Size.SMALL : u < 0.9 ? Size.MEDIUM : Size.LARGE;
    }

    private static String drawCurrency(SplittableRandom random) {
        double u = random.nextDouble();
        return u < 0.70 ? "USD" : u < 0.88 ? "EUR" : u < 0.97 ? "GBP" : "JPY";
    }

    /** Each service with its own chance (support more often for large accounts); at least seats. */
    private static List<CatalogService> drawServices(Size size, SplittableRandom random) {
        double supportShare = size == Size.LARGE ? 0.8 : 0.3;
        double[] shares = {0.85, 0.6, 0.5, supportShare};
        List<CatalogService> services = new ArrayList<>();
        for (CatalogService service : CatalogService.values()) {
            if (random.nextDouble() < shares[service.ordinal()]) {
                services.add(service);
            }
        }
        if (services.isEmpty()) {
            services.add(CatalogService.SEATS);
        }
        return services;
    }

    /** Precursors shrink usage (to half) and seats (by a third) at full intensity; overage lifts api-calls. */
    private static void applyPrecursorsAndOverage(CatalogService service, BigDecimal[] demand, Churn churn,
                                                  BillingProblem problem) {
        for (int m = 0; m < demand.length; m++) {
            double factor = 1;
            if (service.metered()) {
                factor -= 0.5 * churn.at(m);
            } else if (service == CatalogService.SEATS) {
                factor -= 0.35 * churn.at(m);
            }
            factor *= problem.demandFactor(service, m);     // grows past the commitment
            if (factor != 1) {
                BigDecimal unit = BigDecimal.ONE.movePointLeft(demand[m].scale());
                BigDecimal scaled = demand[m].multiply(BigDecimal.valueOf(factor))
                        .setScale(demand[m].scale(), RoundingMode.HALF_EVEN);
                demand[m] = service == CatalogService.SEATS
                        ? scaled.setScale(0, RoundingMode.HALF_EVEN).max(BigDecimal.ONE).setScale(demand[m].scale())
                        : scaled.max(unit);
            }
        }
    }

    /** About 30% of api-calls lines prepay a commitment near the usual usage; support commits to 1 month. */
    private static Map<CatalogService, BigDecimal> drawCommitments(List<CatalogService> services,
                                                                   Map<CatalogService, BigDecimal[]> series,
                                                                   BillingProblem problem, RevenueShapes.Shape shape,
                                                                   SplittableRandom random) {
        Map<CatalogService, BigDecimal> commitments = new EnumMap<>(CatalogService.class);
        boolean overage = problem.kind() == BillingProblem.Kind.OVERAGE;
        if (services.contains(CatalogService.API_CALLS)
                && (overage || random.nextDouble() < COMMITTED_API_CALLS_SHARE)) {
            BigDecimal first = series.get(CatalogService.API_CALLS)[0];
            double headroom = overage ? random.nextDouble(1.05, 1.3) : random.nextDouble(0.8, 1.3);
            long committed = Math.max(1, Math.round(first.doubleValue() * headroom));
            if (shape == null) {     // a prepaid floor would hide a revenue shape's decline
                commitments.put(CatalogService.API_CALLS, Pricing.quantity(BigDecimal.valueOf(committed)));
            }
        }
        if (services.contains(CatalogService.SUPPORT)) {
            commitments.put(CatalogService.SUPPORT, Pricing.quantity(BigDecimal.ONE));
        }
        return commitments;
    }
}
