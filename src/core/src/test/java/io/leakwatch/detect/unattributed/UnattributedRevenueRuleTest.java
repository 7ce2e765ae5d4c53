package io.leakwatch.detect.unattributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnattributedRevenueRuleTest {
    private final UnattributedRevenueRule rule =
            new UnattributedRevenueRule(new BigDecimal("1000"), new BigDecimal("0.005"), Duration.ofDays(5));

    @Test
    void shouldNotReportBelowBothThresholds() {
        assertThat(rule.judge(totals("999.99", 3, "200000"))).isEmpty();
    }

    @Test
    void shouldReportAtTheMinimumAmount() {
        assertThat(rule.judge(totals("1000", 2, "10000000"))).isPresent();
    }

    @Test
    void shouldReportAtTheMinimumShareComparedExactly() {
        assertThat(rule.judge(totals("50", 1, "10000"))).isPresent();
        assertThat(rule.judge(totals("49.99", 1, "10000"))).isEmpty();
    }

    @Test
    void shouldNotReportWhenNothingIsUnattributed() {
        UnattributedRevenueRule anything = new UnattributedRevenueRule(BigDecimal.ZERO, BigDecimal.ZERO, Duration.ofDays(5));

        assertThat(anything.judge(totals("0", 0, "500"))).isEmpty();
    }

    @Test
    void shouldDescribeThePeriodAndCurrency() {
        Finding finding = rule.judge(totals("1500", 4, "40000")).orElseThrow();

        assertThat(finding.type()).isEqualTo(AlertType.UNATTRIBUTED_REVENUE);
        assertThat(finding.accountId()).isEqualTo("UNATTRIBUTED");
        assertThat(finding.evidenceKey()).isEqualTo("2026-02/USD");
        assertThat(finding.amount()).isEqualByComparingTo("1500");
        assertThat(finding.currency()).isEqualTo("USD");
        assertThat(finding.eventTime()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(finding.evidence()).containsEntry("unattributed_lines", "4").containsEntry("share", "0.0375")
                .containsEntry("billed_total", "40000");
    }

    @Test
    void shouldRoundTheShareHalfEvenToFourDecimals() {
        assertThat(UnattributedRevenueRule.share(totals("1", 1, "3"))).isEqualByComparingTo("0.3333");
        assertThat(UnattributedRevenueRule.share(totals("0.00125", 1, "1"))).isEqualByComparingTo("0.0012");
    }

    @Test
    void shouldClosePeriodAtItsEndPlusGrace() {
        assertThat(rule.closeOf(BillingPeriod.parse("2026-02"))).isEqualTo(Instant.parse("2026-03-06T00:00:00Z"));
    }

    @Test
    void shouldAddLinesAndPartials() {
        BillingPeriod february = BillingPeriod.parse("2026-02");
        PeriodTotals one = PeriodTotals.empty(february, "USD")
                .with(new BilledLine(february, "USD", new BigDecimal("10.00"), true))
                .with(new BilledLine(february, "USD", new BigDecimal("2.50"), false));

        assertThat(one.plus(one)).isEqualTo(new PeriodTotals("2026-02", "USD", new BigDecimal("5.00"), 2,
                new BigDecimal("25.00"), 4));
    }

    private static PeriodTotals totals(String unattributed, long lines, String billed) {
        return new PeriodTotals("2026-02", "USD", new BigDecimal(unattributed), lines, new BigDecimal(billed), lines + 10);
    }
}
