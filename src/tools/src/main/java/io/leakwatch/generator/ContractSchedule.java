package io.leakwatch.generator;

import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The contract of one account ({@code ctr-<account>}) and its versions. Version 1 is signed days before the first
 * month, at a list price per service; amendments (versions 2, 3) end the old rate line on the effective
 * date and start a new one there, and every version carries the complete schedule; an amendment is signed before
 * its effective date, so before the invoice of the month it affects is issued. A churner's last version, signed
 * 3-20 days before the end (never before the version it replaces), ends every rate line on the 1st of the first
 * month no longer under contract; until then the contract looks open-ended, so nothing in it gives the churn
 * away months ahead.
 */
final class ContractSchedule {
    private static final double SECOND_AMENDMENT_SHARE = 0.25;
    private static final Map<String, BigDecimal> USD_TO = Map.of(
            "USD", BigDecimal.ONE, "EUR", new BigDecimal("0.92"), "GBP", new BigDecimal("0.79"),
            "JPY", new BigDecimal("150"));

    /** One rate window of one service. */
    private record Segment(Instant from, Instant to, BigDecimal rate, List<Tier> tiers) {
    }

    private final String account;
    private final String currency;
    private final YearMonth start;
    private final Map<CatalogService, BigDecimal> commitments;
    private final SplittableRandom random;
    private final Map<CatalogService, List<Segment>> schedule = new EnumMap<>(CatalogService.class);
    private final List<Contract> versions = new ArrayList<>();

    private ContractSchedule(String account, String currency, YearMonth start,
                             Map<CatalogService, BigDecimal> commitments, SplittableRandom random) {
        this.account = account;
        this.currency = currency;
        this.start = start;
        this.commitments = commitments;
        this.random = random;
    }

    /**
     * Draws every version: list prices, version 1, the amendments (the one a billing problem starts with, or one
     * at the options' amendment rate, and sometimes a second) and, for a churner, the last version. An account with
     * a baseline shape ({@link RevenueShapes.Kind#baseline()}) has no amendment but a price step's.
     */
    static ContractSchedule draw(GeneratorOptions options, String account, String currency, Account.Size size,
                                 List<CatalogService> services, Map<CatalogService, BigDecimal> commitments,
                                 Churn churn, BillingProblem problem, RevenueShapes.Shape shape,
                                 SplittableRandom random) {
        ContractSchedule contract = new ContractSchedule(account, currency, options.startMonth(), commitments, random);
        Instant contractStart = WorldGenerator.firstOf(options.startMonth());
        for (CatalogService service : services) {
            BigDecimal rate = contract.listPrice(service, size);
            contract.schedule.put(service, new ArrayList<>(List.of(
                    new Segment(contractStart, null, rate, contract.tiers(service, rate)))));
        }
        Instant signed = contractStart.minus(Duration.ofDays(3 + random.nextInt(40))).plus(contract.officeHours());
        contract.versions.add(contract.version(1, signed));
        if (shape != null && shape.kind().baseline()) {
            if (shape.kind() == RevenueShapes.Kind.PRICE_STEP) {
                contract.reprice(services, shape.onset(), shape.price());
            }
        } else {
            contract.drawAmendments(options, services, churn.billedMonths(), problem);
        }
        if (churn.churns()) {
            contract.terminate(churn.end());
        }
        return contract;
    }

    /** Every version, in order. */
    List<Contract> versions() {
        return Collections.unmodifiableList(versions);
    }

    /** The last version: the complete schedule. */
    Contract latest() {
        return versions.get(versions.size() - 1);
    }

    /** The instants in {@code (from, to)} where a rate line of the service starts: where a line is cut pro rata. */
    List<Instant> changesWithin(CatalogService service, Instant from, Instant to) {
        List<Instant> changes = new ArrayList<>();
        for (Segment segment : schedule.get(service)) {
            if (segment.from().isAfter(from) && segment.from().isBefore(to)) {
                changes.add(segment.from());
            }
        }
        return changes;
    }

    /** Whether any service's rate changes inside {@code (from, to)}. */
    boolean changesWithin(Instant from, Instant to) {
        for (CatalogService service : schedule.keySet()) {
            if (!changesWithin(service, from, to).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The account's price for a service: a USD list price converted and rounded to rate precision. */
    private BigDecimal listPrice(CatalogService service, Account.Size size) {
        BigDecimal usd = switch (service) {
            case SEATS -> BigDecimal.valueOf(random.nextInt(24, 121)).multiply(new BigDecimal("0.5"));
            case API_CALLS -> BigDecimal.valueOf(random.nextInt(800, 6001), 4);
            case STORAGE -> BigDecimal.valueOf(random.nextInt(200, 2501), 4);
            case SUPPORT -> BigDecimal.valueOf(switch (size) {
                case SMALL -> random.nextInt(99, 300);
                case MEDIUM -> random.nextInt(300, 1501);
                case LARGE -> random.nextInt(1500, 5001);
            });
        };
        return Pricing.rate(usd.multiply(USD_TO.get(currency)), currency);
    }

    private List<Tier> tiers(CatalogService service, BigDecimal rate) {
        return service.tiered() ? tiers(rate, currency) : List.of();
    }

    /** The generator's volume tiers of a tiered service whose base rate is {@code rate}. */
    static List<Tier> tiers(BigDecimal rate, String currency) {
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < CatalogService.TIER_FROM.size(); i++) {
            tiers.add(Tier.newBuilder()
                    .setFromQuantity(Pricing.quantity(CatalogService.TIER_FROM.get(i)))
                    .setUnitRate(Pricing.rate(rate.multiply(CatalogService.TIER_FACTOR.get(i)), currency))
                    .build());
        }
        return tiers;
    }

    /** Version 2 (and sometimes 3): new rates for one or two services from the 1st or the 15th. */
    private void drawAmendments(GeneratorOptions options, List<CatalogService> services, int billedMonths,
                                BillingProblem problem) {
        int lastMonth = billedMonths - 1;
        int month;
        if (problem.amendmentMonth() >= 0) {     // a billing problem that starts with an amendment (on the 1st: no pro rata)
            month = problem.amendmentMonth();
            amend(services, month, 1, problem.amendedService());
        } else {
            if (lastMonth < 1 || random.nextDouble() >= options.amendmentRate()) {
                return;
            }
            month = random.nextInt(1, lastMonth + 1);
            amend(services, month, random.nextBoolean() ? 1 : 15, null);
        }
        if (month + 2 <= lastMonth && random.nextDouble() < SECOND_AMENDMENT_SHARE) {
            amend(services, random.nextInt(month + 2, lastMonth + 1), random.nextBoolean() ? 1 : 15, null);
        }
    }

    /** An amendment effective on {@code day} of {@code month}, repricing one or two services ({@code must} among them). */
    private void amend(List<CatalogService> services, int month, int day, CatalogService must) {
        Instant effective = start.plusMonths(month).atDay(day).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant signed = effective.minus(Duration.ofDays(3 + random.nextInt(18))).plus(officeHours());
        List<CatalogService> changed = new ArrayList<>(services);
        int keep = services.size() == 1 ? 1 : 1 + random.nextInt(2);
        while (changed.size() > keep) {
            changed.remove(random.nextInt(changed.size()));
        }
        if (must != null && !changed.contains(must)) {
            changed.set(0, must);
        }
        for (CatalogService service : changed) {
            List<Segment> segments = schedule.get(service);
            Segment current = segments.remove(segments.size() - 1);
            segments.add(new Segment(current.from(), effective, current.rate(), current.tiers()));
            int percent = random.nextBoolean() ? 3 + random.nextInt(10) : -(5 + random.nextInt(11));
            BigDecimal rate = Pricing.rate(current.rate().multiply(BigDecimal.valueOf(100 + percent))
                    .divide(BigDecimal.valueOf(100)), currency);
            if (rate.compareTo(current.rate()) == 0) {
                rate = rate.add(Pricing.rateStep(currency));
            }
            segments.add(new Segment(effective, current.to(), rate, tiers(service, rate)));
        }
        versions.add(version(versions.size() + 1, signed));
    }

    /** A price step: an amendment from the 1st of {@code month} multiplies every rate by {@code factor}. */
    private void reprice(List<CatalogService> services, int month, double factor) {
        Instant effective = WorldGenerator.firstOf(start.plusMonths(month));
        Instant signed = effective.minus(Duration.ofDays(3 + random.nextInt(18))).plus(officeHours());
        for (CatalogService service : services) {
            List<Segment> segments = schedule.get(service);
            Segment current = segments.remove(segments.size() - 1);
            segments.add(new Segment(current.from(), effective, current.rate(), current.tiers()));
            BigDecimal rate = Pricing.rate(current.rate().multiply(BigDecimal.valueOf(factor)), currency);
            segments.add(new Segment(effective, current.to(), rate, tiers(service, rate)));
        }
        versions.add(version(versions.size() + 1, signed));
    }

    /** The last version: every rate line ends at {@code end}. */
    private void terminate(Instant end) {
        Instant previous = latest().getSignedAt();
        Instant signed = end.minus(Duration.ofDays(3 + random.nextInt(18))).plus(officeHours());
        if (!signed.isAfter(previous)) {
            signed = previous.plus(Duration.ofHours(1));
        }
        for (List<Segment> segments : schedule.values()) {
            Segment last = segments.remove(segments.size() - 1);
            segments.add(new Segment(last.from(), end, last.rate(), last.tiers()));
        }
        versions.add(version(versions.size() + 1, signed));
    }

    private Contract version(int version, Instant signed) {
        List<RateLine> rateLines = new ArrayList<>();
        schedule.forEach((service, segments) -> segments.forEach(s -> rateLines.add(RateLine.newBuilder()
                .setService(service.id())
                .setUnit(service.unit())
                .setUnitRate(s.rate())
                .setCurrency(currency)
                .setEffectiveFrom(s.from())
                .setEffectiveTo(s.to())
                .setCommittedQuantity(commitments.get(service))
                .setTiers(s.tiers())
                .build())));
        return Contract.newBuilder()
                .setContractId("ctr-" + account)
                .setAccountId(account)
                .setVersion(version)
                .setSignedAt(signed)
                .setLines(rateLines)
                .build();
    }

    private Duration officeHours() {
        return Duration.ofHours(8 + random.nextInt(10)).plusMinutes(random.nextInt(60));
    }
}
