package io.leakwatch.features;

import java.util.Map;
import java.util.TreeMap;

/**
 * The provisioning section of {@link AccountFeatures}: per service, the provisioned levels by effective time, of the
 * last 90 days and the level in force before them.
 * <pre>
 * SEAT_CHANGE_90D = (Σ levels in force at t - Σ levels in force at t - 90d) / the latter, when that is positive
 *                   (a service's level in force = its latest level effective before the instant, 0 without one)
 * </pre>
 */
final class ProvisioningLevels implements FeatureWindow {
    private final TreeMap<String, TreeMap<Long, Double>> provisioning = new TreeMap<>();

    void add(String service, long at, double level) {
        provisioning.computeIfAbsent(service, s -> new TreeMap<>()).put(at, level);
    }

    /**
     * Whether a level of {@code service} effective at {@code at}, not yet added, is below the one in force then (the
     * latest kept level effective at or before it). A service's first level is not a downgrade.
     */
    boolean lowers(String service, long at, double level) {
        TreeMap<Long, Double> levels = provisioning.get(service);
        if (levels == null) {
            return false;
        }
        Map.Entry<Long, Double> inForce = levels.floorEntry(at);
        return inForce != null && level < inForce.getValue();
    }

    @Override
    public long pruneDue() {
        long due = Long.MAX_VALUE;
        for (TreeMap<Long, Double> levels : provisioning.values()) {
            Long second = levels.isEmpty() ? null : levels.higherKey(levels.firstKey());
            if (second != null) {
                due = Math.min(due, second + AccountFeatures.W90);   // the first level goes once the second is before the window
            }
        }
        return due;
    }

    @Override
    public boolean prune(long latest) {
        long w90 = latest - AccountFeatures.W90;
        boolean pruned = false;
        for (TreeMap<Long, Double> levels : provisioning.values()) {
            Long before = levels.lowerKey(w90);
            if (before != null && levels.firstKey() < before) {
                levels.headMap(before, false).clear();
                pruned = true;
            }
        }
        return pruned;
    }

    /** The feature of the class comment as of {@code t}. */
    void features(long t, double[] v) {
        // both sums in one pass over the services (the same order of addition as two passes)
        long earlier = t - AccountFeatures.W90;
        double now = 0;
        double before = 0;
        for (TreeMap<Long, Double> levels : provisioning.values()) {
            Map.Entry<Long, Double> e = levels.lowerEntry(t);
            if (e != null) {
                now += e.getValue();
                Map.Entry<Long, Double> b = e.getKey() < earlier ? e : levels.lowerEntry(earlier);
                if (b != null) {
                    before += b.getValue();
                }
            }
        }
        if (before > 0) {
            v[Feature.SEAT_CHANGE_90D.ordinal()] = (now - before) / before;
        }
    }

    /** By service, then effective time (the codec reads and writes them here). */
    TreeMap<String, TreeMap<Long, Double>> byService() {
        return provisioning;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProvisioningLevels other && provisioning.equals(other.provisioning);
    }

    @Override
    public int hashCode() {
        return provisioning.size();
    }
}
