package io.leakwatch.scoring;

/**
 * Risk levels from a probability, with hysteresis: an account becomes High at {@code highEnter} or above and
 * stays High until it falls below {@code highExit}; Medium is {@code medium} or above.
 */
public record RiskThresholds(double highEnter, double highExit, double medium) {
    public static final RiskThresholds DEFAULTS = new RiskThresholds(0.70, 0.50, 0.40);

    public RiskThresholds {
        if (!(0 < medium && medium <= highExit && highExit <= highEnter && highEnter <= 1)) {
            throw new IllegalArgumentException("risk thresholds must satisfy 0 < medium <= high-exit <= high-enter <= 1, got "
                    + medium + ", " + highExit + ", " + highEnter);
        }
    }
}
