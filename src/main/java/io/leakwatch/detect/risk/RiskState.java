package io.leakwatch.detect.risk;

import io.leakwatch.events.RiskLevel;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What the {@code risk-state} store keeps per account: the current level on each model (for hysteresis) and the
 * UTC day each High began (the evidence key of its alert); null when not High.
 */
public record RiskState(RiskLevel leakageLevel, LocalDate leakageHighSince, RiskLevel churnLevel,
                        LocalDate churnHighSince) {
    /** An account never scored. */
    public static final RiskState NONE = new RiskState(RiskLevel.LOW, null, RiskLevel.LOW, null);

    public RiskState {
        Objects.requireNonNull(leakageLevel);
        Objects.requireNonNull(churnLevel);
    }
}
