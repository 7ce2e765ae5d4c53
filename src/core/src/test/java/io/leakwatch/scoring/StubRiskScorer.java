package io.leakwatch.scoring;

import io.leakwatch.features.FeatureSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link RiskScorer} for topology tests: scores set per account by the test, no ONNX. Counts its calls. */
public final class StubRiskScorer implements RiskScorer {
    public static final List<String> VERSIONS = List.of("leakage_risk:v7", "leakage_amount:v7", "churn_risk:v7");
    private static final RiskScores LOW = new RiskScores(0.05, 0.0, 0.05, VERSIONS, List.of());

    private final Map<String, RiskScores> byAccount = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger wantedInFull = new AtomicInteger();

    /** From now on, {@code account} scores these numbers. */
    public StubRiskScorer set(String account, double leakageProbability, double expectedLeakageRatio,
                              double churnProbability, String... factors) {
        byAccount.put(account, new RiskScores(leakageProbability, expectedLeakageRatio, churnProbability, VERSIONS,
                List.of(factors)));
        return this;
    }

    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    /** The next {@code times} scorings of {@code account} throw, as a model run that fails would. */
    public StubRiskScorer failFor(String account, int times) {
        failures.put(account, new AtomicInteger(times));
        return this;
    }

    public int calls() {
        return calls.get();
    }

    /** Rows the caller wanted in full, over all calls (any other row gets its probabilities only). */
    public int wantedInFull() {
        return wantedInFull.get();
    }

    @Override
    public List<RiskScores> score(List<FeatureSnapshot> snapshots, Full full) {
        calls.incrementAndGet();
        List<RiskScores> scores = new ArrayList<>();
        for (FeatureSnapshot snapshot : snapshots) {
            AtomicInteger left = failures.get(snapshot.accountId());
            if (left != null && left.getAndDecrement() > 0) {
                throw new IllegalStateException("the model run failed for " + snapshot.accountId());
            }
        }
        for (int i = 0; i < snapshots.size(); i++) {
            RiskScores set = byAccount.getOrDefault(snapshots.get(i).accountId(), LOW);
            RiskScores probabilities = RiskScores.probabilities(set.leakageProbability(), set.churnProbability(),
                    set.modelVersions());
            if (full.wants(i, probabilities)) {
                wantedInFull.incrementAndGet();
                scores.add(set);
            } else {
                scores.add(probabilities);
            }
        }
        return scores;
    }
}
