package io.leakwatch.features;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.money.Currencies;
import io.leakwatch.detect.baseline.BaselineSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One account's feature state: what it needs of contracts, invoice lines, usage, payments, provisioning and the
 * account's own alerts to compute every {@link Feature} (definitions: {@code docs/risk-scoring.md}). Kafka-free and
 * mutable; the account engine keeps one in each account's state, written with {@link AccountFeaturesCodec} as part
 * of it once per commit (a write-back store keeps it decoded between events).
 *
 * <pre>
 * t = snapshot instant; every window is [t - W, t); only events with a timestamp before t count
 * M = the last complete calendar month before t (UTC); billed(m) = Σ line_total of lines issued in month m
 * monthly_revenue = mean billed(m) over the last min(3, months since the first billed month) months up to M
 * ratio "of monthly revenue" = x / monthly_revenue, the feature's default when monthly_revenue = 0
 * </pre>
 * Bounded: every event list is pruned once the account's latest event time passes the instant its oldest kept entry
 * leaves its window (failed and successful payments 90 days, usage {@value UsageWindow#USAGE_DAYS} days, alerts and
 * provisioning 90 days plus the level in force before them, revenue {@value #REVENUE_MONTHS} months,
 * {@value #MAX_CONTRACT_VERSIONS} contract versions); of the payments that left, only the time of the latest success is
 * kept, for {@value PaymentWindow#HISTORY_DAYS} days (days since the last success are capped at
 * {@value PaymentWindow#MAX_DAYS_SINCE_PAYMENT}). Each part that forgets is a {@link FeatureWindow} of its own, with
 * the features it gives: {@link PaymentWindow}, {@link UsageWindow}, {@link ProvisioningLevels}, {@link AlertWindow}.
 * No invoice and no amount of a payment is kept: no feature needs them (the unpaid balance, which did, was dropped
 * with the v4 models, see {@code docs/risk-scoring.md}).
 * A snapshot is exact for any instant at or after the latest event; an earlier one sees only what is still kept.
 */
public final class AccountFeatures {
    static final int REVENUE_MONTHS = 8;
    static final int MAX_CONTRACT_VERSIONS = 4;
    static final double MAX_MONTHS_TO_END = 24;
    static final double MAX_MONTHS_SINCE_AMENDMENT = 24;
    static final double MAX_ABS_Z = 50;
    static final long NONE = Long.MIN_VALUE;
    static final long DAY_MS = Duration.ofDays(1).toMillis();
    static final long W30 = 30 * DAY_MS;
    static final long W90 = 90 * DAY_MS;
    private static final double DAYS_PER_MONTH = 365.2425 / 12;
    /** Every feature at its contract default, in ordinal order: a snapshot starts from a copy. */
    private static final double[] DEFAULTS =
            java.util.Arrays.stream(Feature.values()).mapToDouble(Feature::defaultValue).toArray();
    private static final BaselineRule BASELINE = new BaselineRule(BaselineSettings.defaults());

    /** The alert types that feed features, and the group each counts in. */
    enum AlertGroup {
        RATE, UNBILLED, DUPLICATE;

        static AlertGroup of(String type) {
            return switch (AlertType.valueOf(type)) {
                case RATE_MISMATCH, CHARGE_ARITHMETIC, CURRENCY_MISMATCH -> RATE;
                case UNBILLED_USAGE, MISSING_INVOICE, PROVISIONING_MISMATCH -> UNBILLED;
                case DUPLICATE_CHARGE -> DUPLICATE;
                default -> null;
            };
        }
    }

    /** The alert types that change features; the others (payments, revenue, unattributed) are not fed. */
    public static boolean featureAlert(String type) {
        try {
            return AlertGroup.of(type) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A rate line, reduced to what the features use. {@code to} = {@link #NONE} when open-ended. */
    record Term(String service, long from, long to, BigDecimal committed) {
        boolean inForceAt(long t) {
            return from <= t && (to == NONE || t < to);
        }
    }

    /** A contract version, reduced. */
    record Version(int version, long signedAt, List<Term> terms) {
        Version {
            terms = List.copyOf(terms);
        }
    }

    private String currency;
    private long latest = NONE;
    private long firstIssued = NONE;
    private final List<Version> versions = new ArrayList<>();
    private RevenueHistory revenue;
    private final TreeMap<YearMonth, Integer> lineCounts = new TreeMap<>();
    private final PaymentWindow payments = new PaymentWindow();
    private final UsageWindow usage = new UsageWindow();
    private final ProvisioningLevels provisioning = new ProvisioningLevels();
    private final AlertWindow alerts = new AlertWindow();
    /*
     * Monthly revenue, revenue z and trend of the month a snapshot is taken in depend only on the revenue history,
     * which changes only when an invoice line is added; z and trend are the costliest features (a
     * Mann-Kendall/Theil-Sen fit over exact decimals), and every snapshot of a month asks again, so the three are
     * kept for the current month until the revenue changes ({@link #revenueOfMonth}). Not persisted: a decoded state
     * recomputes them once. NaN = not defined (the feature keeps its default).
     */
    private int revenueChanges;
    private YearMonth revenueCacheMonth;
    private int revenueCacheChanges = -1;
    private BigDecimal cachedMonthly;
    private double cachedRevenueZ = Double.NaN;
    private double cachedRevenueTrend = Double.NaN;
    private static final long UNKNOWN = Long.MIN_VALUE;
    /** The parts of the state that forget entries as the latest event moves on, each with its own window. */
    private enum Kept {
        PAYMENTS(Section.PAYMENTS), USAGE(Section.USAGE), PROVISIONING(Section.PROVISIONING), ALERTS(Section.ALERTS);

        final Section section;

        Kept(Section section) {
            this.section = section;
        }
    }

    private static final Kept[] KEPT = Kept.values();
    /**
     * Per part, the latest event time up to which it has nothing to forget: the earliest instant at which one of its
     * entries leaves its window ({@link #pruneDue(Kept)}), or {@link #UNKNOWN}. Lowered as entries are added,
     * recomputed after the part is pruned (and, for provisioning, after a change); not persisted. Most events leave
     * every part's time in the future and cost no pruning at all; the one that passes a part's time prunes that
     * part only.
     */
    private final long[] nothingToPruneUntil = {UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN};
    /** The earliest of {@link #nothingToPruneUntil}, or {@link #UNKNOWN} when one of them is. */
    private long nothingAtAllToPruneUntil = UNKNOWN;

    /**
     * The parts of the stored form ({@link AccountFeaturesCodec}), in their order. Each event changes one or two;
     * the codec keeps the encoded bytes of the others from the last encode (not persisted: a decoded state starts
     * with none). Every change to a part must call {@link #touched}.
     */
    enum Section { HEADER, VERSIONS, REVENUE, LINE_COUNTS, PAYMENTS, USAGE, PROVISIONING, ALERTS }

    private final byte[][] encodedSections = new byte[Section.values().length][];

    private void touched(Section section) {
        encodedSections[section.ordinal()] = null;
    }

    /** The bytes of {@code section} as last encoded, or null when it changed since (or was never encoded). */
    byte[] encoded(Section section) {
        return encodedSections[section.ordinal()];
    }

    void encoded(Section section, byte[] bytes) {
        encodedSections[section.ordinal()] = bytes;
    }

    public AccountFeatures() {
    }

    // ---------------------------------------------------------------- events

    public void add(Contract contract) {
        List<Term> terms = new ArrayList<>();
        for (RateLine line : contract.getLines()) {
            terms.add(new Term(line.getService(), line.getEffectiveFrom().toEpochMilli(),
                    line.getEffectiveTo() == null ? NONE : line.getEffectiveTo().toEpochMilli(),
                    line.getCommittedQuantity()));
            if (currency == null) {
                currency = line.getCurrency();
            }
        }
        long signed = contract.getSignedAt().toEpochMilli();
        versions.removeIf(v -> v.version() == contract.getVersion());
        versions.add(new Version(contract.getVersion(), signed, terms));
        versions.sort(Comparator.comparingLong(Version::signedAt).thenComparingInt(Version::version));
        while (versions.size() > MAX_CONTRACT_VERSIONS) {
            versions.remove(0);
        }
        touched(Section.VERSIONS);
        advance(signed);
    }

    public void add(InvoiceLine line) {
        long issued = line.getIssuedAt().toEpochMilli();
        if (currency == null) {
            currency = line.getCurrency();
        }
        touched(Section.HEADER);
        advance(issued);
        if (!currency.equals(line.getCurrency())) {
            return;      // a CURRENCY_MISMATCH finding of its own; it counts there, not in revenue
        }
        if (firstIssued == NONE || issued < firstIssued) {
            firstIssued = issued;
        }
        YearMonth month = month(issued);
        if (revenue == null) {
            revenue = new RevenueHistory(currency, REVENUE_MONTHS);
        }
        if (revenue.add(month, line.getLineTotal())) {
            lineCounts.merge(month, 1, Integer::sum);
            revenueChanges++;
            touched(Section.REVENUE);
            touched(Section.LINE_COUNTS);
        }
        trimLineCounts();   // the revenue months may have moved on with this line
    }

    public void add(UsageRecord record) {
        long at = record.getOccurredAt().toEpochMilli();
        keptUntil(Kept.USAGE, usage.add(record.getService(), at, record.getQuantity().doubleValue()));
        touched(Section.USAGE);
        advance(at);
    }

    /**
     * A payment attempt. Only FAILED and SUCCEEDED attempts feed features (the failure count and rate, and the last
     * success); refunds, credits and pending ones do not, and amounts and invoices are not kept.
     */
    public void add(Payment payment) {
        long at = payment.getAttemptedAt().toEpochMilli();
        addAttempt(at, payment.getStatus());
        advance(at);
    }

    /** Keeps a FAILED or SUCCEEDED payment in time order (the codec reads stored ones through here too); others not. */
    void addAttempt(long at, PaymentStatus status) {
        long until = payments.add(at, status);
        if (until != -1) {
            keptUntil(Kept.PAYMENTS, until);
            touched(Section.PAYMENTS);
        }
    }

    public void add(ProvisioningChange change) {
        long at = change.getEffectiveAt().toEpochMilli();
        provisioning.add(change.getService(), at, change.getLevel().doubleValue());
        nothingToPruneUntil[Kept.PROVISIONING.ordinal()] = UNKNOWN;   // which level is in force before the window may
        nothingAtAllToPruneUntil = UNKNOWN;                             // have changed
        touched(Section.PROVISIONING);
        advance(at);
    }

    /**
     * Whether {@code change}, not yet added, lowers its service's provisioned level: its level is below the one in
     * force at its effective time (the latest kept level effective at or before it). A service's first level is not
     * a downgrade.
     */
    public boolean lowersLevel(ProvisioningChange change) {
        return provisioning.lowers(change.getService(), change.getEffectiveAt().toEpochMilli(),
                change.getLevel().doubleValue());
    }

    /** An alert of this account; only the types of {@link #featureAlert} are kept. Time = detected_at. */
    public void add(Alert alert) {
        addFinding(alert);
    }

    /**
     * A finding of this account, kept when its type feeds features ({@link #featureAlert}); time = detected_at.
     * Returns the amount it was counted with (in the account's currency, zero in another), or null when not kept:
     * {@link #removeFinding} takes it back with that amount.
     */
    public BigDecimal addFinding(Alert alert) {
        AlertGroup group = featureAlert(alert.getType()) ? AlertGroup.of(alert.getType()) : null;
        if (group == null) {
            return null;
        }
        long at = alert.getDetectedAt().toEpochMilli();
        BigDecimal amount = currency != null && currency.equals(alert.getCurrency()) ? alert.getAmount().abs()
                : BigDecimal.ZERO;
        keptUntil(Kept.ALERTS, alerts.add(new AlertWindow.Entry(at, group, amount)));
        touched(Section.ALERTS);
        advance(at);
        return amount;
    }

    /** Takes back a finding {@link #addFinding} counted (it was withdrawn or revised); nothing when already pruned. */
    public void removeFinding(String type, long at, BigDecimal counted) {
        AlertGroup group = featureAlert(type) ? AlertGroup.of(type) : null;
        if (group != null && alerts.remove(new AlertWindow.Entry(at, group, counted))) {
            touched(Section.ALERTS);
        }
    }

    private void advance(long at) {
        if (at > latest) {
            latest = at;
            touched(Section.HEADER);
            prune();
        }
    }

    /** An entry was added to {@code part} that leaves its window once the latest event is after {@code until}. */
    private void keptUntil(Kept part, long until) {
        int i = part.ordinal();
        if (nothingToPruneUntil[i] != UNKNOWN && until < nothingToPruneUntil[i]) {
            nothingToPruneUntil[i] = until;
        }
        if (nothingAtAllToPruneUntil != UNKNOWN && until < nothingAtAllToPruneUntil) {
            nothingAtAllToPruneUntil = until;
        }
    }

    /** Forgets what no window ending at or after the latest event can see, looking only at the parts that have some. */
    private void prune() {
        if (nothingAtAllToPruneUntil != UNKNOWN && latest <= nothingAtAllToPruneUntil) {
            return;
        }
        long all = Long.MAX_VALUE;
        for (Kept part : KEPT) {
            int i = part.ordinal();
            if (nothingToPruneUntil[i] == UNKNOWN) {
                nothingToPruneUntil[i] = pruneDue(part);
            }
            if (latest > nothingToPruneUntil[i]) {
                prune(part);
                nothingToPruneUntil[i] = pruneDue(part);
            }
            all = Math.min(all, nothingToPruneUntil[i]);
        }
        nothingAtAllToPruneUntil = all;
    }

    private FeatureWindow window(Kept part) {
        return switch (part) {
            case PAYMENTS -> payments;
            case USAGE -> usage;
            case PROVISIONING -> provisioning;
            case ALERTS -> alerts;
        };
    }

    /** The latest event time after which {@link #prune(Kept)} removes something from {@code part}. */
    private long pruneDue(Kept part) {
        return window(part).pruneDue();
    }

    /** The earliest instant after which {@link #prune} would remove something from some part. */
    long pruneDue() {
        long due = Long.MAX_VALUE;
        for (Kept part : KEPT) {
            due = Math.min(due, pruneDue(part));
        }
        return due;
    }

    /** Every part pruned, whatever its watermark says (tests compare the state with what {@link #prune} kept). */
    void pruneNow() {
        for (Kept part : KEPT) {
            prune(part);
        }
    }

    /** Forgets the entries of {@code part} that no window ending at or after the latest event can see. */
    private void prune(Kept part) {
        if (window(part).prune(latest)) {
            touched(part.section);
        }
    }

    /** Line counts are kept for the months the revenue history keeps. */
    private void trimLineCounts() {
        if (revenue != null && revenue.last() != null && !lineCounts.isEmpty()) {
            YearMonth from = revenue.last().minusMonths(REVENUE_MONTHS - 1);
            if (lineCounts.firstKey().isBefore(from)) {
                lineCounts.headMap(from, false).clear();
                touched(Section.LINE_COUNTS);
            }
        }
    }

    // ---------------------------------------------------------------- queries

    public String currency() {
        return currency;
    }

    /** The latest event time seen, or null. */
    public Instant latestEvent() {
        return latest == NONE ? null : Instant.ofEpochMilli(latest);
    }

    /** True when the contract version signed before {@code t} has a rate line in force at {@code t}. */
    public boolean activeAt(Instant t) {
        Version v = versionAt(t.toEpochMilli());
        return v != null && v.terms().stream().anyMatch(term -> term.inForceAt(t.toEpochMilli()));
    }

    /** True when the account has no data at all (nothing worth keeping). */
    public boolean isEmpty() {
        return latest == NONE;
    }

    private Version versionAt(long t) {
        Version found = null;
        for (Version v : versions) {
            if (v.signedAt() < t) {
                found = v;
            }
        }
        return found;
    }

    /** Mean billed amount of the last min(3, months since the first billed one) complete months before {@code t}. */
    public BigDecimal monthlyRevenue(Instant t) {
        if (revenue == null || currency == null) {
            return BigDecimal.ZERO;
        }
        revenueOfMonth(month(t.toEpochMilli()));
        return cachedMonthly;
    }

    /** Computes the monthly revenue, revenue z and trend of {@code current} unless they are kept for it already. */
    private void revenueOfMonth(YearMonth current) {
        if (current.equals(revenueCacheMonth) && revenueCacheChanges == revenueChanges) {
            return;
        }
        YearMonth last = current.minusMonths(1);
        int months = revenue.monthsBefore(current);
        int n = Math.min(3, months);
        if (n <= 0) {
            cachedMonthly = Currencies.round(BigDecimal.ZERO, currency);
        } else {
            BigDecimal sum = revenue.series(last, n).stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            cachedMonthly = Currencies.round(sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL64), currency);
        }
        cachedRevenueZ = Double.NaN;
        cachedRevenueTrend = Double.NaN;
        BaselineRule.Baseline b = BASELINE.baseline(revenue, last);
        if (b != null && b.mean().signum() > 0 && b.effectiveStd() > 0) {
            double z = revenue.revenue(last).subtract(b.mean()).doubleValue() / b.effectiveStd();
            cachedRevenueZ = Math.max(-MAX_ABS_Z, Math.min(MAX_ABS_Z, z));
        }
        if (months >= 6) {
            BaselineRule.TheilSen trend = BaselineRule.theilSen(revenue.series(last, 6));
            if (trend.startLevel().signum() > 0) {
                cachedRevenueTrend = trend.slope().divide(trend.startLevel(), MathContext.DECIMAL64).doubleValue();
            }
        }
        revenueCacheMonth = current;
        revenueCacheChanges = revenueChanges;
    }

    /** Every feature as of {@code asOf}, using only events with a timestamp before it. */
    public FeatureSnapshot snapshot(String accountId, Instant asOf) {
        long t = asOf.toEpochMilli();
        double[] v = DEFAULTS.clone();
        BigDecimal monthly = monthlyRevenue(asOf);
        double rev = monthly.doubleValue();

        Version version = versionAt(t);
        payments.features(t, firstIssued, v);
        alerts.features(t, rev, v);
        usage.features(t, version, v);
        provisioning.features(t, v);
        revenueFeatures(t, v);
        if (version != null && !version.terms().isEmpty()) {
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            boolean ends = true;
            for (Term term : version.terms()) {
                start = Math.min(start, term.from());
                ends &= term.to() != NONE;
                end = Math.max(end, term.to());
            }
            v[Feature.MONTHS_SINCE_CONTRACT_START.ordinal()] = Math.max(0, months(t, start));
            if (ends) {
                v[Feature.MONTHS_TO_CONTRACT_END.ordinal()] = Math.max(0, Math.min(MAX_MONTHS_TO_END, months(end, t)));
            }
        }
        if (version != null && version.version() > 1) {
            // every version after the first is an amendment; the latest one signed before t is kept in the state
            v[Feature.CONTRACT_AMENDMENTS.ordinal()] = version.version() - 1;
            v[Feature.MONTHS_SINCE_CONTRACT_AMENDMENT.ordinal()] =
                    Math.max(0, Math.min(MAX_MONTHS_SINCE_AMENDMENT, months(t, version.signedAt())));
        }
        String ccy = currency == null ? "XXX" : currency;
        return new FeatureSnapshot(accountId, asOf, ccy, monthly, v);
    }

    /**
     * REVENUE_Z: z of billed(M) against the baseline of the months before it ({@link BaselineRule#baseline}), 0
     * during cold start or when the baseline mean is not positive; clamped to ±{@value #MAX_ABS_Z}.
     * REVENUE_TREND_6M: Theil-Sen slope / start level of billed(M-5..M) ({@link BaselineRule#theilSen}, the erosion
     * test's line).
     * INVOICE_COUNT_TREND: lines(M) / mean lines(M-3..M-1) - 1.
     */
    private void revenueFeatures(long t, double[] v) {
        if (revenue == null) {
            return;
        }
        YearMonth current = month(t);
        YearMonth last = current.minusMonths(1);
        revenueOfMonth(current);
        if (!Double.isNaN(cachedRevenueZ)) {
            v[Feature.REVENUE_Z.ordinal()] = cachedRevenueZ;
        }
        if (!Double.isNaN(cachedRevenueTrend)) {
            v[Feature.REVENUE_TREND_6M.ordinal()] = cachedRevenueTrend;
        }
        if (revenue.monthsBefore(current) >= 4) {
            double before = 0;
            for (int i = 2; i <= 4; i++) {
                before += lineCounts.getOrDefault(current.minusMonths(i), 0);
            }
            if (before > 0) {
                v[Feature.INVOICE_COUNT_TREND.ordinal()] = lineCounts.getOrDefault(last, 0) / (before / 3) - 1;
            }
        }
    }

    private static double months(long to, long from) {
        return (to - from) / (double) DAY_MS / DAYS_PER_MONTH;
    }

    static YearMonth month(long epochMs) {
        return YearMonth.from(Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC));
    }

    // ---------------------------------------------------------------- codec access

    long latestMs() {
        return latest;
    }

    long firstIssuedMs() {
        return firstIssued;
    }

    List<Version> versions() {
        return versions;
    }

    RevenueHistory revenue() {
        return revenue;
    }

    TreeMap<YearMonth, Integer> lineCounts() {
        return lineCounts;
    }

    List<PaymentWindow.Entry> payments() {
        return payments.entries();
    }

    long successBeforeMs() {
        return payments.successBefore();
    }

    void successBefore(long value) {
        payments.successBefore(value);
    }

    TreeMap<String, UsageSeries> usage() {
        return usage.byService();
    }

    TreeMap<String, TreeMap<Long, Double>> provisioning() {
        return provisioning.byService();
    }

    List<AlertWindow.Entry> alerts() {
        return alerts.entries();
    }

    /** Rebuilds stored state (the codec). */
    static AccountFeatures restore(String currency, long latest, long firstIssued, RevenueHistory revenue) {
        AccountFeatures f = new AccountFeatures();
        f.currency = currency;
        f.latest = latest;
        f.firstIssued = firstIssued;
        f.revenue = revenue;
        return f;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AccountFeatures other)) {
            return false;
        }
        return Objects.equals(currency, other.currency) && latest == other.latest && firstIssued == other.firstIssued
                && versions.equals(other.versions) && lineCounts.equals(other.lineCounts)
                && payments.equals(other.payments) && usage.equals(other.usage)
                && provisioning.equals(other.provisioning) && alerts.equals(other.alerts)
                && (revenue == null ? other.revenue == null
                : other.revenue != null && revenue.recorded().equals(other.revenue.recorded())
                && Objects.equals(revenue.first(), other.revenue.first()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(currency, latest, payments.entries().size());
    }
}
