package io.leakwatch.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.detect.baseline.BaselineRule.Verdict;
import io.leakwatch.detect.baseline.RevenueHistory.Mark;
import io.leakwatch.events.Severity;
import io.leakwatch.detect.baseline.BaselineSettings;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The baseline rule on hand-made monthly series starting 2024-01 (defaults: window 6, robust z 4.5 with a noise
 * floor of 5% of the level, a move of at least 30% and 100 a month, erosion 30% over 12 months at Z 1.645).
 */
class BaselineRuleTest {
    private static final YearMonth JAN = YearMonth.of(2024, 1);
    private final BaselineRule rule = new BaselineRule(BaselineSettings.defaults());

    /** A history with one value per month from 2024-01; null = no invoice that month. */
    static RevenueHistory history(Double... monthly) {
        RevenueHistory h = new RevenueHistory("USD", 24);
        for (int i = 0; i < monthly.length; i++) {
            if (monthly[i] != null) {
                h.add(JAN.plusMonths(i), BigDecimal.valueOf(monthly[i]).setScale(2, java.math.RoundingMode.HALF_EVEN));
            }
        }
        return h;
    }

    private List<Verdict> closeAll(RevenueHistory h) {
        return rule.closeThrough(h, h.last());
    }

    private static List<String> alerts(List<Verdict> verdicts) {
        return verdicts.stream().filter(Verdict::alerts).map(v -> v.mark() + "@" + v.period()).collect(Collectors.toList());
    }

    @Test
    void shouldNotJudgeAnyMonthDuringColdStart() {
        RevenueHistory h = history(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 10.0);

        List<Verdict> verdicts = closeAll(h);

        assertThat(verdicts).hasSize(6).allSatisfy(v -> {
            assertThat(v.baseline()).isNull();
            assertThat(v.mark()).isEqualTo(Mark.NONE);
        });
        assertThat(h.judgedThrough()).isEqualTo(YearMonth.of(2024, 6));
    }

    @Test
    void shouldFlagDropWhenRevenueFallsFarBelowItsBaseline() {
        RevenueHistory h = history(1000.0, 1040.0, 980.0, 1010.0, 990.0, 1020.0, 300.0);

        List<Verdict> verdicts = closeAll(h);

        Verdict july = verdicts.get(6);
        assertThat(july.mark()).isEqualTo(Mark.DROP);
        assertThat(july.baseline().mean()).isEqualByComparingTo("1006.6666666667");
        assertThat(july.baseline().from()).isEqualTo(JAN);
        assertThat(july.baseline().to()).isEqualTo(YearMonth.of(2024, 6));
        Finding f = RevenueFindings.finding("acct-1", "USD", july, rule).orElseThrow();
        assertThat(f.type()).isEqualTo(AlertType.REVENUE_DROP);
        assertThat(f.evidenceKey()).isEqualTo("2024-07");
        // the level is the window's Theil-Sen line at its last month, not its mean
        assertThat(july.baseline().median()).isEqualByComparingTo("1016.6666666665");
        assertThat(f.amount()).isEqualByComparingTo("716.67");
        assertThat(f.evidence()).containsEntry("revenue", "300").containsEntry("baseline_mean", "1016.67")
                .containsEntry("percent_vs_baseline", "-70.5").containsEntry("months", "2024-07 vs 2024-01..2024-06")
                .containsEntry("baseline_scale", "50.83").containsKey("z").containsEntry("severity_score", "70.49");
        assertThat(f.explanation()).contains("70.5% below").contains("USD 1,016.67").contains("2024-01..2024-06");
    }

    @Test
    void shouldFlagSpikeAsNegativeAmountBecauseItMayBeOverBilling() {
        RevenueHistory h = history(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 3000.0);

        Verdict july = closeAll(h).get(6);

        assertThat(july.mark()).isEqualTo(Mark.SPIKE);
        Finding f = RevenueFindings.finding("acct-1", "USD", july, rule).orElseThrow();
        assertThat(f.type()).isEqualTo(AlertType.REVENUE_SPIKE);
        assertThat(f.amount()).isEqualByComparingTo("-2000.00");
        // z against the 5% floor of a flat baseline
        assertThat(f.evidence()).containsEntry("percent_vs_baseline", "200.0").containsEntry("z", "40.00");
    }

    @Test
    void shouldJudgeFlatBaselineAgainstNoiseFloorWhenStandardDeviationIsZero() {
        RevenueHistory flat = history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 500.0);
        RevenueHistory smallMove = history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 600.0);
        RevenueHistory bigMove = history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 150.0);

        Verdict same = closeAll(flat).get(6);
        Verdict small = closeAll(smallMove).get(6);
        Verdict big = closeAll(bigMove).get(6);

        assertThat(same.baseline().std()).isZero();
        assertThat(same.z()).isZero();
        assertThat(same.mark()).isEqualTo(Mark.NONE);
        assertThat(small.z()).isEqualTo(4.0);   // 100 / (0.05 * 500): under the z threshold, and only 20%
        assertThat(small.mark()).isEqualTo(Mark.NONE);
        assertThat(big.z()).isEqualTo(-14.0);   // -350 / (0.05 * 500)
        assertThat(big.mark()).isEqualTo(Mark.DROP);
    }

    @Test
    void shouldNeedAMoveOfThirtyPercentAndAHundredAMonthWhenZIsFarBeyondTheThreshold() {
        // Given a flat 500: every move below is many floors (25) away, so the minimum change decides
        Verdict fallOf28 = closeAll(history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 360.0)).get(6);
        Verdict fallOf32 = closeAll(history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 340.0)).get(6);
        Verdict riseOf28 = closeAll(history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 640.0)).get(6);
        Verdict riseOf32 = closeAll(history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 660.0)).get(6);
        // and a tiny account halving: 75 a month is below the absolute minimum
        Verdict tiny = closeAll(history(150.0, 150.0, 150.0, 150.0, 150.0, 150.0, 75.0)).get(6);

        assertThat(fallOf28.z()).isEqualTo(-5.6);
        assertThat(fallOf28.mark()).isEqualTo(Mark.NONE);
        assertThat(fallOf32.mark()).isEqualTo(Mark.DROP);
        assertThat(riseOf28.z()).isEqualTo(5.6);
        assertThat(riseOf28.mark()).isEqualTo(Mark.NONE);
        assertThat(riseOf32.mark()).isEqualTo(Mark.SPIKE);
        assertThat(tiny.z()).isEqualTo(-10.0);
        assertThat(tiny.mark()).isEqualTo(Mark.NONE);
    }

    @Test
    void shouldFlagASixtyPercentSpikeOnASteadyAccountThatAFloorOfAQuarterOfTheMeanHid() {
        // Given an account varying about 3% a month, then +61%
        RevenueHistory h = history(1000.0, 1030.0, 985.0, 1010.0, 970.0, 1025.0, 995.0, 1005.0, 990.0, 1020.0,
                1000.0, 1015.0, 1630.0);

        List<Verdict> verdicts = closeAll(h);

        assertThat(alerts(verdicts)).containsExactly("SPIKE@2025-01");
        assertThat(verdicts.get(12).z()).isGreaterThan(10);
    }

    @Test
    void shouldNotFlagAYearlyPeakThatTheSameMonthLastYearExplains() {
        // Given a December peak of +70% in 2024 (during cold start... judged: the first one is in month 12)
        RevenueHistory h = history(1000.0, 1010.0, 990.0, 1700.0, 1000.0, 1005.0, 995.0, 1010.0, 990.0, 1000.0,
                1010.0, 995.0, 1000.0, 1005.0, 990.0, 1710.0, 1000.0);

        List<Verdict> verdicts = closeAll(h);

        // April 2025 is as far above its level as April 2024 was: seasonal, not a spike
        assertThat(verdicts.get(15).z()).isGreaterThan(4.5);
        assertThat(verdicts.get(15).mark()).isEqualTo(Mark.NONE);
        assertThat(alerts(verdicts)).isEmpty();
    }

    @Test
    void shouldFlagDisruptionOnAGrowingAccountWhoseLevelIsAboveItsTrailingMean() {
        // Given seats stepping up (the month before the disruption is 15% above the 6-month mean), then a fall to a
        // third of the last level and a partial recovery: the level follows the steps (531.66), z = -13.34
        RevenueHistory h = history(414.19, 414.30, 414.41, 473.00, 531.60, 531.66, 177.03, 472.12, 590.57);

        List<Verdict> verdicts = closeAll(h);

        assertThat(alerts(verdicts)).containsExactly("DROP@2024-07");
        assertThat(verdicts.get(6).z()).isCloseTo(-13.34, org.assertj.core.api.Assertions.within(0.01));
        assertThat(verdicts.get(7).mark()).isEqualTo(Mark.NONE);   // the recovery month is not a spike
    }

    @Test
    void shouldCountMissingMonthAsZeroRevenueSoASilentAccountIsADrop() {
        RevenueHistory h = history(800.0, 820.0, 790.0, 810.0, 800.0, 805.0, null, 800.0);

        List<Verdict> verdicts = closeAll(h);

        assertThat(verdicts.get(6).revenue()).isEqualByComparingTo("0");
        assertThat(alerts(verdicts)).containsExactly("DROP@2024-07");
        assertThat(verdicts.get(7).mark()).isEqualTo(Mark.NONE);   // back to normal: not a spike
    }

    @Test
    void shouldTreatMissingMonthsInsideTheBaselineAsZeros() {
        RevenueHistory h = history(600.0, null, 600.0, 600.0, 600.0, 600.0, 600.0);

        Verdict july = closeAll(h).get(6);

        assertThat(july.baseline().mean()).isEqualByComparingTo("500");
    }

    @Test
    void shouldFlagExpansionOnceAndStopOnceTheBaselineHasCaughtUp() {
        // Given a jump to a higher level that keeps climbing for a month, then holds
        RevenueHistory h = history(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0,
                2000.0, 2300.0, 2400.0, 2400.0, 2450.0, 2400.0, 2420.0, 2400.0);

        List<Verdict> verdicts = closeAll(h);

        assertThat(alerts(verdicts)).containsExactly("SPIKE@2024-07");
        assertThat(verdicts.get(7).mark()).isEqualTo(Mark.SPIKE_CONTINUED);   // still far above the old baseline
        assertThat(verdicts.get(8).mark()).isEqualTo(Mark.SPIKE_CONTINUED);
        assertThat(verdicts.get(9).mark()).isEqualTo(Mark.NONE);              // baseline caught up
        assertThat(verdicts.subList(9, verdicts.size())).allSatisfy(v -> assertThat(v.mark()).isEqualTo(Mark.NONE));
    }

    @Test
    void shouldKeepANoisyExpansionOneEpisodeUntilTheBaselineCatchesUp() {
        // Given a jump that keeps climbing with noise: the climb is one episode, flagged once at the jump
        RevenueHistory h = history(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0,
                1900.0, 2500.0, 2100.0, 3400.0, 3000.0, 3000.0, 3000.0, 3000.0, 3000.0, 3000.0, 3000.0);

        List<Verdict> verdicts = closeAll(h);

        assertThat(verdicts.get(7).mark()).isEqualTo(Mark.SPIKE_CONTINUED);
        assertThat(verdicts.subList(8, verdicts.size())).as("the climb and the noise on the new level")
                .noneMatch(v -> v.mark() == Mark.SPIKE);
        assertThat(alerts(verdicts)).containsExactly("SPIKE@2024-07");
    }

    @Test
    void shouldFlagANewJumpOnceTheBaselineHasCaughtUpWithTheLastOne() {
        // Given an expansion whose new level has filled the whole baseline window, then a second jump
        RevenueHistory h = history(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0,
                2000.0, 2000.0, 2000.0, 2000.0, 2000.0, 2000.0, 2000.0, 2000.0, 5000.0);

        assertThat(alerts(closeAll(h))).containsExactly("SPIKE@2024-07", "SPIKE@2025-03");
    }

    @Test
    void shouldFlagASecondSpikeWhenTheFirstRevertedInBetween() {
        RevenueHistory h = history(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 3000.0, 1000.0, 3000.0, 1000.0);

        assertThat(alerts(closeAll(h))).containsExactly("SPIKE@2024-07", "SPIKE@2024-09");
    }

    @Test
    void shouldFlagOneMonthSpikeThatRevertsOnce() {
        RevenueHistory h = history(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0,
                3000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0);

        assertThat(alerts(closeAll(h))).containsExactly("SPIKE@2024-07");
    }

    @Test
    void shouldFlagChurnLikeDropOnceWhileRevenueStaysLow() {
        RevenueHistory h = history(1000.0, 1010.0, 990.0, 1000.0, 1005.0, 995.0,
                300.0, 310.0, 295.0, 300.0, 305.0, 300.0, 300.0, 298.0, 302.0, 300.0);

        List<String> alerts = alerts(closeAll(h));

        assertThat(alerts).containsExactly("DROP@2024-07");   // and no erosion from the step down
    }

    @Test
    void shouldFlagSlowErosionThatNeverTripsASingleMonthAlert() {
        // 4% a month for 16 months: no month is 62.5% away from its trailing mean
        Double[] months = new Double[22];
        for (int i = 0; i < months.length; i++) {
            months[i] = i < 6 ? 1000.0 : 1000.0 * Math.pow(0.96, i - 5);
        }
        RevenueHistory h = history(months);

        List<Verdict> verdicts = closeAll(h);

        assertThat(verdicts).noneMatch(v -> v.mark().pointAnomaly());
        assertThat(alerts(verdicts)).hasSize(1).first().asString().startsWith("EROSION@");
        Verdict erosion = verdicts.stream().filter(Verdict::alerts).findFirst().orElseThrow();
        assertThat(erosion.trend().decline()).isGreaterThanOrEqualTo(0.30);
        assertThat(erosion.trend().mannKendallZ()).isLessThanOrEqualTo(-rule.settings().erosionTrendZ());
        Finding f = RevenueFindings.finding("acct-1", "USD", erosion, rule).orElseThrow();
        assertThat(f.type()).isEqualTo(AlertType.REVENUE_EROSION);
        assertThat(f.evidenceKey()).isEqualTo("erosion/" + erosion.period());
        assertThat(f.amount()).isPositive()
                .isEqualByComparingTo(io.leakwatch.money.Currencies.round(
                        erosion.trend().startLevel().subtract(erosion.revenue()), "USD"));
        assertThat(f.evidence()).containsKeys("erosion_pct", "trend_z", "erosion_periods", "severity_score");
        // later months of the same run are continuations, not new alerts
        assertThat(verdicts.get(verdicts.size() - 1).mark()).isEqualTo(Mark.EROSION_CONTINUED);
    }

    @Test
    void shouldFlagNoisyErosionSignificantAtFivePercentButNotAtOnePercent() {
        // generated seed 7 acct-01661: usage with about +-25% monthly noise, an erosion shape declining from 2024-12
        RevenueHistory h = history(3579.57, 3016.65, 3434.16, 3604.53, 3239.80, 2381.26, 2738.31, 2644.25, 2756.55,
                3319.95, 2609.31, 4253.01, 3033.68, 3168.19, 3040.87, 2517.20, 2734.37, 3164.60, 2432.49, 3182.57,
                2296.95, 2811.89, 1803.57);

        List<Verdict> verdicts = closeAll(h);

        assertThat(alerts(verdicts)).containsExactly("EROSION@2025-11");
        Verdict erosion = verdicts.get(verdicts.size() - 1);
        assertThat(erosion.trend().mannKendallZ()).isCloseTo(-1.99, org.assertj.core.data.Offset.offset(0.01));
        assertThat(erosion.trend().decline()).isGreaterThanOrEqualTo(0.30);
        BaselineRule onePercent = new BaselineRule(BaselineSettings.defaults().withErosion(12, 0.30, 2.326));
        assertThat(alerts(onePercent.closeThrough(history(3579.57, 3016.65, 3434.16, 3604.53, 3239.80, 2381.26,
                2738.31, 2644.25, 2756.55, 3319.95, 2609.31, 4253.01, 3033.68, 3168.19, 3040.87, 2517.20, 2734.37,
                3164.60, 2432.49, 3182.57, 2296.95, 2811.89, 1803.57), YearMonth.of(2025, 11)))).isEmpty();
    }

    @Test
    void shouldLetPointAnomalyWinOverErosionInTheSameMonth() {
        Double[] months = new Double[14];
        for (int i = 0; i < 13; i++) {
            months[i] = i < 4 ? 1000.0 : 1000.0 * Math.pow(0.97, i - 3);
        }
        months[13] = 100.0;
        RevenueHistory h = history(months);

        List<Verdict> verdicts = closeAll(h);

        Verdict last = verdicts.get(13);
        assertThat(last.mark()).isEqualTo(Mark.DROP);
        assertThat(last.trend()).isNull();
    }

    @Test
    void shouldNotFlagErosionOnNoisyFlatRevenue() {
        RevenueHistory h = history(1000.0, 1100.0, 900.0, 1050.0, 950.0, 1000.0, 1080.0, 920.0, 1010.0, 990.0,
                1060.0, 940.0, 1000.0, 900.0, 1000.0, 1100.0);

        assertThat(alerts(closeAll(h))).isEmpty();
    }

    @Test
    void shouldComputeMannKendallAndTheilSenOnAMonotoneSeries() {
        List<BigDecimal> y = List.of(100, 90, 80, 70, 60).stream().map(BigDecimal::valueOf).toList();

        BaselineRule.Trend t = BaselineRule.trend(y, JAN, JAN.plusMonths(4));

        // S = -10, Var = 5*4*15/18 = 16.67, Z = (S+1)/sqrt(Var) = -2.205
        assertThat(t.mannKendallZ()).isCloseTo(-2.2045, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(t.slope()).isEqualByComparingTo("-10");
        assertThat(t.startLevel()).isEqualByComparingTo("100");
        assertThat(t.decline()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldGrowSeverityWithTheSizeOfTheMoveNotItsZ() {
        assertThat(rule.severity(30)).isEqualTo(Severity.LOW);
        assertThat(rule.severity(40)).isEqualTo(Severity.MEDIUM);
        assertThat(rule.severity(60)).isEqualTo(Severity.HIGH);
        assertThat(rule.severity(75)).isEqualTo(Severity.CRITICAL);
        // losing 70% of a month is HIGH, losing all of it CRITICAL, whatever the baseline's deviation
        Verdict drop = closeAll(history(50000.0, 51000.0, 49000.0, 50500.0, 49500.0, 50000.0, 15000.0)).get(6);
        assertThat(rule.severity(rule.severityScore(drop))).isEqualTo(Severity.HIGH);
        Verdict gone = closeAll(history(50000.0, 51000.0, 49000.0, 50500.0, 49500.0, 50000.0, 0.0)).get(6);
        assertThat(rule.severity(rule.severityScore(gone))).isEqualTo(Severity.CRITICAL);
        Verdict erosion = new Verdict(JAN, BigDecimal.ONE, Mark.EROSION, null, 0,
                new BaselineRule.Trend(JAN, JAN, BigDecimal.TEN, BigDecimal.ONE.negate(), -3, 0.45));
        assertThat(rule.severityScore(erosion)).isCloseTo(45, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldForgetAnAccountWhoseWholeWindowIsZero() {
        RevenueHistory h = history(500.0, 500.0, 500.0, 500.0, 500.0, 500.0, null, null, null, null, null, null);
        h.add(YearMonth.of(2024, 12), BigDecimal.ZERO);

        closeAll(h);

        assertThat(rule.dormant(h, YearMonth.of(2024, 11))).isFalse();
        assertThat(rule.dormant(h, YearMonth.of(2024, 12))).isTrue();
    }

    @Test
    void shouldLeaveAFlaggedMonthOutOfTheBaselineSoTheNextSilentMonthIsStillADrop() {
        // a missing invoice in 2024-09 (flagged) and the contract ends after 2024-12: with the zero inside the window
        // the baseline's deviation would be far larger
        RevenueHistory h = history(691.2, 691.2, 592.5, 592.5, 691.2, 691.2, 790.0, 790.0, null, 888.8, 888.8, 987.5);
        h.add(JAN.plusMonths(12), BigDecimal.ZERO);

        List<Verdict> verdicts = closeAll(h);

        assertThat(alerts(verdicts)).containsExactly("DROP@2024-09", "DROP@2025-01");
        Verdict silent = verdicts.get(12);
        assertThat(silent.baseline().from()).isEqualTo(YearMonth.of(2024, 6));
        assertThat(silent.baseline().periods()).isEqualTo(6);
    }

    @Test
    void shouldNotFlagErosionForAStaircaseThatStepsDownAndStays() {
        // seats: a flat level, then two seats lost out of seven; a level shift, not a trend (Hamed-Rao: the
        // residuals stay on one side of the line for months)
        Double[] months = new Double[19];
        for (int i = 0; i < months.length; i++) {
            months[i] = i < 15 ? 325.22 : i < 16 ? 278.76 : 232.30;
        }
        RevenueHistory h = history(months);

        assertThat(alerts(closeAll(h))).noneMatch(a -> a.startsWith("EROSION"));
    }

    @Test
    void shouldWidenMannKendallVarianceForSeriallyCorrelatedResiduals() {
        List<BigDecimal> steps = List.of(100, 100, 100, 100, 100, 100, 80, 80, 80, 80, 80, 80).stream()
                .map(BigDecimal::valueOf).toList();
        List<BigDecimal> alternating = List.of(100, 90, 100, 90, 100, 90, 100, 90, 100, 90, 100, 90).stream()
                .map(BigDecimal::valueOf).toList();

        assertThat(BaselineRule.autocorrelationFactor(steps, BigDecimal.ZERO)).isGreaterThan(1.5);
        assertThat(BaselineRule.autocorrelationFactor(alternating, BigDecimal.ZERO)).isEqualTo(1.0);
    }

    @Test
    void shouldFlagOneErosionPerEpisodeWhenAOneMonthReboundInterruptsIt() {
        // 5% a month for 14 months with a one-month rebound of 45% in the middle of the decline
        Double[] months = new Double[24];
        for (int i = 0; i < months.length; i++) {
            months[i] = i < 6 ? 1000.0 : 1000.0 * Math.pow(0.95, Math.min(i - 5, 14));
        }
        months[19] = months[19] * 1.45;
        RevenueHistory h = history(months);

        assertThat(alerts(closeAll(h))).as("the rebound is a spike of its own; the decline is one erosion")
                .containsExactly("EROSION@2025-01", "SPIKE@2025-08");
    }

    /**
     * 24 months of a steady account (±3%) whose contract is amended from the 13th month on to {@code factor} times
     * every rate; with {@code priced} the lines carry their price effect, without it they are bare totals.
     */
    private static RevenueHistory amendedAccount(double factor, boolean priced, Double spikeAt15) {
        double[] noise = {1.00, 1.02, 0.98, 1.03, 0.99, 1.01, 0.97, 1.02, 1.00, 0.98, 1.03, 0.99};
        RevenueHistory h = new RevenueHistory("USD", 24);
        for (int i = 0; i < 24; i++) {
            double quantity = 100 * noise[i % 12] * (spikeAt15 != null && i == 15 ? spikeAt15 : 1);
            double rateBefore = i <= 12 ? 10 : 10 * factor;
            double rate = i < 12 ? 10 : 10 * factor;
            BigDecimal q = BigDecimal.valueOf(quantity).setScale(2, java.math.RoundingMode.HALF_EVEN);
            BigDecimal atPrices = q.multiply(BigDecimal.valueOf(rate)).setScale(2, java.math.RoundingMode.HALF_EVEN);
            BigDecimal atPrior = q.multiply(BigDecimal.valueOf(rateBefore)).setScale(2, java.math.RoundingMode.HALF_EVEN);
            if (priced) {
                h.add(JAN.plusMonths(i), atPrices, atPrices, atPrior);
            } else {
                h.add(JAN.plusMonths(i), atPrices);
            }
        }
        return h;
    }

    @Test
    void shouldReadARateCutUnderAnAmendmentAsAPriceChangeNotADropOrErosion() {
        assertThat(alerts(closeAll(amendedAccount(0.65, false, null))))
                .as("the same billed revenue without its price effect").isNotEmpty();

        RevenueHistory amended = amendedAccount(0.65, true, null);

        assertThat(amended.priceChange(JAN.plusMonths(12))).isEqualByComparingTo("0.65");
        assertThat(amended.priceChange(JAN.plusMonths(13))).isEqualByComparingTo("1");
        assertThat(alerts(closeAll(amended))).isEmpty();
    }

    @Test
    void shouldStillFlagASpikeAfterAnAmendmentMeasuredAtTheNewPrices() {
        RevenueHistory amended = amendedAccount(0.65, true, 1.6);

        List<Verdict> verdicts = closeAll(amended);

        assertThat(alerts(verdicts)).containsExactly("SPIKE@2025-04");
        Verdict spike = verdicts.stream().filter(Verdict::alerts).findFirst().orElseThrow();
        assertThat(spike.baseline().repriced()).isTrue();
        assertThat(spike.baseline().median().doubleValue()).as("the level at the new prices").isBetween(620.0, 680.0);
        Finding finding = RevenueFindings.finding("acct-1", "USD", spike, rule).orElseThrow();
        assertThat(finding.explanation()).contains("restated at this month's contract rates");
        assertThat(finding.evidence()).containsEntry("baseline_prices", "restated at 2025-04's contract rates");
    }

    @Test
    void shouldJudgeBilledRevenueAsBilledWhenNoPriceMoved() {
        RevenueHistory bare = amendedAccount(1.0, false, 1.6);
        RevenueHistory priced = amendedAccount(1.0, true, 1.6);

        assertThat(priced.repricedTo(JAN.plusMonths(20))).isSameAs(priced);
        assertThat(closeAll(priced)).map(Verdict::toString).isEqualTo(closeAll(bare).stream().map(Verdict::toString).toList())
                .anyMatch(v -> v.contains("mark=SPIKE"));
    }

    @Test
    void shouldNotLetAnOrdinaryMonthLastYearExcuseADropThatJustClearsTheMinimum() {
        // a steady account whose level falls by a third in 2025-03; 2024-03 was a little below its neighbours
        RevenueHistory h = history(1209.0, 1279.0, 1311.0, 1387.0, 1386.0, 1345.0, 1275.0, 1351.0, 1239.0, 1241.0,
                1312.0, 1209.0, 1348.0, 1276.0, 886.0, 887.0, 885.0);

        assertThat(alerts(closeAll(h))).containsExactly("DROP@2025-03");
    }

    @Test
    void shouldNotCallAStepDownTooSmallToBeADropAnErosion() {
        // a small account whose level halves in one month and stays: 97 a month, under the least drop of 100
        Double[] months = new Double[24];
        for (int i = 0; i < months.length; i++) {
            months[i] = i < 18 ? 193.0 : 96.0;
        }

        assertThat(alerts(closeAll(history(months)))).isEmpty();
    }

    @Test
    void shouldNotReadAnAccountWhoseMonthsClusterAtTwoLevelsAsSteady() {
        // usage that swings between about 13k and 21k: a 13.5k month is one of its usual ones
        RevenueHistory h = history(22560.0, 21183.0, 20543.0, 15881.0, 20485.0, 14138.0, 15312.0, 21781.0, 15172.0,
                17127.0, 13248.0, 17394.0, 20614.0, 19876.0, 18907.0, 20248.0, 13534.0, 20329.0, 12685.0, 19166.0);

        assertThat(alerts(closeAll(h))).isEmpty();
    }
}
