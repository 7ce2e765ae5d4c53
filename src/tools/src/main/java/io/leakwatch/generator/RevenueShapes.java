package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.BaselineRule.Verdict;
import io.leakwatch.detect.baseline.RevenueFindings;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.detect.baseline.BaselineSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Labelled revenue shapes among otherwise normal accounts. A shape multiplies the account's underlying demand
 * (the monthly quantity of every service: seats, API calls, storage, support) by a factor per month, so invoices,
 * usage and provisioning stay consistent with each other; the account keeps its own level, trend and noise.
 *
 * <pre>
 * CHURN        factor 0.2..0.3 from the onset on                        -> REVENUE_DROP  at the onset
 * BILLING_SPIKE factor 2.8..3.2 in the onset month only                 -> REVENUE_SPIKE at the onset
 * EROSION      factor (1 - r)^(k+1) / g^(k+1), r = 4..6% a month for 12 months, g = the service's own pre-onset
 *              growth (so the decline is net of the account's trend)   -> REVENUE_EROSION once, during the decline
 * EXPANSION    factor 1.8..2.0 at the onset, climbing to 2.2..2.5 over 3 months and staying
 *                                                                      -> REVENUE_SPIKE at the onset only
 * DISRUPTION   factor 0.2..0.3 at the onset, 0.75..0.85 the month after, then 1
 *                                                                      -> REVENUE_DROP  at the onset only
 * </pre>
 * Labels are computed with the detector's own Kafka-free rule ({@link BaselineRule}, default
 * {@link BaselineSettings}) on the account's generated revenue, so type, evidence key and amount are exactly what
 * the alert carries: for a spike or drop the key is the onset month (fixed by the shape) and the amount is the
 * rule's {@code μ - r}; for an erosion the key is {@code erosion/<month>} of the first month inside the decline
 * at which the rule's trend test is met (when the rule never meets it, the label names the decline's last month
 * and counts as a miss); an erosion that did not come through in the revenue ({@link #realised}) is labelled only
 * when the rule finds it inside the decline. Accounts whose contract ends get a REVENUE_DROP label for their first silent month once
 * past cold start (cause "contract ended": a silent account is a drop, not a gap), and a month whose revenue an
 * injected billing error moved far enough to be a spike or drop gets that label too: a MISSING_INVOICE month has
 * zero revenue, which past cold start is a genuine REVENUE_DROP (cause "missing invoice"); a duplicate or
 * mis-priced line can make a spike or drop (cause "revenue moved by injected ..."), on shaped accounts too.
 */
public final class RevenueShapes {

    public enum Kind { CHURN, BILLING_SPIKE, EROSION, EXPANSION, DISRUPTION }

    /** One account's shape: onset month index (0 = first billed month) and its factor per month index. */
    public record Shape(Kind kind, int onset, double[] factors) {
        public double factor(int month) {
            return month < factors.length ? factors[month] : 1.0;
        }

        AlertType expected() {
            return switch (kind) {
                case CHURN, DISRUPTION -> AlertType.REVENUE_DROP;
                case BILLING_SPIKE, EXPANSION -> AlertType.REVENUE_SPIKE;
                case EROSION -> AlertType.REVENUE_EROSION;
            };
        }

        /** Last month index of the decline (erosion) or the onset. */
        int end() {
            return kind == Kind.EROSION ? onset + EROSION_MONTHS - 1 : onset;
        }
    }

    static final int EROSION_MONTHS = 12;
    /** Injected errors that change a month's billed revenue (the others are about payments). */
    private static final java.util.Set<String> MOVES_REVENUE = java.util.Set.of("RATE_MISMATCH", "CHARGE_ARITHMETIC",
            "DUPLICATE_CHARGE", "MISSING_INVOICE", "UNBILLED_USAGE", "PROVISIONING_MISMATCH");
    private static final long SALT = 0x52455653_48415045L;

    private RevenueShapes() {
    }

    /**
     * Which accounts get which shape: {@code perKind} accounts of each kind, drawn from a random stream of their
     * own (so adding shapes does not change the rest of the world). Onsets leave a full baseline before them and
     * a judged month after them.
     */
    public static Map<Integer, Shape> plan(GeneratorOptions options, int perKind) {
        Map<Integer, Shape> plan = new TreeMap<>();
        BaselineSettings b = BaselineSettings.defaults();
        int months = options.months();
        int lastJudged = months - 2;     // the last month closes after the last invoice is issued
        int earliest = b.window() + 1;
        if (perKind <= 0 || options.accounts() < 10 || lastJudged - earliest < 3) {
            return plan;
        }
        SplittableRandom random = new SplittableRandom(options.seed() ^ SALT);
        for (Kind kind : Kind.values()) {
            int latest = kind == Kind.EROSION ? Math.max(earliest, lastJudged - EROSION_MONTHS + 1)
                    : kind == Kind.EXPANSION || kind == Kind.DISRUPTION ? lastJudged - 1 : lastJudged;
            if (kind == Kind.EROSION && lastJudged - earliest + 1 < b.erosionPeriods()) {
                continue;
            }
            for (int n = 0; n < perKind; n++) {
                int account;
                do {
                    account = random.nextInt(1, options.accounts() + 1);
                } while (plan.containsKey(account));
                int onset = latest <= earliest ? earliest : random.nextInt(earliest, latest + 1);
                plan.put(account, new Shape(kind, onset, factors(kind, onset, months, random)));
            }
        }
        return plan;
    }

    private static double[] factors(Kind kind, int onset, int months, SplittableRandom random) {
        double[] f = new double[months];
        java.util.Arrays.fill(f, 1.0);
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
        }
        return f;
    }

    /**
     * Applies a shape to one service's monthly demand. An erosion is a net decline: the service's own growth
     * before the onset (geometric, from the first to the last three months before it; never below zero) is
     * cancelled first, so a growing account does not hide the decline.
     */
    static void apply(Shape shape, BigDecimal[] demand, int quantityScale) {
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
     * The labels of the shaped accounts and of accounts whose contract ended, from their generated invoice lines.
     *
     * @param ended      account -> index of the first month it is no longer invoiced
     * @param precursors account -> cause, for accounts whose usage sank before a churn or in a rough patch: every
     *                   month the rule flags on them is labelled (the decline is real, so is the finding)
     */
    static List<Label> labels(GeneratorOptions options, Map<String, Shape> shapes, Map<String, Integer> ended,
                              Map<String, String> precursors, List<InvoiceLine> lines, List<Label> injected,
                              java.time.Instant last) {
        Map<String, Map<YearMonth, String>> injectedByAccount = new TreeMap<>();
        for (Label l : injected) {
            if (!MOVES_REVENUE.contains(l.type())) {
                continue;
            }
            injectedByAccount.computeIfAbsent(l.accountId(), a -> new TreeMap<>())
                    .putIfAbsent(YearMonth.parse(l.period()), l.type().equals("MISSING_INVOICE") ? "missing invoice"
                            : "revenue moved by injected " + l.type() + " " + l.evidenceKey());
        }
        BaselineRule rule = new BaselineRule(BaselineSettings.defaults());
        YearMonth start = options.startMonth();
        // the last month the topology closes: stream time never passes the world's last record
        YearMonth lastJudged = BillingPeriod.of(last.minus(Judged.CLOSE_GRACE)).previous().month();
        Map<String, Sim> sims = replay(rule, lines, lastJudged, account -> shapes.containsKey(account)
                || ended.containsKey(account) || injectedByAccount.containsKey(account)
                || precursors.containsKey(account));
        Map<String, RevenueHistory> histories = new LinkedHashMap<>();
        sims.forEach((account, sim) -> histories.put(account, sim.history != null ? sim.history : sim.forgotten));
        List<Label> labels = new ArrayList<>();
        for (var entry : histories.entrySet()) {
            String account = entry.getKey();
            RevenueHistory h = entry.getValue();
            List<Verdict> verdicts = sims.get(account).emitted;
            Shape shape = shapes.get(account);
            if (shape != null) {
                YearMonth from = start.plusMonths(shape.onset());
                YearMonth to = start.plusMonths(shape.end());
                if (shape.kind() != Kind.EROSION || found(verdicts, AlertType.REVENUE_EROSION, from, to) != null
                        || realised(h, from, to, rule.settings())) {
                    label(h, account, verdicts, shape.expected(), from, to, cause(shape), rule).ifPresent(labels::add);
                }
            }
            // an injected pricing error can move a month's revenue far enough to be a genuine spike or drop
            for (Verdict v : verdicts) {
                String error = injectedByAccount.getOrDefault(account, Map.of()).get(v.period());
                if (error != null && v.alerts() && v.trend() == null && labels.stream().noneMatch(l ->
                        l.accountId().equals(account) && l.evidenceKey().equals(RevenueFindings.evidenceKey(v)))) {
                    labels.add(new Label(RevenueFindings.type(v.mark()).name(), account, RevenueFindings.evidenceKey(v),
                            RevenueFindings.amount(v, h.currency()), h.currency(), "", "", v.period().toString(),
                            error));
                }
            }
            String precursor = precursors.get(account);
            YearMonth silent = ended.containsKey(account) ? start.plusMonths(ended.get(account)) : null;
            if (silent != null && precursor == null) {
                if (!silent.isAfter(lastJudged) && h.monthsBefore(silent) >= rule.settings().minPeriods()) {
                    label(h, account, verdicts, AlertType.REVENUE_DROP, silent, silent, "contract ended",
                            rule).ifPresent(labels::add);
                }
            }
            // a precursor decline can make the silent month a continuation: label what the rule flags, as it flags it
            if (precursor != null) {
                java.util.Set<String> labelled = new java.util.HashSet<>();
                labels.stream().filter(l -> l.accountId().equals(account))
                        .forEach(l -> labelled.add(l.type() + "|" + l.evidenceKey()));
                for (Verdict v : verdicts) {
                    String type = v.alerts() ? RevenueFindings.type(v.mark()).name() : null;
                    if (type != null && labelled.add(type + "|" + RevenueFindings.evidenceKey(v))) {
                        labels.add(new Label(type, account, RevenueFindings.evidenceKey(v),
                                RevenueFindings.amount(v, h.currency()), h.currency(), "", "", v.period().toString(),
                                v.period().equals(silent) ? "contract ended" : precursor));
                    }
                }
            }
        }
        return labels;
    }

    /**
     * Whether an erosion shape came through in the billed revenue, measured the way the rule measures a decline:
     * the Theil-Sen decline over the shape's declining months (onset .. onset + 11) is at least
     * {@code erosion-threshold} of its start level. Not every shape does: a fixed fee (support is billed as 1 unit)
     * or a quantity that rounds back up can carry an account's revenue, and then there is nothing a detector must
     * see. Such a shape is labelled only when the rule finds the erosion anyway (a correct finding, not a miss).
     */
    static boolean realised(RevenueHistory h, YearMonth from, YearMonth to, BaselineSettings settings) {
        int months = (int) java.time.temporal.ChronoUnit.MONTHS.between(from, to) + 1;
        return BaselineRule.trend(h.series(to, months), from, to).decline() >= settings.erosionThreshold();
    }

    /** One account as the processor sees it: its history and every verdict it emitted, in emission order. */
    private static final class Sim {
        RevenueHistory history;
        RevenueHistory forgotten;
        final List<Verdict> emitted = new ArrayList<>();
    }

    /**
     * Replays the lines in arrival (issue-time) order with the processor's semantics: months close at
     * {@code end + close grace}; a line for a closed month re-judges it within the revision grace, later it only
     * updates the history; an account whose window is all zero is forgotten. Verdicts are kept as emitted.
     */
    private static Map<String, Sim> replay(BaselineRule rule, List<InvoiceLine> lines, YearMonth lastJudged,
                                           java.util.function.Predicate<String> wanted) {
        Map<String, Sim> sims = new TreeMap<>();
        List<InvoiceLine> ordered = new ArrayList<>(lines);
        ordered.sort(java.util.Comparator.comparing(InvoiceLine::getIssuedAt));
        YearMonth closed = null;
        for (InvoiceLine line : ordered) {
            String account = line.getAccountId();
            YearMonth closable = BillingPeriod.of(line.getIssuedAt().minus(Judged.CLOSE_GRACE)).previous().month();
            if (closable.isAfter(lastJudged)) {
                closable = lastJudged;
            }
            if (closed == null || closable.isAfter(closed)) {
                closeAll(rule, sims, closable);
                closed = closable;
            }
            if (account == null || account.isBlank() || !wanted.test(account)) {
                continue;
            }
            Sim sim = sims.computeIfAbsent(account, a -> new Sim());
            if (sim.history == null) {
                sim.history = new RevenueHistory(line.getCurrency(), rule.settings().historyPeriods());
            } else if (!sim.history.currency().equals(line.getCurrency())) {
                continue;
            }
            YearMonth period = BillingPeriod.of(line.getServicePeriodStart()).month();
            if (!sim.history.add(period, line.getLineTotal())) {
                continue;
            }
            YearMonth judged = sim.history.judgedThrough();
            if (judged != null && !period.isAfter(judged)) {
                java.time.Instant close = Judged.closeOf(period);
                if (line.getIssuedAt().isBefore(close.plus(rule.settings().revisionGrace()))) {
                    sim.emitted.addAll(rule.rejudge(sim.history, period));
                }
            }
        }
        closeAll(rule, sims, lastJudged);
        return sims;
    }

    private static void closeAll(BaselineRule rule, Map<String, Sim> sims, YearMonth latest) {
        for (Sim sim : sims.values()) {
            if (sim.history == null) {
                continue;
            }
            sim.emitted.addAll(rule.closeThrough(sim.history, latest));
            if (rule.dormant(sim.history, latest)) {
                sim.forgotten = sim.history;
                sim.history = null;
            }
        }
    }

    private static java.util.Optional<Label> label(RevenueHistory h, String account, List<Verdict> verdicts,
                                                   AlertType type, YearMonth from, YearMonth to, String cause,
                                                   BaselineRule rule) {
        Verdict found = found(verdicts, type, from, to);
        String currency = h.currency();
        if (found != null) {
            return java.util.Optional.of(new Label(type.name(), account, RevenueFindings.evidenceKey(found),
                    RevenueFindings.amount(found, currency), currency, "", "", found.period().toString(), cause));
        }
        // the rule misses it: label what a detector should have said, so the miss counts
        BaselineRule.Baseline b = rule.baseline(h, from);
        if (b == null) {
            return java.util.Optional.empty();
        }
        BigDecimal lost = io.leakwatch.money.Currencies.round(b.mean().subtract(h.revenue(to)), currency);
        String key = type == AlertType.REVENUE_EROSION ? "erosion/" + to : from.toString();
        return java.util.Optional.of(new Label(type.name(), account, key, lost, currency, "", "",
                (type == AlertType.REVENUE_EROSION ? to : from).toString(), cause + " (not detected by the rule)"));
    }

    /** The first alert of {@code type} the rule emitted for a month in {@code from .. to}, or null. */
    private static Verdict found(List<Verdict> verdicts, AlertType type, YearMonth from, YearMonth to) {
        for (Verdict v : verdicts) {
            if (v.alerts() && RevenueFindings.type(v.mark()) == type && !v.period().isBefore(from)
                    && !v.period().isAfter(to)) {
                return v;
            }
        }
        return null;
    }

    private static String cause(Shape shape) {
        return switch (shape.kind()) {
            case CHURN -> "churn-like drop to about 30%";
            case BILLING_SPIKE -> "one-month spike to about 3x (billing error)";
            case EROSION -> "slow erosion of a few % a month";
            case EXPANSION -> "expansion: jump to a higher level that stays";
            case DISRUPTION -> "service disruption with partial recovery";
        };
    }
}
