package io.leakwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code |amount| >= critical -> CRITICAL, >= high -> HIGH, >= medium -> MEDIUM, > 0 -> LOW, else INFO}. */
class SeverityPolicyTest {
    private final SeverityPolicy standard = SeverityPolicy.standard();

    @ParameterizedTest(name = "USD {0} -> {1}")
    @CsvSource({
            "0.01,     LOW",
            "99.99,    LOW",
            "100.00,   MEDIUM",
            "999.99,   MEDIUM",
            "1000.00,  HIGH",
            "9999.99,  HIGH",
            "10000.00, CRITICAL",
            "250000,   CRITICAL"})
    void shouldSwitchSeverityExactlyAtEachDefaultThreshold(String amount, Severity expected) {
        assertThat(standard.severityOf(new BigDecimal(amount), "USD")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "JPY {0} -> {1}")
    @CsvSource({
            "1,       LOW",
            "9999,    LOW",
            "10000,   MEDIUM",
            "99999,   MEDIUM",
            "100000,  HIGH",
            "999999,  HIGH",
            "1000000, CRITICAL"})
    void shouldUseLargeThresholdsForYen(String amount, Severity expected) {
        assertThat(standard.severityOf(new BigDecimal(amount), "JPY")).isEqualTo(expected);
    }

    @Test
    void shouldUseLargeThresholdsForWonAndForint() {
        assertThat(standard.severityOf(new BigDecimal("5000"), "KRW")).isEqualTo(Severity.LOW);
        assertThat(standard.severityOf(new BigDecimal("5000"), "HUF")).isEqualTo(Severity.LOW);
    }

    @Test
    void shouldRateOverBillingByItsAbsoluteAmount() {
        assertThat(standard.severityOf(new BigDecimal("-100.00"), "USD")).isEqualTo(Severity.MEDIUM);
        assertThat(standard.severityOf(new BigDecimal("-10000"), "EUR")).isEqualTo(Severity.CRITICAL);
        assertThat(standard.severityOf(new BigDecimal("-0.01"), "USD")).isEqualTo(Severity.LOW);
    }

    @Test
    void shouldRateZeroAsInfo() {
        assertThat(standard.severityOf(BigDecimal.ZERO, "USD")).isEqualTo(Severity.INFO);
        assertThat(standard.severityOf(new BigDecimal("0.0000"), "JPY")).isEqualTo(Severity.INFO);
    }

    @Test
    void shouldUseCustomPerCurrencyThresholdsOverDefaults() {
        SeverityPolicy policy = new SeverityPolicy(SeverityPolicy.Thresholds.of(100, 1_000, 10_000),
                Map.of("BHD", SeverityPolicy.Thresholds.of(10, 100, 1_000)));

        assertThat(policy.severityOf(new BigDecimal("10.000"), "BHD")).isEqualTo(Severity.MEDIUM);
        assertThat(policy.severityOf(new BigDecimal("10.000"), "USD")).isEqualTo(Severity.LOW);
    }

    @Test
    void shouldParseThresholdsFromCommaSeparatedAmounts() {
        SeverityPolicy.Thresholds t = SeverityPolicy.Thresholds.parse(" 50, 500.5 ,5000");

        assertThat(t.medium()).isEqualByComparingTo("50");
        assertThat(t.high()).isEqualByComparingTo("500.5");
        assertThat(t.critical()).isEqualByComparingTo("5000");
    }

    @Test
    void shouldRejectThresholdsWithoutExactlyThreeAmounts() {
        assertThatThrownBy(() -> SeverityPolicy.Thresholds.parse("50,500"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("medium,high,critical");
    }
}
