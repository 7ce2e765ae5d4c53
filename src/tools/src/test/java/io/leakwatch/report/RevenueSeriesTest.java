package io.leakwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.detect.baseline.BaselineSettings;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevenueSeriesTest {
    private static final BaselineRule RULE = new BaselineRule(BaselineSettings.defaults());

    private static Anomaly spike(String account, YearMonth period) {
        return new Anomaly(account, period, "REVENUE_SPIKE", "HIGH", 8.0, new BigDecimal("3000"), new BigDecimal("1000"),
                new BigDecimal("200"), "8.0", new BigDecimal("-2000"), "USD", period.toString(), period.toString());
    }

    @Test
    void shouldLeaveAFlaggedSpikeOutOfTheChartedBaselineAsTheRuleDoes() {
        // Given seven months at 1,000 and a spike of 3,000 in the eighth, then 1,000 again
        RevenueHistory history = new RevenueHistory("USD", 10_000);
        YearMonth jan = YearMonth.of(2025, 1);
        for (int i = 0; i < 10; i++) {
            history.add(jan.plusMonths(i), new BigDecimal(i == 7 ? "3000" : "1000"));
        }
        YearMonth spiked = jan.plusMonths(7);

        // When the spike's alert marks the history the chart draws
        RevenueHistory charted = RevenueSeries.withPointAnomalies(history, List.of(spike("acct-1", spiked)));

        // Then the month after it has the baseline the rule judged it against: 1,000, not pulled up by the spike
        assertThat(RULE.baseline(history, spiked.plusMonths(1)).mean()).isGreaterThan(new BigDecimal("1000"));
        assertThat(RULE.baseline(charted, spiked.plusMonths(1)).mean()).isEqualByComparingTo("1000");
        assertThat(charted.recorded()).isEqualTo(history.recorded());
        assertThat(history.marks()).isEmpty();
    }
}
