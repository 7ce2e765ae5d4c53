package io.leakwatch.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.RiskLevel;
import org.junit.jupiter.api.Test;

class RiskPolicyTest {
    private final RiskPolicy policy = new RiskPolicy(RiskThresholds.DEFAULTS); // high 0.70 in, 0.50 out, medium 0.40

    @Test
    void shouldEnterHighAtTheEnterThreshold() {
        assertThat(policy.level(0.70, RiskLevel.MEDIUM)).isEqualTo(RiskLevel.HIGH);
        assertThat(policy.level(0.6999, RiskLevel.MEDIUM)).isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void shouldStayHighUntilBelowTheExitThreshold() {
        assertThat(policy.level(0.55, RiskLevel.HIGH)).isEqualTo(RiskLevel.HIGH);
        assertThat(policy.level(0.50, RiskLevel.HIGH)).isEqualTo(RiskLevel.HIGH);
        assertThat(policy.level(0.4999, RiskLevel.HIGH)).isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void shouldNotEnterHighBetweenExitAndEnter() {
        assertThat(policy.level(0.65, RiskLevel.LOW)).isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void shouldBeLowBelowMediumAndForNaN() {
        assertThat(policy.level(0.3999)).isEqualTo(RiskLevel.LOW);
        assertThat(policy.level(0.40)).isEqualTo(RiskLevel.MEDIUM);
        assertThat(policy.level(Double.NaN, RiskLevel.HIGH)).isEqualTo(RiskLevel.LOW);
    }

    @Test
    void shouldTellAnEntryIntoHighFromStayingThere() {
        assertThat(RiskPolicy.entersHigh(RiskLevel.MEDIUM, RiskLevel.HIGH)).isTrue();
        assertThat(RiskPolicy.entersHigh(RiskLevel.HIGH, RiskLevel.HIGH)).isFalse();
        assertThat(RiskPolicy.entersHigh(RiskLevel.HIGH, RiskLevel.MEDIUM)).isFalse();
    }

    @Test
    void shouldTakeTheHigherOfTwoLevels() {
        assertThat(RiskPolicy.max(RiskLevel.LOW, RiskLevel.MEDIUM)).isEqualTo(RiskLevel.MEDIUM);
        assertThat(RiskPolicy.max(RiskLevel.HIGH, RiskLevel.MEDIUM)).isEqualTo(RiskLevel.HIGH);
    }
}
