package io.leakwatch.detect.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.scoring.RiskPolicy;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskScores;
import io.leakwatch.scoring.RiskThresholds;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskJudgementTest {
    private static final Instant AT = Instant.parse("2025-03-01T06:00:00Z");
    private static final List<String> VERSIONS = List.of("leakage_risk:v2", "leakage_amount:v2", "churn_risk:v2");
    private final RiskJudgement judgement = new RiskJudgement(new RiskPolicy(RiskThresholds.DEFAULTS), RiskPublishing.DEFAULTS);
    private final FeatureSnapshot snapshot = new FeatureSnapshot("acct-1", AT, "EUR", new BigDecimal("1000.00"),
            new double[Feature.values().length]);

    @Test
    void shouldJudgeAnUnpublishedScoreFromItsProbabilitiesAlone() {
        RiskScores first = new RiskScores(0.10, 0.01, 0.05, VERSIONS, List.of());
        RiskState published = judgement.judge(snapshot, first, RiskState.NONE, AT).state();
        // a day later nothing moved: not published, so the scorer was not asked for the amount
        RiskScores probabilities = RiskScores.probabilities(0.11, 0.05, VERSIONS);

        RiskJudgement.Outcome outcome = judgement.judge(snapshot, probabilities, published, AT.plusSeconds(86_400));

        assertThat(judgement.publishes(snapshot, probabilities, published, AT.plusSeconds(86_400))).isFalse();
        assertThat(outcome.published()).isFalse();
        assertThat(outcome.state()).isEqualTo(published);
    }

    @Test
    void shouldRefuseToPublishAScoreWithoutItsExpectedLeakage() {
        RiskScores probabilities = RiskScores.probabilities(0.80, 0.05, VERSIONS);

        assertThatThrownBy(() -> judgement.judge(snapshot, probabilities, RiskState.NONE, AT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acct-1");
    }
}
