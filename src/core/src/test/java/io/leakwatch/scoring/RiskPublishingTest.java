package io.leakwatch.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.scoring.RiskPublishing.Published;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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

        assertThat(p.due(last, false, at(88, 0.30, 0.10, 1000, V1))).isFalse();
        assertThat(p.due(last, false, at(89, 0.30, 0.10, 1000, V1))).isTrue();
        assertThat(RiskPublishing.EVERY_SCORE.due(last, false, at(0, 0.30, 0.10, 1000, V1))).isTrue();
    }

    @Test
    void shouldRepublishAnUnchangedAccountAtEveryThirdPeriodEndScan() {
        RiskPublishing p = RiskPublishing.DEFAULTS;
        // period-end scans on the 1st of each month, 06:00 (a leap February included); nothing moves
        Instant scan = Instant.parse("2023-11-01T06:00:00Z");
        Published published = new Published(scan.toEpochMilli(), 0.30, 0.10, 1000.0, V1);
        List<String> republished = new ArrayList<>();
        for (int month = 1; month <= 27; month++) {
            Instant next = scan.atZone(ZoneOffset.UTC).plusMonths(month).toInstant();
            Published now = new Published(next.toEpochMilli(), 0.30, 0.10, 1000.0, V1);
            if (p.due(published, false, now)) {
                republished.add(next.toString().substring(0, 7));
                published = now;
            }
        }
        assertThat(republished).containsExactly("2024-02", "2024-05", "2024-08", "2024-11", "2025-02", "2025-05",
                "2025-08", "2025-11", "2026-02");
    }

    @Test
    void shouldRefuseNonsense() {
        assertThatThrownBy(() -> new RiskPublishing(1.5, 0.1, Duration.ofDays(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RiskPublishing(0.05, -0.1, Duration.ofDays(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RiskPublishing(0.05, 0.1, Duration.ofDays(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
