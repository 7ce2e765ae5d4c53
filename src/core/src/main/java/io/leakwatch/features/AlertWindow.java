package io.leakwatch.features;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The alerts section of {@link AccountFeatures}: the account's findings of the last 90 days whose types feed
 * features, in time order, with their amount in the account's currency.
 * <pre>
 * RATE_MISMATCH / UNBILLED_USAGE / DUPLICATE_CHARGE_COUNT_90D = findings of the group in [t - 90d, t)
 * RATE_MISMATCH / UNBILLED_USAGE_AMOUNT_RATIO_90D = Σ their amounts / monthly revenue, when that is positive
 * </pre>
 */
final class AlertWindow implements FeatureWindow {
    /** An alert of one of the {@link AccountFeatures.AlertGroup}s; amount in the account currency (zero otherwise). */
    record Entry(long at, AccountFeatures.AlertGroup group, BigDecimal amount) {
    }

    private static final int GROUPS = AccountFeatures.AlertGroup.values().length;
    private final List<Entry> alerts = new ArrayList<>();

    /** Keeps a finding in time order; returns the time after which it leaves the window. */
    long add(Entry entry) {
        alerts.add(entry);
        if (alerts.size() > 1 && alerts.get(alerts.size() - 2).at() > entry.at()) {
            alerts.sort(Comparator.comparingLong(Entry::at));
        }
        return entry.at() + AccountFeatures.W90;
    }

    /** Takes back a finding {@link #add} kept; false when it is not there (already pruned). */
    boolean remove(Entry entry) {
        return alerts.remove(entry);
    }

    @Override
    public long pruneDue() {
        return alerts.isEmpty() ? Long.MAX_VALUE : alerts.get(0).at() + AccountFeatures.W90;   // sorted by time
    }

    @Override
    public boolean prune(long latest) {
        long w90 = latest - AccountFeatures.W90;
        if (!alerts.isEmpty() && alerts.get(0).at() < w90) {               // sorted by time
            alerts.removeIf(a -> a.at() < w90);
            return true;
        }
        return false;
    }

    /** The features of the class comment as of {@code t}, with monthly revenue {@code rev}. */
    void features(long t, double rev, double[] v) {
        int[] count = new int[GROUPS];
        BigDecimal[] amount = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        for (Entry a : alerts) {
            if (a.at() < t && a.at() >= t - AccountFeatures.W90) {
                count[a.group().ordinal()]++;
                amount[a.group().ordinal()] = amount[a.group().ordinal()].add(a.amount());
            }
        }
        v[Feature.RATE_MISMATCH_COUNT_90D.ordinal()] = count[AccountFeatures.AlertGroup.RATE.ordinal()];
        v[Feature.UNBILLED_USAGE_COUNT_90D.ordinal()] = count[AccountFeatures.AlertGroup.UNBILLED.ordinal()];
        v[Feature.DUPLICATE_CHARGE_COUNT_90D.ordinal()] = count[AccountFeatures.AlertGroup.DUPLICATE.ordinal()];
        if (rev > 0) {
            v[Feature.RATE_MISMATCH_AMOUNT_RATIO_90D.ordinal()] =
                    amount[AccountFeatures.AlertGroup.RATE.ordinal()].doubleValue() / rev;
            v[Feature.UNBILLED_USAGE_AMOUNT_RATIO_90D.ordinal()] =
                    amount[AccountFeatures.AlertGroup.UNBILLED.ordinal()].doubleValue() / rev;
        }
    }

    List<Entry> entries() {
        return alerts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertWindow other && alerts.equals(other.alerts);
    }

    @Override
    public int hashCode() {
        return alerts.size();
    }
}
