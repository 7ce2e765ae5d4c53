package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractTerms;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.money.Currencies;
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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic synthetic billing world: accounts with versioned contracts, provisioning, metered usage,
 * monthly invoices and their payments; a small share of it carries a labelled leakage error; a little revenue
 * is unattributed; and a few records a pipeline must reject.
 *
 * <p>World rules (what the detectors expect of clean data):
 * <ul>
 *   <li>one contract per account ({@code ctr-<account>}); version 1 signed days before the first month;
 *   amendments (versions 2, 3) end the old rate line on the effective date and start a new one there, and
 *   every version carries the complete schedule; an amendment is signed before its effective date, so
 *   before the invoice of the month it affects is issued;</li>
 *   <li>churn: about {@value #CHURN_SHARE} of the accounts end their contract on the 1st of a month (a last
 *   version, signed 3-20 days before, ends every rate line); their account is not invoiced from then on (seats are
 *   deprovisioned to 0 then) and gets a {@code CHURN} label. Their last 4-6 months show precursors at a per-account
 *   intensity (usage down to half, seats down by a third, failed-then-recovered or late payments, now and then an
 *   unrecovered failure); about one churner in eight shows almost none, and a few accounts that stay go through the same
 *   kind of rough patch and recover;</li>
 *   <li>leakage propensity: as in real billing, most leakage comes from about {@value #HYGIENE_SHARE} of the accounts
 *   with one persistent billing problem, and most problems show before their first leak: stale price book (an
 *   amendment, effective on the 1st, whose new rates never reach billing: most lines of the repriced service billed
 *   at the pre-amendment rate from then on, RATE_MISMATCH; the signed amendment is visible before the first such
 *   invoice); broken metering feed (part of the usage lost, UNBILLED_USAGE; half of them break with a usage-plan
 *   amendment of the service, the rest without warning); overage never set up in billing (api-calls usage above
 *   the commitment is not billed, UNBILLED_USAGE, and usage grows past the commitment from an onset month, so
 *   utilisation rises before and while it leaks). On top come the independent one-off background errors of the
 *   options' rates (0.1-0.2% per unit by default). Each is injected through the same paths, so its labels are exact
 *   like the others;</li>
 *   <li>services: {@code seats} is provisioned: a provisioning change gives the initial level at the contract
 *   start and every change takes effect on the 1st of a month at 00:00 UTC; the seats line bills the level in
 *   force at the period start. {@code api-calls} and {@code storage} are metered: 4-8 usage records a month
 *   on different days sum exactly to the month's usage, and the line bills
 *   {@code billable(usage) = max(usage, committed_quantity)} (about 30% of api-calls rate lines have a
 *   commitment). {@code support} is a fixed fee: committed quantity 1, quantity 1;</li>
 *   <li>invoice {@code inv-<account>-<yyyyMM>} is issued on the 1st of the next month at 06:00 UTC, due 30
 *   days later, one line per service; a month with a mid-month rate change is split into pro-rata lines at
 *   the change date, so every line is priced by one rate line;</li>
 *   <li>clean line: {@code unit_rate = AppliedRate.unitRateFor(quantity)} of the terms in force at
 *   {@code service_period_start}, {@code line_total = round(unit_rate * quantity)} (HALF_EVEN, minor unit);</li>
 *   <li>payments: see {@link PaymentPlanner}; every clean invoice is settled (paid + credited = total) by
 *   its due date;</li>
 *   <li>unattributed revenue: see {@link UnattributedRevenue}.</li>
 * </ul>
 * Errors: RATE_MISMATCH and CHARGE_ARITHMETIC by {@link LeakageInjector} (the labels are exactly the
 * findings {@link InvoiceLineChecks} reports); DUPLICATE_CHARGE, UNBILLED_USAGE, MISSING_INVOICE and
 * PROVISIONING_MISMATCH here; the payment findings by {@link PaymentPlanner}; UNATTRIBUTED_REVENUE by
 * {@link UnattributedRevenue}. Month-level errors (unbilled usage, missing invoice, provisioning mismatch)
 * are never injected in a month with a mid-month amendment (the rules price with the terms at the period
 * start) and at most one per account and month; a month with one of them has no duplicated line; an
 * invoice carrying a duplicate is paid in full; a line has at most one error.
 *
 * <p>Judgement time: a label is kept only when its finding's judgement instant ({@link Judged}) is not after
 * the world's last record timestamp, where stream time ends. All records lie before the close of the month
 * after the last billed month, so no detector judges a month the world has no data for.
 *
 * <p>Determinism: every choice comes from one {@link SplittableRandom} seeded with
 * {@link GeneratorOptions#seed()}, split per account; no hash-ordered iteration, no clock.
 */
public final class WorldGenerator {
    static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyy-MM");
    /** Label type of a churned account (a training target, not an alert type). */
    static final String CHURN = "CHURN";
    static final DateTimeFormatter PERIOD_ID = DateTimeFormatter.ofPattern("yyyyMM");
    static final Duration ISSUE_TIME = Duration.ofHours(6);
    static final Duration PAYMENT_TERMS = Duration.ofDays(30);
    /** Accounts whose contract ends (churn), with precursors in the months before. */
    static final double CHURN_SHARE = 0.10;
    /** Accounts that keep their contract but go through a rough patch that looks like churn precursors. */
    static final double ROUGH_PATCH_SHARE = 0.08;
    /** Churners that show (almost) no precursors. */
    static final double SILENT_CHURN_SHARE = 0.12;
    /** Accounts with a persistent billing-hygiene problem from an onset month on. */
    static final double HYGIENE_SHARE = 0.2;
    /** Per line of the affected service after the onset: priced from the stale price book. */
    static final double STALE_PRICE_LINE_SHARE = 0.9;
    /** Per metered service and month after the onset: usage lost by the broken metering export. */
    static final double BROKEN_METERING_MONTH_SHARE = 0.8;
    /** Broken metering accounts whose feed broke with a usage-plan change (an amendment): the rest break silently. */
    static final double BROKEN_METERING_AFTER_PLAN_CHANGE = 0.5;
    /** Per month with usage above the commitment: overage not billed (the overage clause was never set up). */
    static final double UNBILLED_OVERAGE_MONTH_SHARE = 0.85;
    private static final double SECOND_AMENDMENT_SHARE = 0.25;
    private static final double COMMITTED_API_CALLS_SHARE = 0.3;
    private static final Map<String, BigDecimal> USD_TO = Map.of(
            "USD", BigDecimal.ONE, "EUR", new BigDecimal("0.92"), "GBP", new BigDecimal("0.79"),
            "JPY", new BigDecimal("150"));

    private enum Size { SMALL, MEDIUM, LARGE }

    /** A persistent billing problem of one account (leakage propensity): what keeps going wrong from its onset. */
    private enum Hygiene {
        NONE(""), STALE_PRICE_BOOK("stale price book"), BROKEN_METERING("broken metering feed"),
        OVERAGE("usage beyond the commitment");

        final String cause;

        Hygiene(String cause) {
            this.cause = cause;
        }
    }

    /** One rate window of one service while the schedule is being built. */
    private record Segment(Instant from, Instant to, BigDecimal rate, List<Tier> tiers) {
    }

    /** Everything generated, before sorting. */
    static final class Sink {
        final List<Contract> contracts = new ArrayList<>();
        final List<InvoiceLine> lines = new ArrayList<>();
        final List<UsageRecord> usage = new ArrayList<>();
        final List<Payment> payments = new ArrayList<>();
        final List<ProvisioningChange> provisioning = new ArrayList<>();
        final List<Judged> labels = new ArrayList<>();
    }

    private WorldGenerator() {
    }

    public static World generate(GeneratorOptions options) {
        SplittableRandom master = new SplittableRandom(options.seed());
        Sink sink = new Sink();
        Map<Integer, RevenueShapes.Shape> plan = RevenueShapes.plan(options, options.resolvedRevenueShapesPerKind());
        Map<String, RevenueShapes.Shape> shapes = new java.util.TreeMap<>();
        Map<String, Integer> ended = new java.util.TreeMap<>();
        Map<String, String> precursors = new java.util.TreeMap<>();
        for (int i = 1; i <= options.accounts(); i++) {
            String account = String.format("acct-%05d", i);
            RevenueShapes.Shape shape = plan.get(i);
            AccountBuilder builder = new AccountBuilder(options, account, master.split(), shape);
            builder.build(sink);
            if (shape != null) {
                shapes.put(account, shape);
            } else if (builder.contractEnd != null) {
                ended.put(account, builder.billedMonths);
            }
            if (builder.distressFrom >= 0) {
                precursors.put(account, builder.contractEnd != null ? "usage declining before the contract ended"
                        : "usage slump of a rough patch");
            } else if (builder.hygiene != Hygiene.NONE) {
                precursors.put(account, "revenue moved by a persistent billing problem: " + builder.hygiene.cause);
            }
        }
        SplittableRandom badRandom = master.split();
        if (options.unattributedRevenue()) {
            UnattributedRevenue.add(options, master.split(), sink);
        }
        sink.contracts.sort(Comparator.comparing(Contract::getSignedAt)
                .thenComparing(Contract::getContractId)
                .thenComparingInt(Contract::getVersion));
        sink.lines.sort(Comparator.comparing(InvoiceLine::getIssuedAt)
                .thenComparing(InvoiceLine::getInvoiceId)
                .thenComparingInt(l -> l.getLineId().length())
                .thenComparing(InvoiceLine::getLineId));
        sink.usage.sort(Comparator.comparing(UsageRecord::getOccurredAt).thenComparing(UsageRecord::getUsageId));
        sink.payments.sort(Comparator.comparing(Payment::getAttemptedAt).thenComparing(Payment::getPaymentId));
        sink.provisioning.sort(Comparator.comparing(ProvisioningChange::getEffectiveAt)
                .thenComparing(ProvisioningChange::getChangeId));
        Instant last = lastTimestamp(sink);
        List<Label> labels = new ArrayList<>();
        for (Judged judged : sink.labels) {
            if (last != null && !judged.judgedAt().isAfter(last)) {
                labels.add(judged.label());
            }
        }
        if (last != null) {
            labels.addAll(RevenueShapes.labels(options, shapes, ended, precursors, sink.lines, List.copyOf(labels), last));
        }
        labels.sort(Label.ORDER);
        int badCount = options.resolvedBadRecordCount(sink.contracts.size() + sink.lines.size());
        List<BadRecord> bad = BadRecords.make(badRandom, badCount, sink.contracts, sink.lines, sink.usage);
        return new World(options, sink.contracts, sink.lines, sink.usage, sink.payments, sink.provisioning, labels,
                bad);
    }

    /** The largest record timestamp of the world: where stream time ends. */
    static Instant lastTimestamp(Sink sink) {
        Instant last = null;
        for (Contract c : sink.contracts) {
            last = later(last, c.getSignedAt());
        }
        for (InvoiceLine l : sink.lines) {
            last = later(last, l.getIssuedAt());
        }
        for (UsageRecord u : sink.usage) {
            last = later(last, u.getOccurredAt());
        }
        for (Payment p : sink.payments) {
            last = later(last, p.getAttemptedAt());
        }
        for (ProvisioningChange p : sink.provisioning) {
            last = later(last, p.getEffectiveAt());
        }
        return last;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** A month-level error of one account: a service billed below what it should be (null billed = no line). */
    private record Shortfall(CatalogService service, BigDecimal billed) {
    }

    /** A generated invoice line and whether it may be copied as a duplicate (clean, whole month). */
    private record Built(InvoiceLine line, boolean copyable) {
    }

    /** Everything about one account, drawn from the account's own random stream. */
    private static final class AccountBuilder {
        private final GeneratorOptions options;
        private final String account;
        private final SplittableRandom random;
        private final SplittableRandom injections;
        private final SplittableRandom activity;
        private final YearMonth start;
        private final Instant contractStart;
        private final Size size;
        private final String currency;
        private final List<CatalogService> services = new ArrayList<>();
        private final Map<CatalogService, List<Segment>> schedule = new EnumMap<>(CatalogService.class);
        private final Map<CatalogService, BigDecimal> commitments = new EnumMap<>(CatalogService.class);
        /** Per service and month: seats provisioned, metered usage, or 1 for support. */
        private final Map<CatalogService, BigDecimal[]> series = new EnumMap<>(CatalogService.class);
        private final List<Contract> versions = new ArrayList<>();
        private Instant contractEnd;
        /** Months [distressFrom, distressTo] show churn precursors (-1: none), at intensity {@code distress}. */
        private int distressFrom = -1;
        private int distressTo = -1;
        private double distress;
        private Hygiene hygiene = Hygiene.NONE;
        private int hygieneOnset;
        private CatalogService staleService;
        /** The amendment a billing problem starts with (-1: none): month, effective on the 1st, and the service it reprices. */
        private int problemAmendment = -1;
        private CatalogService problemService;
        private int billedMonths;
        private Contract latest;
        private final RevenueShapes.Shape shape;

        AccountBuilder(GeneratorOptions options, String account, SplittableRandom random, RevenueShapes.Shape shape) {
            this.shape = shape;
            this.options = options;
            this.account = account;
            this.random = random;
            this.injections = random.split();
            this.activity = random.split();
            this.start = options.startMonth();
            this.contractStart = firstOf(start);
            this.size = drawSize();
            this.currency = drawCurrency();
        }

        void build(Sink sink) {
            drawServices();
            billedMonths = options.months();
            // a shaped account keeps its contract: the shape is its only story
            if (options.months() >= 4 && random.nextDouble() < CHURN_SHARE && shape == null) {
                billedMonths = random.nextInt(Math.min(6, options.months() - 1), options.months());
                contractEnd = firstOf(start.plusMonths(billedMonths));
            }
            drawDistress();
            drawHygiene();
            for (CatalogService service : services) {
                BigDecimal[] demand = quantities(service);
                if (shape != null) {     // the shape scales demand, so usage, provisioning and invoices agree
                    RevenueShapes.apply(shape, demand, service.quantityScale());
                }
                applyDistressAndOverage(service, demand);
                series.put(service, demand);
            }
            drawCommitments();
            for (CatalogService service : services) {
                BigDecimal rate = listPrice(service);
                schedule.put(service, new ArrayList<>(List.of(
                        new Segment(contractStart, null, rate, tiers(service, rate)))));
            }
            Instant signed = contractStart.minus(Duration.ofDays(3 + random.nextInt(40))).plus(officeHours());
            versions.add(contract(1, signed));
            drawAmendments();
            if (contractEnd != null) {
                terminate();
            }
            sink.contracts.addAll(versions);
            latest = versions.get(versions.size() - 1);

            boolean[] missing = new boolean[billedMonths];
            Shortfall[] shortfalls = new Shortfall[billedMonths];
            drawMonthErrors(missing, shortfalls, sink.labels);
            List<List<Built>> invoices = new ArrayList<>();
            for (int month = 0; month < billedMonths; month++) {
                invoices.add(missing[month] ? List.of() : invoice(month, shortfalls[month], sink.labels));
            }
            List<PaymentPlanner.Invoice> supplementary = new ArrayList<>();
            boolean[] carriesCopy = drawDuplicates(invoices, missing, shortfalls, supplementary, sink);
            for (int month = 0; month < billedMonths; month++) {
                List<Built> lines = invoices.get(month);
                lines.forEach(b -> sink.lines.add(b.line()));
                if (!lines.isEmpty()) {
                    pay(toPayable(month, lines), carriesCopy[month], distressAt(month), sink);
                }
            }
            for (PaymentPlanner.Invoice invoice : supplementary) {
                pay(invoice, true, 0, sink);
            }
            if (contractEnd != null) {
                churnLabel(invoices).ifPresent(sink.labels::add);
            }
            usage(sink.usage);
            provisioning(sink.provisioning);
        }

        /** About 30% of api-calls lines prepay a commitment near the usual usage; support commits to 1 month. */
        private void drawCommitments() {
            if (services.contains(CatalogService.API_CALLS)
                    && (hygiene == Hygiene.OVERAGE || random.nextDouble() < COMMITTED_API_CALLS_SHARE)) {
                BigDecimal[] usage = series.get(CatalogService.API_CALLS);
                BigDecimal first = usage[0];
                double headroom = hygiene == Hygiene.OVERAGE ? random.nextDouble(1.05, 1.3) : random.nextDouble(0.8, 1.3);
                long committed = Math.max(1, Math.round(first.doubleValue() * headroom));
                if (shape == null) {     // a prepaid floor would hide a revenue shape's decline
                    commitments.put(CatalogService.API_CALLS, Pricing.quantity(BigDecimal.valueOf(committed)));
                }
            }
            if (services.contains(CatalogService.SUPPORT)) {
                commitments.put(CatalogService.SUPPORT, Pricing.quantity(BigDecimal.ONE));
            }
        }

        /**
         * Churn precursors. A churner shows them in its last 4-6 billed months at an intensity drawn per account
         * (about one churner in eight barely shows any); a few other accounts go through a rough patch of 4-6 months
         * with the same signs and recover. Intensity d(m) grows linearly over the patch.
         */
        private void drawDistress() {
            if (shape != null) {
                return;
            }
            int length = 4 + random.nextInt(3);
            if (contractEnd != null) {
                distressTo = billedMonths - 1;
                distressFrom = Math.max(0, billedMonths - length);
                distress = random.nextDouble() < SILENT_CHURN_SHARE ? random.nextDouble(0, 0.2) : random.nextDouble(0.5, 1.0);
            } else if (billedMonths >= length + 2 && random.nextDouble() < ROUGH_PATCH_SHARE) {
                distressFrom = random.nextInt(1, billedMonths - length + 1);
                distressTo = distressFrom + length - 1;
                distress = random.nextDouble(0.3, 0.9);
            }
        }

        /** Precursor intensity of a month: 0 outside the patch, rising to {@code distress} at its last month. */
        private double distressAt(int month) {
            if (distressFrom < 0 || month < distressFrom || month > distressTo) {
                return 0;
            }
            return distress * (month - distressFrom + 1) / (distressTo - distressFrom + 1);
        }

        /** A minority of accounts get one persistent billing problem from an onset month on. */
        private void drawHygiene() {
            if (shape != null || billedMonths < 4 || random.nextDouble() >= HYGIENE_SHARE) {
                return;
            }
            // a problem only where its error type is switched on: a world without rate errors gets no stale price book
            List<Hygiene> kinds = new ArrayList<>();
            if (options.rateErrorRate() > 0 && options.amendmentRate() > 0) {
                kinds.add(Hygiene.STALE_PRICE_BOOK);
            }
            if (options.unbilledUsageRate() > 0 && services.stream().anyMatch(CatalogService::metered)) {
                kinds.add(Hygiene.BROKEN_METERING);
            }
            if (options.unbilledUsageRate() > 0 && services.contains(CatalogService.API_CALLS)) {
                kinds.add(Hygiene.OVERAGE);
            }
            if (kinds.isEmpty()) {
                return;
            }
            hygiene = kinds.get(random.nextInt(kinds.size()));
            hygieneOnset = random.nextInt(1, billedMonths - 1);
            staleService = services.get(random.nextInt(services.size()));
            List<CatalogService> metered = services.stream().filter(CatalogService::metered).toList();
            if (hygiene == Hygiene.STALE_PRICE_BOOK) {
                // the amendment's new prices never reach the billing system's price book
                problemAmendment = hygieneOnset;
                problemService = staleService;
            } else if (hygiene == Hygiene.BROKEN_METERING && options.amendmentRate() > 0
                    && random.nextDouble() < BROKEN_METERING_AFTER_PLAN_CHANGE) {
                // a new usage plan whose meter mapping in billing drops part of the usage
                problemAmendment = hygieneOnset;
                problemService = metered.get(random.nextInt(metered.size()));
            }
        }

        /** Precursors shrink usage (to half) and seats (by a third) at full intensity; overage lifts api-calls. */
        private void applyDistressAndOverage(CatalogService service, BigDecimal[] demand) {
            for (int m = 0; m < demand.length; m++) {
                double factor = 1;
                if (service.metered()) {
                    factor -= 0.5 * distressAt(m);
                } else if (service == CatalogService.SEATS) {
                    factor -= 0.35 * distressAt(m);
                }
                if (hygiene == Hygiene.OVERAGE && service == CatalogService.API_CALLS && m >= hygieneOnset) {
                    factor *= Math.min(2.2, 1.0 + 0.12 * (m - hygieneOnset + 1));     // grows past the commitment
                }
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

        /**
         * The contract ends: a last version, signed 3-20 days before the end (never before the version it
         * replaces), ends every rate line on the 1st of the first month no longer under contract. Until then the
         * contract looks open-ended, so nothing in the contract gives the churn away months ahead.
         */
        private void terminate() {
            Instant previous = versions.get(versions.size() - 1).getSignedAt();
            Instant signed = contractEnd.minus(Duration.ofDays(3 + random.nextInt(18))).plus(officeHours());
            if (!signed.isAfter(previous)) {
                signed = previous.plus(Duration.ofHours(1));
            }
            for (List<Segment> segments : schedule.values()) {
                Segment last = segments.remove(segments.size() - 1);
                segments.add(new Segment(last.from(), contractEnd, last.rate(), last.tiers()));
            }
            versions.add(contract(versions.size() + 1, signed));
        }

        /**
         * CHURN (a training label, not a finding): period and evidence key = the first month no longer under
         * contract, amount = the last invoiced month's total; judged when the contract ends.
         */
        private Optional<Judged> churnLabel(List<List<Built>> invoices) {
            for (int month = billedMonths - 1; month >= 0; month--) {
                BigDecimal total = BigDecimal.ZERO;
                for (Built b : invoices.get(month)) {
                    total = total.add(b.line().getLineTotal());
                }
                if (total.signum() > 0) {
                    String period = PERIOD.format(start.plusMonths(billedMonths));
                    String cause = distress < 0.2 ? "customer churned: contract ended without warning signs"
                            : "customer churned: contract ended after declining usage and payment trouble";
                    return Optional.of(new Judged(new Label(CHURN, account, period, total, currency, null, null,
                            period, cause), contractEnd));
                }
            }
            return Optional.empty();
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
            int month;
            if (problemAmendment >= 0) {     // a billing problem that starts with an amendment (on the 1st: no pro rata)
                month = problemAmendment;
                amend(month, 1, problemService);
            } else {
                if (lastMonth < 1 || random.nextDouble() >= options.amendmentRate()) {
                    return;
                }
                month = random.nextInt(1, lastMonth + 1);
                amend(month, random.nextBoolean() ? 1 : 15, null);
            }
            if (month + 2 <= lastMonth && random.nextDouble() < SECOND_AMENDMENT_SHARE) {
                amend(random.nextInt(month + 2, lastMonth + 1), random.nextBoolean() ? 1 : 15, null);
            }
        }

        /** An amendment effective on {@code day} of {@code month}, repricing one or two services ({@code must} among them). */
        private void amend(int month, int day, CatalogService must) {
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


        private AppliedRate termsAt(CatalogService service, Instant at) {
            return ContractTerms.at(latest, service.id(), at).rate().orElseThrow(
                    () -> new IllegalStateException("no terms for " + account + " " + service.id() + " at " + at));
        }

        /** The quantity a clean line bills for the month: provisioned seats, billable usage, or 1. */
        private BigDecimal billedQuantity(CatalogService service, int month) {
            BigDecimal value = series.get(service)[month];
            return switch (service) {
                case API_CALLS, STORAGE -> Terms.billable(termsAt(service, firstOf(start.plusMonths(month))), value);
                default -> value;
            };
        }

        private boolean midMonthChange(int month) {
            Instant from = firstOf(start.plusMonths(month));
            Instant to = firstOf(start.plusMonths(month + 1));
            for (List<Segment> segments : schedule.values()) {
                for (Segment segment : segments) {
                    if (segment.from().isAfter(from) && segment.from().isBefore(to)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** MISSING_INVOICE, UNBILLED_USAGE, PROVISIONING_MISMATCH: at most one per month, none in split months. */
        private void drawMonthErrors(boolean[] missing, Shortfall[] shortfalls, List<Judged> labels) {
            for (int month = 0; month < billedMonths; month++) {
                if (midMonthChange(month)) {
                    continue;
                }
                if (injections.nextDouble() < options.missingInvoiceRate()) {
                    missing[month] = true;
                    labels.add(missingInvoice(month));
                    continue;
                }
                for (CatalogService service : services) {
                    String forced = hygieneShortfall(service, month);
                    if ("commitment".equals(forced) && !aboveCommitment(service, month)) {
                        forced = null;
                    }
                    double rate = forced == null ? options.unbilledUsageRate()
                            : forced.equals("commitment") ? UNBILLED_OVERAGE_MONTH_SHARE : BROKEN_METERING_MONTH_SHARE;
                    if (shortfalls[month] == null && service.metered() && injections.nextDouble() < rate) {
                        unbilled(service, month, forced).ifPresent(j -> {
                            shortfalls[j.month] = j.shortfall;
                            labels.add(j.label);
                        });
                    }
                }
                if (shortfalls[month] == null && services.contains(CatalogService.SEATS)
                        && injections.nextDouble() < options.provisioningMismatchRate()) {
                    provisioningMismatch(month).ifPresent(j -> {
                        shortfalls[j.month] = j.shortfall;
                        labels.add(j.label);
                    });
                }
            }
        }

        private record MonthError(int month, Shortfall shortfall, Judged label) {
        }

        /** The kind of unbilled usage the account's hygiene problem causes in a month, or null. */
        private String hygieneShortfall(CatalogService service, int month) {
            if (!service.metered()) {
                return null;
            }
            return switch (hygiene) {
                // after a plan change only the repriced service's meter is broken
                case BROKEN_METERING -> month >= hygieneOnset && (problemService == null || service == problemService)
                        ? "share" : null;
                // the overage clause was never set up: any month above the commitment, before the growth too
                case OVERAGE -> service == CatalogService.API_CALLS ? "commitment" : null;
                default -> null;
            };
        }

        private boolean aboveCommitment(CatalogService service, int month) {
            BigDecimal committed = termsAt(service, firstOf(start.plusMonths(month))).line().getCommittedQuantity();
            return committed != null && series.get(service)[month].compareTo(committed) > 0;
        }

        private Judged missingInvoice(int month) {
            YearMonth period = start.plusMonths(month);
            Instant periodStart = firstOf(period);
            BigDecimal amount = BigDecimal.ZERO;
            for (CatalogService service : services) {
                AppliedRate terms = termsAt(service, periodStart);
                BigDecimal expected = switch (service) {
                    case API_CALLS, STORAGE, SEATS -> Terms.billable(terms, series.get(service)[month]);
                    case SUPPORT -> terms.line().getCommittedQuantity();
                };
                amount = amount.add(Currencies.round(Terms.price(terms, expected), currency));
            }
            String cause = switch (injections.nextInt(3)) {
                case 0 -> "invoice never issued: account skipped by the billing run";
                case 1 -> "invoice never issued: account stuck in a failed billing-system migration";
                default -> "invoice never issued: invoice held for review and forgotten";
            };
            return new Judged(new Label(AlertType.MISSING_INVOICE.name(), account, PERIOD.format(period), amount,
                    currency, null, null, PERIOD.format(period), cause), Judged.closeOf(period));
        }

        private Optional<MonthError> unbilled(CatalogService service, int month, String forced) {
            YearMonth period = start.plusMonths(month);
            AppliedRate terms = termsAt(service, firstOf(period));
            BigDecimal used = series.get(service)[month];
            BigDecimal expected = Terms.billable(terms, used);
            BigDecimal committed = terms.line().getCommittedQuantity();
            List<String> kinds = new ArrayList<>(List.of("share", "share"));
            if (committed != null && used.compareTo(committed) > 0) {
                kinds.add("commitment");
                kinds.add("commitment");
            }
            if (services.size() > 1) {
                kinds.add("drop");
            }
            String kind = forced != null && kinds.contains(forced) ? forced : kinds.get(injections.nextInt(kinds.size()));
            BigDecimal billed;
            String cause;
            switch (kind) {
                case "commitment" -> {
                    billed = committed;
                    cause = "usage overage not billed: only the commitment was invoiced";
                }
                case "drop" -> {
                    billed = null;
                    cause = "usage not billed: the service's line was left off the invoice";
                }
                default -> {
                    BigDecimal share = used.multiply(BigDecimal.valueOf(injections.nextInt(70, 91)))
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
            String key = service.id() + "/" + PERIOD.format(period);
            Label label = new Label(AlertType.UNBILLED_USAGE.name(), account, key, amount, currency, null, null,
                    PERIOD.format(period), cause);
            return Optional.of(new MonthError(month,
                    new Shortfall(service, billed == null ? null : Pricing.quantity(billed)),
                    new Judged(label, Judged.closeOf(period))));
        }

        private Optional<MonthError> provisioningMismatch(int month) {
            YearMonth period = start.plusMonths(month);
            AppliedRate terms = termsAt(CatalogService.SEATS, firstOf(period));
            BigDecimal[] levels = series.get(CatalogService.SEATS);
            BigDecimal level = Terms.billable(terms, levels[month]);
            BigDecimal billed;
            String cause;
            if (month > 0 && levels[month].compareTo(levels[month - 1]) > 0 && injections.nextBoolean()) {
                billed = levels[month - 1];
                cause = "upgrade provisioned but never billed";
            } else {
                long seats = level.longValue();
                if (seats < 2) {
                    return Optional.empty();
                }
                long down = 1 + injections.nextLong(Math.max(1, seats / 10));
                billed = BigDecimal.valueOf(seats - down);
                cause = "downgrade processed in billing but not in provisioning";
            }
            BigDecimal amount = Terms.shortfall(terms, level, billed);
            if (billed.compareTo(level) >= 0 || billed.signum() <= 0 || amount.signum() == 0) {
                return Optional.empty();
            }
            String key = CatalogService.SEATS.id() + "/" + PERIOD.format(period);
            Label label = new Label(AlertType.PROVISIONING_MISMATCH.name(), account, key, amount, currency, null,
                    null, PERIOD.format(period), cause);
            return Optional.of(new MonthError(month, new Shortfall(CatalogService.SEATS, Pricing.quantity(billed)),
                    new Judged(label, Judged.closeOf(period))));
        }

        private List<Built> invoice(int month, Shortfall shortfall, List<Judged> labels) {
            YearMonth period = start.plusMonths(month);
            Instant periodStart = firstOf(period);
            Instant periodEnd = firstOf(period.plusMonths(1));
            Instant issued = periodEnd.plus(ISSUE_TIME);
            String invoiceId = invoiceId(period);
            List<Built> lines = new ArrayList<>();
            for (CatalogService service : services) {
                boolean short_ = shortfall != null && shortfall.service() == service;
                if (short_ && shortfall.billed() == null) {
                    continue;
                }
                List<Instant> cuts = new ArrayList<>();
                cuts.add(periodStart);
                for (Segment segment : schedule.get(service)) {
                    if (segment.from().isAfter(periodStart) && segment.from().isBefore(periodEnd)) {
                        cuts.add(segment.from());
                    }
                }
                cuts.add(periodEnd);
                BigDecimal monthQuantity = short_ ? shortfall.billed() : billedQuantity(service, month);
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
                    String description = service.id() + " " + PERIOD.format(period)
                            + (cuts.size() > 2 ? " pro rata " + day(from) + ".." + day(to.minus(Duration.ofDays(1))) : "");
                    lines.add(priceLine(service, invoiceId, "L" + (lines.size() + 1), from, to,
                            Pricing.quantity(quantity), issued, description, PERIOD.format(period), !short_,
                            cuts.size() == 2, labels));
                }
            }
            return lines;
        }

        private Built priceLine(CatalogService service, String invoiceId, String lineId, Instant from, Instant to,
                                BigDecimal quantity, Instant issued, String description, String period,
                                boolean mayErr, boolean wholeMonth, List<Judged> labels) {
            AppliedRate terms = termsAt(service, from);
            BigDecimal rate = terms.unitRateFor(quantity);
            BigDecimal total = Pricing.lineTotal(rate, quantity, currency);

            double draw = injections.nextDouble();
            Optional<LeakageInjector.Injection> injection = Optional.empty();
            if (mayErr && quantity.signum() > 0 && hygiene == Hygiene.STALE_PRICE_BOOK && service == staleService
                    && monthIndex(from) >= hygieneOnset && injections.nextDouble() < STALE_PRICE_LINE_SHARE) {
                injection = previousTerms(terms).flatMap(old -> LeakageInjector.stalePriceBook(quantity, terms, old));
            }
            boolean stale = injection.isPresent();     // a line has at most one error
            if (!stale && mayErr && quantity.signum() > 0 && draw < options.rateErrorRate()) {
                injection = LeakageInjector.rateMismatch(injections, quantity, terms, previousTerms(terms));
            } else if (!stale && mayErr && quantity.signum() > 0
                    && draw < options.rateErrorRate() + options.arithmeticErrorRate()) {
                injection = LeakageInjector.arithmetic(injections, quantity, rate, currency);
            }
            if (injection.isPresent()) {
                LeakageInjector.Injection error = injection.get();
                rate = error.billedRate();
                total = error.lineTotal();
                labels.add(new Judged(new Label(error.type().name(), account, invoiceId + "/" + lineId, error.amount(),
                        currency, invoiceId, lineId, period, error.cause()), issued));
            }
            InvoiceLine line = InvoiceLine.newBuilder()
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
                    .build();
            return new Built(line, mayErr && injection.isEmpty() && wholeMonth && total.signum() > 0);
        }

        /**
         * DUPLICATE_CHARGE: a clean whole-month line of a month without other month-level errors is copied
         * onto the account's next invoice or onto a supplementary invoice issued 3-20 days after the original.
         * Returns which months' invoices carry a copy (they are paid in full).
         */
        private boolean[] drawDuplicates(List<List<Built>> invoices, boolean[] missing, Shortfall[] shortfalls,
                                         List<PaymentPlanner.Invoice> supplementary, Sink sink) {
            boolean[] carries = new boolean[billedMonths];
            for (int month = 0; month < billedMonths; month++) {
                if (missing[month] || shortfalls[month] != null) {
                    continue;
                }
                for (Built built : List.copyOf(invoices.get(month))) {
                    if (!built.copyable() || injections.nextDouble() >= options.duplicateChargeRate()) {
                        continue;
                    }
                    boolean next = month + 1 < billedMonths && !missing[month + 1] && !carries[month + 1];
                    // A supplementary invoice and its payment stay well before the end of the world.
                    boolean supp = month <= options.months() - 2;
                    if (!next && !supp) {
                        continue;
                    }
                    InvoiceLine original = built.line();
                    InvoiceLine.Builder copy = InvoiceLine.newBuilder(original);
                    String cause;
                    if (next && (!supp || injections.nextBoolean())) {
                        List<Built> carrier = invoices.get(month + 1);
                        InvoiceLine first = carrier.get(0).line();
                        copy.setInvoiceId(first.getInvoiceId())
                                .setLineId("L" + (carrier.size() + 1))
                                .setIssuedAt(first.getIssuedAt())
                                .setDueAt(first.getDueAt());
                        carries[month + 1] = true;
                        cause = "billing glitch: line billed again on the next invoice";
                        InvoiceLine line = copy.build();
                        carrier.add(new Built(line, false));
                        sink.labels.add(duplicateLabel(line, original, cause));
                    } else {
                        Instant issued = original.getIssuedAt().plus(Duration.ofDays(3 + injections.nextInt(18)))
                                .plus(Duration.ofMinutes(injections.nextInt(12 * 60)));
                        copy.setInvoiceId(original.getInvoiceId() + "-S1")
                                .setLineId("L1")
                                .setIssuedAt(issued)
                                .setDueAt(issued.plus(PAYMENT_TERMS));
                        cause = "billing glitch: billing run repeated, supplementary invoice bills the line again";
                        InvoiceLine line = copy.build();
                        sink.lines.add(line);
                        sink.labels.add(duplicateLabel(line, original, cause));
                        supplementary.add(new PaymentPlanner.Invoice(line.getInvoiceId(), account, currency, issued,
                                line.getDueAt(), line.getLineTotal(), PERIOD.format(start.plusMonths(month))));
                    }
                    break;
                }
            }
            return carries;
        }

        private Judged duplicateLabel(InvoiceLine copy, InvoiceLine original, String cause) {
            return new Judged(new Label(AlertType.DUPLICATE_CHARGE.name(), account,
                    copy.getInvoiceId() + "/" + copy.getLineId(), copy.getLineTotal().negate(), currency,
                    copy.getInvoiceId(), copy.getLineId(), PERIOD.format(start.plusMonths(
                            monthIndex(original.getServicePeriodStart()))), cause), copy.getIssuedAt());
        }

        private int monthIndex(Instant at) {
            return (int) start.until(YearMonth.from(at.atZone(ZoneOffset.UTC)), java.time.temporal.ChronoUnit.MONTHS);
        }

        private PaymentPlanner.Invoice toPayable(int month, List<Built> lines) {
            InvoiceLine first = lines.get(0).line();
            BigDecimal total = BigDecimal.ZERO;
            for (Built b : lines) {
                total = total.add(b.line().getLineTotal());
            }
            return new PaymentPlanner.Invoice(first.getInvoiceId(), account, currency, first.getIssuedAt(),
                    first.getDueAt(), total, PERIOD.format(start.plusMonths(month)));
        }

        /** {@code distressed}: the month's precursor intensity; it turns clean payments into struggling ones. */
        private void pay(PaymentPlanner.Invoice invoice, boolean fullOnly, double distressed, Sink sink) {
            PaymentPlanner.Plan plan = PaymentPlanner.Plan.CLEAN;
            if (fullOnly) {
                plan = PaymentPlanner.Plan.FULL_ONLY;
            } else if (distressed > 0 && injections.nextDouble() < 0.15 * distressed) {
                plan = PaymentPlanner.Plan.FAILED_NOT_RECOVERED;
            } else if (distressed > 0 && injections.nextDouble() < 0.7 * distressed) {
                plan = PaymentPlanner.Plan.STRUGGLING;
            } else {
                double u = injections.nextDouble();
                if (u < options.failedPaymentRate()) {
                    plan = PaymentPlanner.Plan.FAILED_NOT_RECOVERED;
                } else if (u < options.failedPaymentRate() + options.unpaidInvoiceRate()) {
                    plan = PaymentPlanner.Plan.UNPAID;
                } else if (u < options.failedPaymentRate() + options.unpaidInvoiceRate() + options.underpaymentRate()) {
                    plan = PaymentPlanner.Plan.UNDERPAID;
                }
            }
            PaymentPlanner.Outcome outcome = PaymentPlanner.plan(activity, invoice, plan);
            sink.payments.addAll(outcome.payments());
            outcome.label().ifPresent(sink.labels::add);
        }

        /** 4-8 usage records a month per metered service, on different days, summing exactly to the usage. */
        private void usage(List<UsageRecord> into) {
            for (CatalogService service : services) {
                if (!service.metered()) {
                    continue;
                }
                for (int month = 0; month < billedMonths; month++) {
                    YearMonth period = start.plusMonths(month);
                    BigDecimal used = series.get(service)[month];
                    int count = 4 + activity.nextInt(5);
                    TreeSet<Integer> days = new TreeSet<>();
                    while (days.size() < count) {
                        days.add(1 + activity.nextInt(period.lengthOfMonth()));
                    }
                    double[] weights = new double[count];
                    double sum = 0;
                    for (int i = 0; i < count; i++) {
                        weights[i] = activity.nextDouble(0.5, 1.5);
                        sum += weights[i];
                    }
                    BigDecimal left = used;
                    int i = 0;
                    for (int d : days) {
                        BigDecimal quantity;
                        if (i == count - 1) {
                            quantity = left;
                        } else {
                            quantity = used.multiply(BigDecimal.valueOf(weights[i] / sum))
                                    .setScale(service.usageScale(), RoundingMode.DOWN);
                            left = left.subtract(quantity);
                        }
                        Instant at = period.atDay(d).atStartOfDay(ZoneOffset.UTC).toInstant()
                                .plusSeconds(activity.nextLong(86_400));
                        into.add(UsageRecord.newBuilder()
                                .setUsageId("use-" + account + "-" + service.id() + "-" + PERIOD_ID.format(period)
                                        + "-" + (i + 1))
                                .setAccountId(account)
                                .setService(service.id())
                                .setQuantity(Pricing.quantity(quantity))
                                .setUnit(service.unit())
                                .setOccurredAt(at)
                                .build());
                        i++;
                    }
                }
            }
        }

        /** Seats: the initial level at the contract start, each change on the 1st of its month, 0 at the end. */
        private void provisioning(List<ProvisioningChange> into) {
            if (!services.contains(CatalogService.SEATS)) {
                return;
            }
            String plan = switch (size) {
                case SMALL -> "team";
                case MEDIUM -> "business";
                case LARGE -> "enterprise";
            };
            BigDecimal[] levels = series.get(CatalogService.SEATS);
            int n = 0;
            for (int month = 0; month < billedMonths; month++) {
                if (month == 0 || levels[month].compareTo(levels[month - 1]) != 0) {
                    into.add(change(++n, firstOf(start.plusMonths(month)), levels[month], plan));
                }
            }
            if (contractEnd != null) {
                into.add(change(++n, contractEnd, BigDecimal.ZERO, null));
            }
        }

        private ProvisioningChange change(int n, Instant at, BigDecimal level, String plan) {
            return ProvisioningChange.newBuilder()
                    .setChangeId("prov-" + account + "-" + n)
                    .setAccountId(account)
                    .setService(CatalogService.SEATS.id())
                    .setLevel(Pricing.quantity(level))
                    .setPlan(plan)
                    .setEffectiveAt(at)
                    .build();
        }

        private String invoiceId(YearMonth period) {
            return "inv-" + account + "-" + PERIOD_ID.format(period);
        }

        /** The terms an amendment replaced: the rate line in force just before the current one started. */
        private Optional<AppliedRate> previousTerms(AppliedRate terms) {
            Instant from = terms.line().getEffectiveFrom();
            if (!from.isAfter(contractStart)) {
                return Optional.empty();
            }
            return ContractTerms.at(latest, terms.line().getService(), from.minusMillis(1)).rate();
        }

        private Duration officeHours() {
            return Duration.ofHours(8 + random.nextInt(10)).plusMinutes(random.nextInt(60));
        }

        private double logUniform(double low, double high) {
            return StrictMath.exp(random.nextDouble(StrictMath.log(low), StrictMath.log(high)));
        }
    }

    static Instant firstOf(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
