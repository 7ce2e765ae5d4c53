package io.leakwatch.generator;

import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractTerms;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic billing world: accounts with versioned contracts and monthly invoices, a small
 * share of invoice lines carrying a labelled pricing or arithmetic error, and a few records a pipeline
 * must reject.
 *
 * <p>World rules (what the detectors expect of clean data):
 * <ul>
 *   <li>one contract per account ({@code ctr-<account>}); version 1 signed days before the first month;
 *   amendments (versions 2, 3) end the old rate line on the effective date and start a new one there, and
 *   every version carries the complete schedule; an amendment is signed before its effective date, so
 *   before the invoice of the month it affects is issued;</li>
 *   <li>a few contracts end on the 1st of a month; their account is not invoiced from then on;</li>
 *   <li>invoice {@code inv-<account>-<yyyyMM>} is issued on the 1st of the next month at 06:00 UTC, due 30
 *   days later, one line per service; a month with a mid-month rate change is split into pro-rata lines at
 *   the change date, so every line is priced by one rate line;</li>
 *   <li>clean line: {@code unit_rate = AppliedRate.unitRateFor(quantity)} of the terms in force at
 *   {@code service_period_start}, {@code line_total = round(unit_rate * quantity)} (HALF_EVEN, minor unit).</li>
 * </ul>
 * Errors are injected by {@link LeakageInjector}; the labels are exactly the findings
 * {@link InvoiceLineChecks} reports. Determinism: every choice comes from one {@link SplittableRandom}
 * seeded with {@link GeneratorOptions#seed()}, split per account; no hash-ordered iteration, no clock.
 */
public final class WorldGenerator {
    private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyy-MM");
    private static final DateTimeFormatter PERIOD_ID = DateTimeFormatter.ofPattern("yyyyMM");
    private static final Duration ISSUE_TIME = Duration.ofHours(6);
    private static final Duration PAYMENT_TERMS = Duration.ofDays(30);
    private static final double ENDING_CONTRACT_SHARE = 0.03;
    private static final double SECOND_AMENDMENT_SHARE = 0.25;
    private static final Map<String, BigDecimal> USD_TO = Map.of(
            "USD", BigDecimal.ONE, "EUR", new BigDecimal("0.92"), "GBP", new BigDecimal("0.79"),
            "JPY", new BigDecimal("150"));

    private enum Size { SMALL, MEDIUM, LARGE }

    /** One rate window of one service while the schedule is being built. */
    private record Segment(Instant from, Instant to, BigDecimal rate, List<Tier> tiers) {
    }

    private WorldGenerator() {
    }

    public static World generate(GeneratorOptions options) {
        SplittableRandom master = new SplittableRandom(options.seed());
        List<Contract> contracts = new ArrayList<>();
        List<InvoiceLine> lines = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        Map<Integer, RevenueShapes.Shape> plan = RevenueShapes.plan(options, options.resolvedRevenueShapesPerKind());
        Map<String, RevenueShapes.Shape> shapes = new java.util.TreeMap<>();
        Map<String, Integer> ended = new java.util.TreeMap<>();
        for (int i = 1; i <= options.accounts(); i++) {
            String account = String.format("acct-%05d", i);
            RevenueShapes.Shape shape = plan.get(i);
            AccountBuilder builder = new AccountBuilder(options, account, master.split(), shape);
            builder.build(contracts, lines, labels);
            if (shape != null) {
                shapes.put(account, shape);
            } else if (builder.contractEnd != null) {
                ended.put(account, builder.billedMonths);
            }
        }
        labels.addAll(RevenueShapes.labels(options, shapes, ended, lines, List.copyOf(labels)));
        contracts.sort(Comparator.comparing(Contract::getSignedAt)
                .thenComparing(Contract::getContractId)
                .thenComparingInt(Contract::getVersion));
        lines.sort(Comparator.comparing(InvoiceLine::getIssuedAt)
                .thenComparing(InvoiceLine::getInvoiceId)
                .thenComparingInt(l -> l.getLineId().length())
                .thenComparing(InvoiceLine::getLineId));
        labels.sort(Label.ORDER);
        int badCount = options.resolvedBadRecordCount(contracts.size() + lines.size());
        List<BadRecord> bad = BadRecords.make(master.split(), badCount, contracts, lines);
        return new World(options, contracts, lines, labels, bad);
    }

    /** Everything about one account, drawn from the account's own random stream. */
    private static final class AccountBuilder {
        private final GeneratorOptions options;
        private final String account;
        private final SplittableRandom random;
        private final SplittableRandom injections;
        private final YearMonth start;
        private final Instant contractStart;
        private final Size size;
        private final String currency;
        private final List<CatalogService> services = new ArrayList<>();
        private final Map<CatalogService, List<Segment>> schedule = new EnumMap<>(CatalogService.class);
        private final List<Contract> versions = new ArrayList<>();
        private final RevenueShapes.Shape shape;
        private Instant contractEnd;
        private int billedMonths;

        AccountBuilder(GeneratorOptions options, String account, SplittableRandom random, RevenueShapes.Shape shape) {
            this.shape = shape;
            this.options = options;
            this.account = account;
            this.random = random;
            this.injections = random.split();
            this.start = options.startMonth();
            this.contractStart = firstOf(start);
            this.size = drawSize();
            this.currency = drawCurrency();
        }

        void build(List<Contract> contracts, List<InvoiceLine> lines, List<Label> labels) {
            drawServices();
            billedMonths = options.months();
            if (options.months() >= 4 && random.nextDouble() < ENDING_CONTRACT_SHARE) {
                billedMonths = random.nextInt(3, options.months());
                contractEnd = firstOf(start.plusMonths(billedMonths));
                if (shape != null) {     // a shaped account keeps its contract: the shape is its only story
                    billedMonths = options.months();
                    contractEnd = null;
                }
            }
            for (CatalogService service : services) {
                BigDecimal rate = listPrice(service);
                schedule.put(service, new ArrayList<>(List.of(
                        new Segment(contractStart, contractEnd, rate, tiers(service, rate)))));
            }
            Instant signed = contractStart.minus(Duration.ofDays(3 + random.nextInt(40))).plus(officeHours());
            versions.add(contract(1, signed));
            drawAmendments();
            contracts.addAll(versions);
            Contract latest = versions.get(versions.size() - 1);
            Map<CatalogService, BigDecimal[]> quantities = new EnumMap<>(CatalogService.class);
            for (CatalogService service : services) {
                BigDecimal[] series = quantities(service);
                if (shape != null) {
                    for (int m = 0; m < series.length; m++) {
                        series[m] = RevenueShapes.scale(series[m], shape.factor(m), service.quantityScale());
                    }
                }
                quantities.put(service, series);
            }
            for (int month = 0; month < billedMonths; month++) {
                invoice(month, latest, quantities, lines, labels);
            }
        }

        private Size drawSize() {
            double u = random.nextDouble();
            return u < 0.6 ? Size.SMALL : u < 0.9 ? Size.MEDIUM : Size.LARGE;
        }

        private String drawCurrency() {
            double u = random.nextDouble();
            return u < 0.70 ? "USD" : u < 0.88 ? "EUR" : u < 0.97 ? "GBP" : "JPY";
        }

        private void drawServices() {
            double supportShare = size == Size.LARGE ? 0.8 : 0.3;
            double[] shares = {0.85, 0.6, 0.5, supportShare};
            for (CatalogService service : CatalogService.values()) {
                if (random.nextDouble() < shares[service.ordinal()]) {
                    services.add(service);
                }
            }
            if (services.isEmpty()) {
                services.add(CatalogService.SEATS);
            }
        }

        /** The account's price for a service: a USD list price converted and rounded to rate precision. */
        private BigDecimal listPrice(CatalogService service) {
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
            if (!service.tiered()) {
                return List.of();
            }
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
        private void drawAmendments() {
            int lastMonth = billedMonths - 1;
            if (lastMonth < 1 || random.nextDouble() >= options.amendmentRate()) {
                return;
            }
            int month = random.nextInt(1, lastMonth + 1);
            amend(month);
            if (month + 2 <= lastMonth && random.nextDouble() < SECOND_AMENDMENT_SHARE) {
                amend(random.nextInt(month + 2, lastMonth + 1));
            }
        }

        private void amend(int month) {
            int day = random.nextBoolean() ? 1 : 15;
            Instant effective = start.plusMonths(month).atDay(day).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant signed = effective.minus(Duration.ofDays(3 + random.nextInt(18))).plus(officeHours());
            List<CatalogService> changed = new ArrayList<>(services);
            int keep = services.size() == 1 ? 1 : 1 + random.nextInt(2);
            while (changed.size() > keep) {
                changed.remove(random.nextInt(changed.size()));
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
            versions.add(contract(versions.size() + 1, signed));
        }

        private Contract contract(int version, Instant signed) {
            List<RateLine> rateLines = new ArrayList<>();
            schedule.forEach((service, segments) -> segments.forEach(s -> rateLines.add(RateLine.newBuilder()
                    .setService(service.id())
                    .setUnit(service.unit())
                    .setUnitRate(s.rate())
                    .setCurrency(currency)
                    .setEffectiveFrom(s.from())
                    .setEffectiveTo(s.to())
                    .setCommittedQuantity(null)
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

        /** Monthly quantities: seats grow slowly, API calls are noisy with a trend, storage grows. */
        private BigDecimal[] quantities(CatalogService service) {
            BigDecimal[] series = new BigDecimal[billedMonths];
            switch (service) {
                case SEATS -> {
                    long seats = switch (size) {
                        case SMALL -> random.nextLong(3, 16);
                        case MEDIUM -> random.nextLong(16, 121);
                        case LARGE -> random.nextLong(121, 2001);
                    };
                    for (int m = 0; m < billedMonths; m++) {
                        double u = random.nextDouble();
                        if (m > 0 && u < 0.35) {
                            seats += Math.max(1, Math.round(seats * random.nextDouble(0, 0.05)));
                        } else if (m > 0 && u < 0.43 && seats > 3) {
                            seats -= 1;
                        }
                        series[m] = BigDecimal.valueOf(seats);
                    }
                }
                case API_CALLS -> {
                    double base = logUniform(switch (size) {
                        case SMALL -> 20;
                        case MEDIUM -> 800;
                        case LARGE -> 8_000;
                    }, switch (size) {
                        case SMALL -> 1_500;
                        case MEDIUM -> 15_000;
                        case LARGE -> 250_000;
                    });
                    double trend = random.nextDouble(-0.01, 0.05);
                    for (int m = 0; m < billedMonths; m++) {
                        double value = base * StrictMath.pow(1 + trend, m) * random.nextDouble(0.75, 1.25);
                        series[m] = BigDecimal.valueOf(Math.max(1, Math.round(value)));
                    }
                }
                case STORAGE -> {
                    double gb = logUniform(switch (size) {
                        case SMALL -> 5;
                        case MEDIUM -> 200;
                        case LARGE -> 5_000;
                    }, switch (size) {
                        case SMALL -> 300;
                        case MEDIUM -> 6_000;
                        case LARGE -> 150_000;
                    });
                    double growth = random.nextDouble(0.005, 0.04);
                    for (int m = 0; m < billedMonths; m++) {
                        if (m > 0) {
                            gb = Math.max(1, gb * (1 + growth + random.nextDouble(-0.01, 0.01)));
                        }
                        series[m] = BigDecimal.valueOf(Math.round(gb * 100), 2);
                    }
                }
                case SUPPORT -> java.util.Arrays.fill(series, BigDecimal.ONE);
            }
            return series;
        }

        private void invoice(int month, Contract contract, Map<CatalogService, BigDecimal[]> quantities,
                             List<InvoiceLine> lines, List<Label> labels) {
            YearMonth period = start.plusMonths(month);
            Instant periodStart = firstOf(period);
            Instant periodEnd = firstOf(period.plusMonths(1));
            Instant issued = periodEnd.plus(ISSUE_TIME);
            String invoiceId = "inv-" + account + "-" + PERIOD_ID.format(period);
            int lineNumber = 0;
            for (CatalogService service : services) {
                List<Instant> cuts = new ArrayList<>();
                cuts.add(periodStart);
                for (Segment segment : schedule.get(service)) {
                    if (segment.from().isAfter(periodStart) && segment.from().isBefore(periodEnd)) {
                        cuts.add(segment.from());
                    }
                }
                cuts.add(periodEnd);
                BigDecimal monthQuantity = quantities.get(service)[month];
                BigDecimal remaining = monthQuantity;
                long monthSeconds = Duration.between(periodStart, periodEnd).toSeconds();
                for (int p = 0; p + 1 < cuts.size(); p++) {
                    Instant from = cuts.get(p);
                    Instant to = cuts.get(p + 1);
                    BigDecimal quantity;
                    if (p + 2 == cuts.size()) {
                        quantity = remaining;
                    } else {
                        quantity = monthQuantity.multiply(BigDecimal.valueOf(Duration.between(from, to).toSeconds()))
                                .divide(BigDecimal.valueOf(monthSeconds), service.quantityScale(), RoundingMode.HALF_EVEN);
                        remaining = remaining.subtract(quantity);
                    }
                    lineNumber++;
                    String description = service.id() + " " + PERIOD.format(period)
                            + (cuts.size() > 2 ? " pro rata " + day(from) + ".." + day(to.minus(Duration.ofDays(1))) : "");
                    priceLine(contract, service, invoiceId, "L" + lineNumber, from, to, Pricing.quantity(quantity),
                            issued, description, PERIOD.format(period), lines, labels);
                }
            }
        }

        private void priceLine(Contract contract, CatalogService service, String invoiceId, String lineId,
                               Instant from, Instant to, BigDecimal quantity, Instant issued, String description,
                               String period, List<InvoiceLine> lines, List<Label> labels) {
            AppliedRate terms = ContractTerms.at(contract, service.id(), from).rate().orElseThrow(
                    () -> new IllegalStateException("no terms for " + account + " " + service.id() + " at " + from));
            BigDecimal rate = terms.unitRateFor(quantity);
            BigDecimal total = Pricing.lineTotal(rate, quantity, currency);

            double draw = injections.nextDouble();
            Optional<LeakageInjector.Injection> injection = Optional.empty();
            if (quantity.signum() > 0 && draw < options.rateErrorRate()) {
                injection = LeakageInjector.rateMismatch(injections, quantity, terms, previousTerms(contract, terms));
            } else if (quantity.signum() > 0 && draw < options.rateErrorRate() + options.arithmeticErrorRate()) {
                injection = LeakageInjector.arithmetic(injections, quantity, rate, currency);
            }
            if (injection.isPresent()) {
                LeakageInjector.Injection error = injection.get();
                rate = error.billedRate();
                total = error.lineTotal();
                labels.add(new Label(error.type().name(), account, invoiceId + "/" + lineId, error.amount(), currency,
                        invoiceId, lineId, period, error.cause()));
            }
            lines.add(InvoiceLine.newBuilder()
                    .setInvoiceId(invoiceId)
                    .setLineId(lineId)
                    .setAccountId(account)
                    .setService(service.id())
                    .setServicePeriodStart(from)
                    .setServicePeriodEnd(to)
                    .setQuantity(quantity)
                    .setUnitRate(rate)
                    .setLineTotal(total)
                    .setCurrency(currency)
                    .setIssuedAt(issued)
                    .setDueAt(issued.plus(PAYMENT_TERMS))
                    .setDescription(description)
                    .build());
        }

        /** The terms an amendment replaced: the rate line in force just before the current one started. */
        private Optional<AppliedRate> previousTerms(Contract contract, AppliedRate terms) {
            Instant from = terms.line().getEffectiveFrom();
            if (!from.isAfter(contractStart)) {
                return Optional.empty();
            }
            return ContractTerms.at(contract, terms.line().getService(), from.minusMillis(1)).rate();
        }

        private Duration officeHours() {
            return Duration.ofHours(8 + random.nextInt(10)).plusMinutes(random.nextInt(60));
        }

        private double logUniform(double low, double high) {
            return StrictMath.exp(random.nextDouble(StrictMath.log(low), StrictMath.log(high)));
        }
    }

    private static Instant firstOf(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
