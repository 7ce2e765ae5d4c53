package io.leakwatch.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskScores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringMetersTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void shouldCountCallsAndRowsAndReturnTheScorersOwnAnswer() {
        List<RiskScores> answer = new ArrayList<>();
        RiskScorer scorer = (snapshots, full) -> answer;
        RiskScorer timed = ScoringMeters.timed(scorer, registry);

        List<RiskScores> first = timed.score(java.util.Collections.nCopies(2, (FeatureSnapshot) null));
        timed.score(java.util.Collections.nCopies(1, (FeatureSnapshot) null));

        assertThat(first).isSameAs(answer);
        String scrape = registry.scrape();
        assertThat(scrape).contains("leakwatch_scoring_batches_total 2.0").contains("leakwatch_scoring_rows_total 3.0")
                .contains("leakwatch_scoring_seconds_count 2").contains("leakwatch_scoring_seconds_bucket{le=\"5.0\"} 2");
    }

    @Test
    void shouldShowTheModelVersionsServedNowAfterAReload() {
        Map<String, String> served = new HashMap<>(Map.of("leakage_risk", "leakage_risk:v3"));
        ScoringMeters models = new ScoringMeters(registry, () -> Map.copyOf(served));
        assertThat(registry.scrape()).contains("leakwatch_model_info{model=\"leakage_risk\",version=\"v3\"} 1");

        served.put("leakage_risk", "leakage_risk:v4");
        models.refresh();

        assertThat(registry.scrape()).contains("leakwatch_model_info{model=\"leakage_risk\",version=\"v4\"} 1")
                .doesNotContain("version=\"v3\"");
    }
}
