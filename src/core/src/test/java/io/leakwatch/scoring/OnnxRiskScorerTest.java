package io.leakwatch.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRiskScorerTest {
    private static ModelRegistry registry;
    private static OnnxRiskScorer scorer;

    @BeforeAll
    static void load() {
        registry = ModelRegistry.open(TestModels.MODELS);
        scorer = new OnnxRiskScorer(registry, RiskThresholds.DEFAULTS);
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    @Test
    void shouldScoreEveryAccountOfABatchWithTheModelVersions() {
        List<RiskScores> scores = scorer.score(List.of(TestModels.quiet("a"), TestModels.leaky("b"), TestModels.leaving("c")));

        assertThat(scores).hasSize(3).allSatisfy(s -> assertThat(s.modelVersions())
                .containsExactly("leakage_risk:v1", "leakage_amount:v1", "churn_risk:v1"));
        assertThat(scores.get(0).leakageProbability()).isLessThan(0.4);
        assertThat(scores.get(0).churnProbability()).isLessThan(0.4);
        assertThat(scores.get(1).leakageProbability()).isGreaterThanOrEqualTo(0.7);
        assertThat(scores.get(2).churnProbability()).isGreaterThanOrEqualTo(0.7);
    }

    @Test
    void shouldGiveTheSameScoresInABatchAsOneByOne() {
        List<FeatureSnapshot> batch = List.of(TestModels.quiet("a"), TestModels.leaky("b"), TestModels.leaving("c"));
        List<RiskScores> together = scorer.score(batch);
        // ONNX Runtime's linear kernels (the test models' ridge regression) may round the last float bit differently
        // for another batch shape; a replay forms the same batches, so its scores are identical
        for (int i = 0; i < batch.size(); i++) {
            RiskScores alone = scorer.score(List.of(batch.get(i))).get(0);
            RiskScores inBatch = together.get(i);
            assertThat(alone.leakageProbability()).isCloseTo(inBatch.leakageProbability(), within(1e-6));
            assertThat(alone.expectedLeakageRatio()).isCloseTo(inBatch.expectedLeakageRatio(), within(1e-6));
            assertThat(alone.churnProbability()).isCloseTo(inBatch.churnProbability(), within(1e-6));
            assertThat(alone.modelVersions()).isEqualTo(inBatch.modelVersions());
            assertThat(alone.factors()).isEqualTo(inBatch.factors());
        }
    }

    @Test
    void shouldMatchTheModelOutputsDirectly() {
        FeatureSnapshot s = TestModels.leaky("b");
        RiskScores score = scorer.score(List.of(s)).get(0);
        double direct = registry.withModels(m -> m.get("leakage_risk").predict(List.of(m.get("leakage_risk").contract().row(s)))[0]);
        assertThat(score.leakageProbability()).isEqualTo(direct);
    }

    @Test
    void shouldClipTheExpectedLeakageRatioAtZero() {
        FeatureSnapshot negative = TestModels.snapshot("a", Map.of(Feature.PAYMENT_FAILURES_90D, -500.0,
                Feature.RATE_MISMATCH_COUNT_90D, -500.0));
        double raw = registry.withModels(m -> m.get("leakage_amount").predict(List.of(m.get("leakage_amount").contract().row(negative)))[0]);
        assertThat(raw).isNegative();

        assertThat(scorer.score(List.of(negative)).get(0).expectedLeakageRatio()).isZero();
    }

    @Test
    void shouldExplainAnElevatedAccountWithAtMostThreeFactorsInWords() {
        RiskScores score = scorer.score(List.of(TestModels.leaky("b"))).get(0);

        assertThat(score.factors()).hasSizeBetween(1, 3)
                .containsAnyOf("2 failed payments in 90 days", "2 mis-rated invoice lines in 90 days",
                        "1 unbilled usage or missing invoice findings in 90 days", "no successful payment for 40 days");
        assertThat(score.factors()).allSatisfy(f -> assertThat(f).doesNotContain(".0 "));
    }

    @Test
    void shouldExplainAChurnRiskWithTheChurnModelsReasons() {
        RiskScores score = scorer.score(List.of(TestModels.leaving("c"))).get(0);

        assertThat(score.factors()).isNotEmpty().hasSizeLessThanOrEqualTo(3)
                .containsAnyOf("contract ends in 1 months", "usage changed by -40% against the previous 3 months",
                        "provisioned seats changed by -30% in 90 days");
    }

    @Test
    void shouldNotExplainALowRiskAccount() {
        assertThat(scorer.score(List.of(TestModels.quiet("a"))).get(0).factors()).isEmpty();
    }

    @Test
    void shouldGiveARowNotWantedInFullItsProbabilitiesOnly() {
        List<FeatureSnapshot> rows = List.of(TestModels.leaky("a"), TestModels.leaky("b"));
        List<Integer> asked = new java.util.ArrayList<>();

        List<RiskScores> scores = scorer.score(rows, (row, probabilities) -> {
            assertThat(probabilities.hasExpectedLeakage()).isFalse();
            asked.add(row);
            return row == 1;
        });
        List<RiskScores> full = scorer.score(rows);

        assertThat(asked).containsExactly(0, 1);
        assertThat(scores.get(0).hasExpectedLeakage()).isFalse();
        assertThat(scores.get(0).factors()).isEmpty();
        assertThat(scores.get(0).leakageProbability()).isEqualTo(full.get(0).leakageProbability());
        assertThat(scores.get(0).churnProbability()).isEqualTo(full.get(0).churnProbability());
        assertThat(full.get(0).hasExpectedLeakage()).isTrue();
        assertThat(full.get(0).factors()).isNotEmpty();
        // the amount model ran on a batch of one instead of two: ONNX Runtime may sum its trees in another order
        assertThat(scores.get(1).expectedLeakageRatio()).isCloseTo(full.get(1).expectedLeakageRatio(), within(1e-6));
        assertThat(scores.get(1).factors()).isEqualTo(full.get(1).factors());
        assertThat(scores.get(1).leakageProbability()).isEqualTo(full.get(1).leakageProbability());
    }

    @Test
    void shouldScoreAnEmptyBatchWithoutRunningTheModels() {
        assertThat(scorer.score(List.of())).isEmpty();
    }

    @Test
    void shouldRefuseARegistryWithoutAllThreeModels(@TempDir Path tmp) throws Exception {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        // a directory with only two of the three models
        try (var files = Files.walk(dir.resolve("churn_risk"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (ModelRegistry two = ModelRegistry.open(dir)) {
            assertThatThrownBy(() -> new OnnxRiskScorer(two, RiskThresholds.DEFAULTS))
                    .isInstanceOf(ModelValidationException.class).hasMessageContaining("no valid [churn_risk]");
        }
    }
}
