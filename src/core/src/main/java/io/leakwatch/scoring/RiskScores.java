package io.leakwatch.scoring;

import java.util.List;

/**
 * The models' outputs for one account.
 *
 * @param leakageProbability   probability of leakage in the next period
 * @param expectedLeakageRatio expected leakage in the next period as a share of monthly revenue (&gt;= 0); NaN when
 *                             the amount model was not run for the row ({@link RiskScorer.Full})
 * @param churnProbability     probability the account churns within the next 3 periods
 * @param modelVersions        "model:version" of every model that produced these numbers
 * @param factors              the top contributing factors in words, most important first (may be empty)
 */
public record RiskScores(double leakageProbability, double expectedLeakageRatio, double churnProbability,
                         List<String> modelVersions, List<String> factors) {
    public RiskScores {
        modelVersions = List.copyOf(modelVersions);
        factors = List.copyOf(factors);
    }

    /** The two probabilities alone: what {@link RiskScorer.Full} is asked with, and a row not wanted in full. */
    public static RiskScores probabilities(double leakageProbability, double churnProbability, List<String> modelVersions) {
        return new RiskScores(leakageProbability, Double.NaN, churnProbability, modelVersions, List.of());
    }

    /** Whether the expected leakage ratio was computed (the row was wanted in full). */
    public boolean hasExpectedLeakage() {
        return !Double.isNaN(expectedLeakageRatio);
    }
}
