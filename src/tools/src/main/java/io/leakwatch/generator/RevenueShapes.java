package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.money.Currencies;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Revenue shapes among otherwise normal accounts, and the revenue labels, written from what the generator put in,
 * never from a detector. A shape multiplies the account's underlying demand (the monthly quantity of every metered
 * or provisioned service) by a factor per month, so invoices, usage and provisioning stay consistent with each
 * other; a price step reprices the contract instead.
 *
 * <p>On the account's own demand (its level, trend and noise):
 * <pre>
 * CHURN         factor 0.2..0.3 from the onset on                       -> REVENUE_DROP  at the onset
 * BILLING_SPIKE factor 2.8..3.2 in the onset month only                 -> REVENUE_SPIKE at the onset
 * EROSION       factor (1 - r)^(k+1) / g^(k+1), r = 4..6% a month for 12 months, g = the service's own pre-onset
 *               growth (so the decline is net of the account's trend)   -> REVENUE_EROSION once, inside the decline
 * EXPANSION     factor 1.8..2.0 at the onset, climbing to 2.2..2.5 over 3 months and staying
 *                                                                       -> REVENUE_SPIKE at the onset only
 * DISRUPTION    factor 0.2..0.3 at the onset, 0.75..0.85 the month after, then 1
 *                                                                       -> REVENUE_DROP  at the onset only
 * </pre>
 * On a steady account ({@link Kind#baseline()}: demand flattened to its first month's level, times 1 + noise with a
 * standard deviation of 2..6% drawn per account; support stays one unit; no other contract change):
 * <pre>
 * STEADY        noise only                                              -> nothing
 * STEADY_SPIKE  factor 1.4..1.8 in the onset month only                 -> REVENUE_SPIKE at the onset
 * STEADY_DROP   factor 0.45..0.6 at the onset, 0.8..0.9 the month after -> REVENUE_DROP  at the onset
 * LEVEL_UP      factor 1.35..1.7 from the onset on                      -> REVENUE_SPIKE at the onset only
 * LEVEL_DOWN    factor 0.45..0.65 from the onset on                     -> REVENUE_DROP  at the onset only
 * SEASONAL      factor 1.5..1.9 in one calendar month a year, first in the cold start
 *                                                                       -> nothing (same month last year)
 * PRICE_STEP    an amendment from the 1st of the onset month lowers every rate by 25..35%
 *                                                                       -> nothing (the contract explains it)
 * </pre>
 *
 * <p>Labels ({@link #labels}): a shape that expects an alert gets one label: type and evidence key from the shape
 * (the onset month; for an erosion {@code erosion/<onset>..<end of the decline>}, matched by an erosion alert for
 * any month of the decline), amount {@code round(m - r)} with m the mean revenue of the six months before the onset
 * and r the revenue of the onset month (the erosion: of its last month). A shape that did not come through in the
 * billed revenue (a fixed fee carries the account, quantities round back) is not a finding: its months are
 * unjudged instead. Came through: the onset month's revenue moved at least {@value #MIN_MOVE} of m in the shape's
 * direction; an erosion's last three months are at least {@value #MIN_MOVE} below the three before the onset.
 * An account whose contract ended gets a REVENUE_DROP for its first silent month once past cold start (cause
 * "contract ended").
 *
 * <p>Two kinds of lines carry no finding and are not alert types: {@code REVENUE_SHAPE} (one per shaped account,
 * evidence key = the kind, period = the onset: what was put in, for per-shape figures) and
 * {@code REVENUE_UNJUDGED} (evidence key {@code yyyy-MM..yyyy-MM}): months where the revenue moved for a reason
 * that is not a revenue shape, so that no revenue alert there is right or wrong: churn precursors and a rough
 * patch (until the baseline holds only months after it), a persistent billing problem (the whole account), and a
 * month an injected error moved (and the month after).
 */
public final class RevenueShapes {

    public enum Kind {
        CHURN, BILLING_SPIKE, EROSION, EXPANSION, DISRUPTION,
        STEADY, STEADY_SPIKE, STEADY_DROP, LEVEL_UP, LEVEL_DOWN, SEASONAL, PRICE_STEP;

        /** A shape on a steady account, drawn only when the options ask for baseline shapes. */
        public boolean baseline() {
            return ordinal() >= STEADY.ordinal();
        }
    }

    /**
     * One account's shape: onset month index (0 = first billed month), its demand factor per month index, and the
     * factor a price step applies to every rate from the onset (1 for the other kinds).
     */
    public record Shape(Kind kind, int onset, double[] factors, double price) {
        public Shape(Kind kind, int onset, double[] factors) {
            this(kind, onset, factors, 1.0);
        }

        public double factor(int month) {
            return month < factors.length ? factors[month] : 1.0;
        }

        /** The alert a correct detector raises for the shape, or null when it must stay quiet. */
        AlertType expected() {
            return switch (kind) {
                case CHURN, DISRUPTION, STEADY_DROP, LEVEL_DOWN -> AlertType.REVENUE_DROP;
                case BILLING_SPIKE, EXPANSION, STEADY_SPIKE, LEVEL_UP -> AlertType.REVENUE_SPIKE;
                case EROSION -> AlertType.REVENUE_EROSION;
                case STEADY, SEASONAL, PRICE_STEP -> null;
            };
        }

        /** Last month index of the decline (erosion) or the onset. */
        int end() {
            return kind == Kind.EROSION ? onset + EROSION_MONTHS - 1 : onset;
        }
    }

    /** Months of the world where a revenue move has a cause that is not a shape: no revenue alert there is scored. */
    record Unjudged(int from, int to, String cause) {
    }

    static final int EROSION_MONTHS = 12;
    static final String SHAPE_LABEL = "REVENUE_SHAPE";
    static final String UNJUDGED_LABEL = "REVENUE_UNJUDGED";

    /** Whether a label line is the shapes' bookkeeping (what was put in, months not scored) rather than a finding. */
    public static boolean bookkeeping(String labelType) {
        return SHAPE_LABEL.equals(labelType) || UNJUDGED_LABEL.equals(labelType);
    }
    /** The least relative move of the revenue that makes a shape a finding. */
    static final double MIN_MOVE = 0.25;
    /**
     * What is worth an alert, as the product defines it: a monthly move of at least
     * {@code leakwatch.baseline.min-absolute-change} (100 a month; 10,000 in a currency without minor units).
     */
    private static final BaselineSettings MATERIAL = BaselineSettings.defaults();
    /** Months before an onset whose mean revenue is the labelled reference. */
    static final int REFERENCE_MONTHS = 6;
    /** Injected errors that change a month's billed revenue (the others are about payments). */
    private static final Set<String> MOVES_REVENUE = Set.of("RATE_MISMATCH", "CHARGE_ARITHMETIC",
            "DUPLICATE_CHARGE", "MISSING_INVOICE", "UNBILLED_USAGE", "PROVISIONING_MISMATCH");
    private static final long SALT = 0x52455653_48415045L;

    private RevenueShapes() {
    }

    /** The shapes of the default world only ({@code perKind} of each of the first five kinds). */
    public static Map<Integer, Shape> plan(GeneratorOptions options, int perKind) {
        return plan(options, perKind, 0);
    }

    /**
     * Which accounts get which shape: {@code perKind} accounts of each of the first five kinds, then
     * {@code baselinePerKind} of each baseline kind, drawn from a random stream of their own (so adding shapes does
     * not change the rest of the world, and the baseline kinds do not change which accounts get the others). Onsets
     * leave a full baseline before them and a judged month after them.
     */
    public static Map<Integer, Shape> plan(GeneratorOptions options, int perKind, int baselinePerKind) {
        Map<Integer, Shape> plan = new TreeMap<>();
        BaselineSettings b = BaselineSettings.defaults();
        int months = options.months();
        int lastJudged = months - 2;     // the last month closes after the last invoice is issued
        int earliest = b.window() + 1;
        if (options.accounts() < 10 || lastJudged - earliest < 3) {
            return plan;
        }
        SplittableRandom random = new SplittableRandom(options.seed() ^ SALT);
        for (Kind kind : Kind.values()) {
            int count = kind.baseline() ? baselinePerKind : perKind;
            int latest = kind == Kind.EROSION ? Math.max(earliest, lastJudged - EROSION_MONTHS + 1)
                    : kind == Kind.EXPANSION || kind == Kind.DISRUPTION || kind == Kind.STEADY_DROP
                    || kind == Kind.LEVEL_UP || kind == Kind.LEVEL_DOWN ? lastJudged - 1 : lastJudged;
            if (kind == Kind.EROSION && lastJudged - earliest + 1 < b.erosionPeriods()) {
                continue;
            }
            for (int n = 0; n < count && plan.size() < options.accounts(); n++) {
                int account;
                do {
                    account = random.nextInt(1, options.accounts() + 1);
                } while (plan.containsKey(account));
                int onset = latest <= earliest ? earliest : random.nextInt(earliest, latest + 1);
                if (kind == Kind.SEASONAL) {
                    onset = random.nextInt(0, Math.min(b.minPeriods(), months));
                }
                double[] factors = factors(kind, onset, months, random);
                double price = kind == Kind.PRICE_STEP ? random.nextDouble(0.65, 0.75) : 1.0;
                plan.put(account, new Shape(kind, onset, factors, price));
            }
        }
        return plan;
    }

    private static double[] factors(Kind kind, int onset, int months, SplittableRandom random) {
        double[] f = new double[months];
        Arrays.fill(f, 1.0);
        switch (kind) {
            case CHURN -> {
                double level = random.nextDouble(0.2, 0.3);
                for (int m = onset; m < months; m++) {
                    f[m] = level;
                }
            }
            case BILLING_SPIKE -> f[onset] = random.nextDouble(2.8, 3.2);
            case EROSION -> {
                double r = random.nextDouble(0.04, 0.06);
                for (int m = onset; m < months; m++) {
                    f[m] = Math.pow(1 - r, Math.min(m - onset + 1, EROSION_MONTHS));
                }
            }
            case EXPANSION -> {
                double jump = random.nextDouble(1.8, 2.0);
                double plateau = random.nextDouble(2.2, 2.5);
                for (int m = onset; m < months; m++) {
                    int k = m - onset;
                    f[m] = k >= 3 ? plateau : jump + (plateau - jump) * k / 3.0;
                }
            }
            case DISRUPTION -> {
                f[onset] = random.nextDouble(0.2, 0.3);
                if (onset + 1 < months) {
                    f[onset + 1] = random.nextDouble(0.75, 0.85);
                }
            }
            case STEADY, PRICE_STEP -> {
            }
            case STEADY_SPIKE -> f[onset] = random.nextDouble(1.4, 1.8);
            case STEADY_DROP -> {
                f[onset] = random.nextDouble(0.45, 0.6);
                if (onset + 1 < months) {
                    f[onset + 1] = random.nextDouble(0.8, 0.9);
                }
            }
            case LEVEL_UP, LEVEL_DOWN -> {
                double level = kind == Kind.LEVEL_UP ? random.nextDouble(1.35, 1.7) : random.nextDouble(0.45, 0.65);
                for (int m = onset; m < months; m++) {
                    f[m] = level;
                }
            }
            case SEASONAL -> {
                double peak = random.nextDouble(1.5, 1.9);
                for (int m = onset; m < months; m += 12) {
                    f[m] = peak;
                }
            }
        }
        if (kind.baseline()) {
            // noise with a standard deviation of sigma: uniform on sigma * [-sqrt 3, +sqrt 3]
            double sigma = random.nextDouble(0.02, 0.06);
            for (int m = 0; m < months; m++) {
                f[m] *= 1 + sigma * Math.sqrt(3) * random.nextDouble(-1, 1);
            }
        }
        return f;
    }

    /**
     * Applies a shape to one service's monthly demand. An erosion is a net decline: the service's own growth
     * before the onset (geometric, from the first to the last three months before it; never below zero) is
     * cancelled first, so a growing account does not hide the decline. A baseline shape first flattens the demand
     * to its first month's level (support, a fixed fee, stays as it is).
     */
    static void apply(Shape shape, BigDecimal[] demand, int quantityScale, boolean fixedFee) {
        if (shape.kind().baseline()) {
            if (fixedFee) {
                return;
            }
            BigDecimal level = demand[0];
            for (int m = 0; m < demand.length; m++) {
                demand[m] = scale(level, shape.factor(m), quantityScale).max(BigDecimal.ONE.movePointLeft(quantityScale));
            }
            return;
        }
        double growth = 1.0;
        if (shape.kind() == Kind.EROSION && shape.onset() >= 6) {
            double early = (demand[0].doubleValue() + demand[1].doubleValue() + demand[2].doubleValue()) / 3;
            int o = shape.onset();
            double late = (demand[o - 1].doubleValue() + demand[o - 2].doubleValue() + demand[o - 3].doubleValue()) / 3;
            if (early > 0 && late > early) {
                growth = Math.pow(late / early, 1.0 / (o - 3));
            }
        }
        for (int m = 0; m < demand.length; m++) {
            double f = shape.factor(m);
            if (growth > 1.0 && m >= shape.onset()) {
                f /= Math.pow(growth, m - shape.onset() + 1);
            }
            demand[m] = scale(demand[m], f, quantityScale);
        }
    }

    /** Scales one month's quantity of a service, at the service's quantity precision. */
    static BigDecimal scale(BigDecimal quantity, double factor, int quantityScale) {
        if (factor == 1.0) {
            return quantity;
        }
        return quantity.multiply(BigDecimal.valueOf(factor)).setScale(quantityScale, RoundingMode.HALF_EVEN);
    }

    /**
     * The revenue labels, from what was put in: the shaped accounts, the accounts whose contract ended, and the
     * unjudged months (see the class comment).
     *
     * @param ended    account -> index of the first month it is no longer invoiced
     * @param unjudged account -> months whose revenue moved for another reason (churn precursors, a rough patch, a
     *                 persistent billing problem)
     * @param injected the labels of the injected errors: a month one of them moved is unjudged
     */
    static List<Label> labels(GeneratorOptions options, Map<String, Shape> shapes, Map<String, Integer> ended,
                              Map<String, Unjudged> unjudged, List<InvoiceLine> lines, List<Label> injected,
                              java.time.Instant last) {
        YearMonth start = options.startMonth();
        // the last month the topology closes: stream time never passes the world's last record
        YearMonth lastJudged = BillingPeriod.of(last.minus(Judged.CLOSE_GRACE)).previous().month();
        int minPeriods = BaselineSettings.defaults().minPeriods();
        Map<String, Revenue> revenue = revenue(lines);
        List<Label> labels = new ArrayList<>();
        shapes.forEach((account, shape) -> {
            Revenue r = revenue.get(account);
            if (r == null) {
                return;
            }
            YearMonth onset = start.plusMonths(shape.onset());
            labels.add(new Label(SHAPE_LABEL, account, shape.kind().name(), BigDecimal.ZERO, r.currency, "", "",
                    onset.toString(), cause(shape)));
            AlertType type = shape.expected();
            YearMonth to = start.plusMonths(shape.end());
            if (type == null || to.isAfter(lastJudged)) {
                return;
            }
            BigDecimal reference = r.mean(onset.minusMonths(REFERENCE_MONTHS), REFERENCE_MONTHS);
            boolean came = type == AlertType.REVENUE_EROSION
                    ? came(r.mean(onset.minusMonths(3), 3), r.mean(to.minusMonths(2), 3), false)
                    : came(reference, r.of(onset), type == AlertType.REVENUE_SPIKE);
            if (!came) {
                labels.add(unjudgedLabel(account, r.currency, onset, min(to.plusMonths(1), lastJudged),
                        cause(shape) + ": did not come through in the billed revenue"));
                return;
            }
            String key = type == AlertType.REVENUE_EROSION ? "erosion/" + onset + ".." + to : onset.toString();
            BigDecimal amount = Currencies.round(reference.subtract(r.of(to)), r.currency);
            if (amount.abs().doubleValue() < MATERIAL.minAbsoluteChange(r.currency)) {
                labels.add(unjudgedLabel(account, r.currency, onset, min(to.plusMonths(1), lastJudged),
                        cause(shape) + ": below the smallest monthly amount worth an alert"));
                return;
            }
            labels.add(new Label(type.name(), account, key, nonZero(amount, r.currency), r.currency, "", "",
                    onset.toString(), cause(shape)));
        });
        ended.forEach((account, index) -> {
            Revenue r = revenue.get(account);
            YearMonth silent = start.plusMonths(index);
            if (r == null || silent.isAfter(lastJudged) || index < minPeriods) {
                return;
            }
            BigDecimal amount = Currencies.round(r.mean(silent.minusMonths(REFERENCE_MONTHS), REFERENCE_MONTHS),
                    r.currency);
            if (amount.doubleValue() >= MATERIAL.minAbsoluteChange(r.currency)) {
                labels.add(new Label(AlertType.REVENUE_DROP.name(), account, silent.toString(), amount, r.currency,
                        "", "", silent.toString(), "contract ended"));
            }
        });
        unjudged.forEach((account, u) -> {
            Revenue r = revenue.get(account);
            YearMonth from = start.plusMonths(u.from());
            YearMonth to = min(start.plusMonths(u.to()), lastJudged);
            if (r != null && !from.isAfter(to)) {
                labels.add(unjudgedLabel(account, r.currency, from, to, u.cause()));
            }
        });
        Map<String, TreeMap<YearMonth, String>> moved = new TreeMap<>();
        for (Label l : injected) {
            if (MOVES_REVENUE.contains(l.type())) {
                moved.computeIfAbsent(l.accountId(), a -> new TreeMap<>()).putIfAbsent(YearMonth.parse(l.period()),
                        "revenue moved by injected " + l.type() + " " + l.evidenceKey());
            }
        }
        moved.forEach((account, months) -> months.forEach((month, cause) -> {
            Revenue r = revenue.get(account);
            if (r != null && !month.isAfter(lastJudged)) {
                labels.add(unjudgedLabel(account, r.currency, month, min(month.plusMonths(1), lastJudged), cause));
            }
        }));
        return labels;
    }

    private static Label unjudgedLabel(String account, String currency, YearMonth from, YearMonth to, String cause) {
        return new Label(UNJUDGED_LABEL, account, from + ".." + to, BigDecimal.ZERO, currency, "", "",
                from.toString(), cause);
    }

    private static BigDecimal nonZero(BigDecimal amount, String currency) {
        return amount.signum() != 0 ? amount : Currencies.minorUnit(currency);
    }

    /** Whether {@code after} moved at least {@link #MIN_MOVE} of {@code before} up ({@code up}) or down. */
    static boolean came(BigDecimal before, BigDecimal after, boolean up) {
        if (before.signum() <= 0) {
            return false;
        }
        double change = after.subtract(before).doubleValue() / before.doubleValue();
        return up ? change >= MIN_MOVE : change <= -MIN_MOVE;
    }

    private static YearMonth min(YearMonth a, YearMonth b) {
        return a.isBefore(b) ? a : b;
    }

    /** One account's monthly revenue: Σ line_total by the month of service_period_start, in its first currency. */
    private static final class Revenue {
        final String currency;
        final TreeMap<YearMonth, BigDecimal> months = new TreeMap<>();

        Revenue(String currency) {
            this.currency = currency;
        }

        BigDecimal of(YearMonth month) {
            return months.getOrDefault(month, BigDecimal.ZERO);
        }

        /** The mean revenue of {@code n} months from {@code from}. */
        BigDecimal mean(YearMonth from, int n) {
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                sum = sum.add(of(from.plusMonths(i)));
            }
            return sum.divide(BigDecimal.valueOf(n), 10, RoundingMode.HALF_EVEN);
        }
    }

    private static Map<String, Revenue> revenue(List<InvoiceLine> lines) {
        Map<String, Revenue> revenue = new TreeMap<>();
        for (InvoiceLine line : lines) {
            String account = line.getAccountId();
            if (account == null || account.isBlank()) {
                continue;
            }
            Revenue r = revenue.computeIfAbsent(account, a -> new Revenue(line.getCurrency()));
            if (r.currency.equals(line.getCurrency())) {
                r.months.merge(BillingPeriod.of(line.getServicePeriodStart()).month(), line.getLineTotal(),
                        BigDecimal::add);
            }
        }
        return revenue;
    }

    private static String cause(Shape shape) {
        return switch (shape.kind()) {
            case CHURN -> "churn-like drop to about 30%";
            case BILLING_SPIKE -> "one-month spike to about 3x (billing error)";
            case EROSION -> "slow erosion of a few % a month";
            case EXPANSION -> "expansion: jump to a higher level that stays";
            case DISRUPTION -> "service disruption with partial recovery";
            case STEADY -> "steady account, 2-6% noise";
            case STEADY_SPIKE -> "one-month spike of 40-80% on a steady account";
            case STEADY_DROP -> "drop of 40-55% with partial recovery on a steady account";
            case LEVEL_UP -> "level shift up by 35-70% that stays, on a steady account";
            case LEVEL_DOWN -> "level shift down by 35-55% that stays, on a steady account";
            case SEASONAL -> "yearly peak of 50-90% in the same calendar month, on a steady account";
            case PRICE_STEP -> "contract amendment lowering every rate by 25-35%, on a steady account";
        };
    }
}
