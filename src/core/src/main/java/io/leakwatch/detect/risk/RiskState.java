package io.leakwatch.detect.risk;

import io.leakwatch.events.RiskLevel;
import io.leakwatch.scoring.RiskPublishing.Published;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What the account state keeps of its risk scores ({@link RiskStateCodec}): the current level on each model (for
 * hysteresis), the UTC day each High began (the evidence key of its alert; null when not High), and what was last
 * published to {@code account-risk} (null until the first record), which later scores are compared with.
 */
public record RiskState(RiskLevel leakageLevel, LocalDate leakageHighSince, RiskLevel churnLevel,
                        LocalDate churnHighSince, Published published) {
    /** An account never scored. */
    public static final RiskState NONE = new RiskState(RiskLevel.LOW, null, RiskLevel.LOW, null, null);

    public RiskState {
        Objects.requireNonNull(leakageLevel);
        Objects.requireNonNull(churnLevel);
    }

    public RiskState(RiskLevel leakageLevel, LocalDate leakageHighSince, RiskLevel churnLevel, LocalDate churnHighSince) {
        this(leakageLevel, leakageHighSince, churnLevel, churnHighSince, null);
    }
}
