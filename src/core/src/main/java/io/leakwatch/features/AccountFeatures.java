package io.leakwatch.features;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.UsageRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
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
 * Each section of the state is a class of its own, which keeps its part and computes the features it gives (their
 * formulas are in its class comment): {@link ContractVersions}, {@link RevenueMonths}, {@link PaymentWindow},
 * {@link UsageWindow}, {@link ProvisioningLevels}, {@link AlertWindow}; this class feeds them the events, prunes them
 * and assembles the snapshot.
 * Bounded: every event list is pruned once the account's latest event time passes the instant its oldest kept entry
 * leaves its window (failed and successful payments 90 days, usage {@value UsageWindow#USAGE_DAYS} days, alerts and
 * provisioning 90 days plus the level in force before them, revenue {@value RevenueMonths#REVENUE_MONTHS} months,
 * {@value ContractVersions#MAX_CONTRACT_VERSIONS} contract versions); of the payments that left, only the time of the
 * latest success is kept, for {@value PaymentWindow#HISTORY_DAYS} days (days since the last success are capped at
 * {@value PaymentWindow#MAX_DAYS_SINCE_PAYMENT}). The parts that forget are {@link FeatureWindow}s.
 * No invoice and no amount of a payment is kept: no feature needs them (the unpaid balance, which did, was dropped
 * with the v4 models, see {@code docs/risk-scoring.md}).
 * A snapshot is exact for any instant at or after the latest event; an earlier one sees only what is still kept.
 */
public final class AccountFeatures {
    static final long NONE = Long.MIN_VALUE;
    static final long DAY_MS = Duration.ofDays(1).toMillis();
    static final long W30 = 30 * DAY_MS;
    static final long W90 = 90 * DAY_MS;
    private static final double DAYS_PER_MONTH = 365.2425 / 12;
    /** Every feature at its contract default, in ordinal order: a snapshot starts from a copy. */
    private static final double[] DEFAULTS =
            java.util.Arrays.stream(Feature.values()).mapToDouble(Feature::defaultValue).toArray();

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

    private String currency;
    private long latest = NONE;
    private long firstIssued = NONE;
    private final ContractVersions versions = new ContractVersions();
    private final RevenueMonths revenue = new RevenueMonths();
    private final PaymentWindow payments = new PaymentWindow();
    private final UsageWindow usage = new UsageWindow();
    private final ProvisioningLevels provisioning = new ProvisioningLevels();
    private final AlertWindow alerts = new AlertWindow();
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
        for (RateLine line : contract.getLines()) {
            if (currency == null) {
                currency = line.getCurrency();
            }
        }
        long signed = versions.add(contract);
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
        if (revenue.add(currency, month(issued), line.getLineTotal())) {
            touched(Section.REVENUE);
            touched(Section.LINE_COUNTS);
        }
        if (revenue.trimLineCounts()) {   // the revenue months may have moved on with this line
            touched(Section.LINE_COUNTS);
        }
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
        return versions.activeAt(t.toEpochMilli());
    }

    /** True when the account has no data at all (nothing worth keeping). */
    public boolean isEmpty() {
        return latest == NONE;
    }

    /** Mean billed amount of the last min(3, months since the first billed one) complete months before {@code t}. */
    public BigDecimal monthlyRevenue(Instant t) {
        return currency == null ? BigDecimal.ZERO : revenue.monthlyRevenue(month(t.toEpochMilli()));
    }

    /** Every feature as of {@code asOf}, using only events with a timestamp before it. */
    public FeatureSnapshot snapshot(String accountId, Instant asOf) {
        long t = asOf.toEpochMilli();
        double[] v = DEFAULTS.clone();
        BigDecimal monthly = monthlyRevenue(asOf);
        double rev = monthly.doubleValue();

        List<ContractVersions.Version> inForce = versions.at(t);
        payments.features(t, firstIssued, v);
        alerts.features(t, rev, v);
        usage.features(t, inForce, v);
        provisioning.features(t, v);
        revenue.features(month(t), v);
        ContractVersions.features(t, inForce, v);
        String ccy = currency == null ? "XXX" : currency;
        return new FeatureSnapshot(accountId, asOf, ccy, monthly, v);
    }

    /** The months from {@code from} to {@code to}, of 365.2425 / 12 days. */
    static double months(long to, long from) {
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

    List<ContractVersions.Version> versions() {
        return versions.list();
    }

    RevenueHistory revenue() {
        return revenue.history();
    }

    TreeMap<YearMonth, Integer> lineCounts() {
        return revenue.lineCounts();
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
        f.revenue.history(revenue);
        return f;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AccountFeatures other)) {
            return false;
        }
        return Objects.equals(currency, other.currency) && latest == other.latest && firstIssued == other.firstIssued
                && versions.equals(other.versions) && revenue.equals(other.revenue)
                && payments.equals(other.payments) && usage.equals(other.usage)
                && provisioning.equals(other.provisioning) && alerts.equals(other.alerts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(currency, latest, payments.entries().size());
    }
}
