package io.leakwatch.alerts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which alert types the detectors raise. A type switched off is never raised: its findings are not judged into
 * alerts, so none stands and none is withdrawn, and it adds nothing to the account features the risk models read.
 * For data that cannot support a rule (no payments feed: every invoice would be UNPAID_INVOICE).
 */
public final class DetectorSwitches {
    private static final DetectorSwitches ALL_ON = new DetectorSwitches(EnumSet.noneOf(AlertType.class));

    private final Set<AlertType> off;

    private DetectorSwitches(EnumSet<AlertType> off) {
        this.off = Collections.unmodifiableSet(off);
    }

    public static DetectorSwitches allOn() {
        return ALL_ON;
    }

    public static DetectorSwitches off(Set<AlertType> types) {
        return types.isEmpty() ? ALL_ON : new DetectorSwitches(EnumSet.copyOf(types));
    }

    /**
     * Parses a comma-separated list of alert type names (any case, blanks ignored; empty = all on).
     *
     * @throws IllegalArgumentException naming the first word that is no alert type
     */
    public static DetectorSwitches parseOff(String text) {
        Set<AlertType> types = EnumSet.noneOf(AlertType.class);
        for (String word : text.split(",")) {
            String name = word.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                types.add(AlertType.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + word.trim() + "' is no alert type (one of "
                        + Arrays.stream(AlertType.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        return off(types);
    }

    public boolean isOn(AlertType type) {
        return !off.contains(type);
    }

    /** By name, as labels and alerts carry it; a name that is no alert type (a training target) is never switched. */
    public boolean isOn(String type) {
        return off.stream().noneMatch(t -> t.name().equals(type));
    }

    public Set<AlertType> off() {
        return off;
    }

    /** {@code findings} without those of types switched off; the same list when all are on. */
    public List<Finding> filter(List<Finding> findings) {
        if (off.isEmpty() || findings.isEmpty()) {
            return findings;
        }
        List<Finding> kept = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            if (isOn(f.type())) {
                kept.add(f);
            }
        }
        return kept;
    }

    /**
     * One line for the console: how many alert types are raised, and which are off and why ({@code why}: where the
     * switch was set).
     */
    public String describe(String why) {
        int types = AlertType.values().length;
        if (off.isEmpty()) {
            return "detectors: all " + types + " alert types on";
        }
        return "detectors: " + (types - off.size()) + " of " + types + " alert types on; off by " + why + ": "
                + off.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorSwitches other && other.off.equals(off);
    }

    @Override
    public int hashCode() {
        return off.hashCode();
    }

    @Override
    public String toString() {
        return off.isEmpty() ? "all detectors on"
                : "off: " + off.stream().map(Enum::name).collect(Collectors.joining(","));
    }
}
