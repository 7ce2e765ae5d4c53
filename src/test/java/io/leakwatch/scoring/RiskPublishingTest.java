package io.leakwatch.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.scoring.RiskPublishing.Published;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RiskPublishingTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final int V1 = "leakage_risk:v1".hashCode();
    private final Published last = new Published(0, 0.30, 0.10, 1000.0, V1);

    private static Published at(long days, double leakage, double churn, double revenue, int versions) {
        return new Published(days * DAY, leakage, churn, revenue, versions);
    }

    @Test
    void shouldPublishTheFirstScoreALevelChangeAndANewModelVersion() {
        RiskPublishing p = RiskPublishing.DEFAULTS;

        assertThat(p.due(null, false, at(1, 0.30, 0.10, 1000, V1))).isTrue();
        assertThat(p.due(last, true, at(1, 0.30, 0.10, 1000, V1))).isTrue();
        assertThat(p.due(last, false, at(1, 0.30, 0.10, 1000, "leakage_risk:v2".hashCode()))).isTrue();
        assertThat(p.due(last, false, at(1, 0.30, 0.10, 1000, V1))).isFalse();
    }

    @Test
    void shouldMeasureChangesAgainstThePublishedValues() {
        RiskPublishing p = RiskPublishing.DEFAULTS;

        assertThat(p.due(last, false, at(1, 0.349, 0.10, 1000, V1))).isFalse();
        assertThat(p.due(last, false, at(1, 0.35, 0.10, 1000, V1))).isTrue();
        assertThat(p.due(last, false, at(1, 0.30, 0.05, 1000, V1))).isTrue();
        assertThat(p.due(last, false, at(1, 0.30, 0.10, 1099.99, V1))).isFalse();
        assertThat(p.due(last, false, at(1, 0.30, 0.10, 900, V1))).isTrue();
    }

    @Test
    void shouldPublishARecordThatReachedItsMaximumAge() {
        RiskPublishing p = RiskPublishing.DEFAULTS;

        assertThat(p.due(last, false, at(29, 0.30, 0.10, 1000, V1))).isFalse();
        assertThat(p.due(last, false, at(30, 0.30, 0.10, 1000, V1))).isTrue();
        assertThat(RiskPublishing.EVERY_SCORE.due(last, false, at(0, 0.30, 0.10, 1000, V1))).isTrue();
    }

    @Test
    void shouldRefuseNonsense() {
        assertThatThrownBy(() -> new RiskPublishing(1.5, 0.1, Duration.ofDays(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RiskPublishing(0.05, -0.1, Duration.ofDays(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RiskPublishing(0.05, 0.1, Duration.ofDays(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
