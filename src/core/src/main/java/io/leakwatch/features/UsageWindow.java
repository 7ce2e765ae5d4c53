package io.leakwatch.features;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The usage section of {@link AccountFeatures}: per service, the usage points of the last {@value #USAGE_DAYS} days.
 * <pre>
 * UTILISATION = max over services with a commitment in force at t and usage in the last 120 days of
 *               usage[t - 30d, t) / committed;  OVER_UTILISATION = max(0, UTILISATION - 1)
 * USAGE_TREND_3M = mean over services with usage in [t - 120d, t - 30d) of
 *                  usage[t - 30d, t) / (usage[t - 120d, t - 30d) / 3) - 1
 * </pre>
 */
final class UsageWindow implements FeatureWindow {
    static final int USAGE_DAYS = 120;
    private static final long WINDOW = USAGE_DAYS * AccountFeatures.DAY_MS;

    private final TreeMap<String, UsageSeries> usage = new TreeMap<>();

    /** Adds a point; returns the time after which it leaves the window. */
    long add(String service, long at, double quantity) {
        usage.computeIfAbsent(service, s -> new UsageSeries()).add(at, quantity);
        return at + WINDOW;
    }

    @Override
    public long pruneDue() {
        long due = Long.MAX_VALUE;
        for (UsageSeries points : usage.values()) {
            if (!points.isEmpty()) {
                due = Math.min(due, points.first() + WINDOW);
            }
        }
        return due;
    }

    @Override
    public boolean prune(long latest) {
        long usageFrom = latest - WINDOW;
        boolean pruned = false;
        boolean emptied = false;
        for (UsageSeries points : usage.values()) {
            if (!points.isEmpty() && points.first() < usageFrom) {
                points.dropBefore(usageFrom);
                emptied |= points.isEmpty();
                pruned = true;
            }
        }
        if (emptied) {
            usage.values().removeIf(UsageSeries::isEmpty);
        }
        return pruned;
    }

    /** The features of the class comment as of {@code t}, under {@code inForce} (the contract versions in force). */
    void features(long t, List<ContractVersions.Version> inForce, double[] v) {
        double utilisation = Double.NaN;
        double trendSum = 0;
        int trendServices = 0;
        for (Map.Entry<String, UsageSeries> e : usage.entrySet()) {
            // one pass over the usage window [t-120d, t): the last 30 days, and the 90 days before them (same order
            // of addition as summing each part on its own, so the same doubles)
            double recent = 0;
            double before = 0;
            UsageSeries points = e.getValue();
            int from = points.indexFrom(t - WINDOW);
            int to = points.indexFrom(t);
            boolean any = to > from;
            long w30 = t - AccountFeatures.W30;
            for (int i = from; i < to; i++) {
                if (points.at(i) >= w30) {
                    recent += points.quantity(i);
                } else {
                    before += points.quantity(i);
                }
            }
            if (before > 0) {
                trendSum += recent / (before / 3) - 1;
                trendServices++;
            }
            if (!any) {
                continue;
            }
            for (ContractVersions.Version version : inForce) {
                for (ContractVersions.Term term : version.terms()) {
                    if (term.service().equals(e.getKey()) && term.inForceAt(t) && term.committed() != null
                            && term.committed().signum() > 0) {
                        double u = recent / term.committed().doubleValue();
                        utilisation = Double.isNaN(utilisation) ? u : Math.max(utilisation, u);
                    }
                }
            }
        }
        if (!Double.isNaN(utilisation)) {
            v[Feature.UTILISATION.ordinal()] = utilisation;
            v[Feature.OVER_UTILISATION.ordinal()] = Math.max(0, utilisation - 1);
        }
        if (trendServices > 0) {
            v[Feature.USAGE_TREND_3M.ordinal()] = trendSum / trendServices;
        }
    }

    /** By service (the codec reads and writes them here). */
    TreeMap<String, UsageSeries> byService() {
        return usage;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsageWindow other && usage.equals(other.usage);
    }

    @Override
    public int hashCode() {
        return usage.size();
    }
}
