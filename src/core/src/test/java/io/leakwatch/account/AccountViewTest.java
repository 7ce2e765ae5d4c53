package io.leakwatch.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import io.leakwatch.scoring.StubRiskScorer;
import io.leakwatch.topology.RiskSettings;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AccountViewTest {
    private static final BaselineRule RULE = new BaselineRule(BaselineSettings.defaults());

    /** The account of {@link AccountEngineTest#history()}, judged through April, with the alerts its engine raised. */
    private record Judged(AccountState state, List<Alert> raised) {
    }

    private static Judged judged(RiskSettings risk) {
        List<Alert> raised = new ArrayList<>();
        EngineSink sink = new EngineSink() {
            @Override
            public void raised(String unit, Alert alert) {
                raised.add(alert);
            }

            @Override
            public void withdrawn(String unit, String alertId, long judgedAt, String now) {
                raised.removeIf(a -> a.getAlertId().equals(alertId));
            }

            @Override
            public void contribution(io.leakwatch.detect.unattributed.PeriodTotals delta) {
            }

            @Override
            public void published(io.leakwatch.events.AccountRisk risk) {
            }

            @Override
            public void snapshot(io.leakwatch.features.FeatureSnapshot snapshot) {
            }

            @Override
            public void checkpoint(long boundary) {
            }
        };
        AccountState state = AccountEngineTest.run(AccountEngineTest.engine(risk), AccountEngineTest.history(),
                "2026-05-01T00:00:00Z", sink);
        return new Judged(state, raised);
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object tree, Object... path) {
        Object node = tree;
        for (Object step : path) {
            node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
        }
        return (T) node;
    }

    @Test
    void shouldShowTheLatestContractVersionWithEachRateLineMarkedInForceAtTheAccountsPosition() {
        Judged judged = judged(RiskSettings.off());

        Map<String, Object> view = AccountView.of(judged.state(), judged.raised(), RULE, null);

        assertThat((Object) at(view, "as_of")).isNotNull();
        assertThat((List<?>) at(view, "contracts")).hasSize(1);
        assertThat((Object) at(view, "contracts", 0, "version")).isEqualTo(2);
        List<Map<String, Object>> lines = at(view, "contracts", 0, "lines");
        assertThat(lines).extracting(l -> l.get("service") + " " + at(l, "unit_rate", "amount") + " "
                + l.get("effective_to") + " " + l.get("in_force")).containsExactly(
                "seats 10.00 2026-02-01T00:00:00Z false",
                "seats 9.00 null true",
                "api 2.00 null true");
    }

    @Test
    void shouldListOpenAlertsLargestMoneyAtRiskFirstWithTheirSumPerCurrency() {
        Judged judged = judged(RiskSettings.off());

        Map<String, Object> view = AccountView.of(judged.state(), judged.raised(), RULE, null);

        List<Map<String, Object>> alerts = at(view, "open_alerts");
        assertThat(alerts).extracting(a -> a.get("type") + " " + at(a, "money_at_risk", "amount")).containsExactly(
                "FAILED_PAYMENT_NOT_RECOVERED 250.00",
                "UNBILLED_USAGE 100.00",
                "UNPAID_INVOICE 50.00",
                "RATE_MISMATCH -5.00");
        assertThat(alerts.get(0)).containsKeys("explanation", "recommended_action", "evidence", "detected_at");
        assertThat((Object) at(alerts.get(0), "explanation")).asString().isNotBlank();
        // over-billing is money at risk too: |-5| counts
        assertThat((Object) at(view, "money_at_risk")).isEqualTo(List.of(Map.of("amount", "405.00", "currency", "USD")));
    }

    @Test
    void shouldShowEachMonthsRevenueWithTheBaselineBandTheRuleJudgesItAgainst() {
        AccountState state = new AccountState("acct-9");
        Map<YearMonth, BigDecimal> months = new TreeMap<>();
        String[] revenue = {"100", "110", "90", "105", "95", "100", "240"};
        for (int i = 0; i < revenue.length; i++) {
            months.put(YearMonth.of(2026, 1).plusMonths(i), new BigDecimal(revenue[i]));
        }
        state.revenue = RevenueHistory.restore("EUR", 24, YearMonth.of(2026, 1), YearMonth.of(2026, 7), months,
                Map.of(YearMonth.of(2026, 7), RevenueHistory.Mark.SPIKE));

        Map<String, Object> view = AccountView.of(state, List.of(), RULE, null);

        List<Map<String, Object>> shown = at(view, "revenue", "months");
        assertThat(shown).hasSize(7);
        Map<String, Object> july = shown.get(6);
        BaselineRule.Baseline expected = RULE.baseline(state.revenue, YearMonth.of(2026, 7));
        double z = BaselineSettings.defaults().zThreshold();
        assertThat((Object) at(july, "revenue")).isEqualTo(Map.of("amount", "240.00", "currency", "EUR"));
        assertThat((Object) at(july, "mark")).isEqualTo("SPIKE");
        assertThat((Object) at(july, "baseline", "months")).isEqualTo(expected.periods());
        double level = expected.median().doubleValue();
        assertThat(new BigDecimal(AccountViewTest.<String>at(july, "baseline", "mean", "amount"))).isEqualByComparingTo("100");
        assertThat(new BigDecimal(AccountViewTest.<String>at(july, "baseline", "level", "amount")).doubleValue())
                .isCloseTo(level, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(new BigDecimal(AccountViewTest.<String>at(july, "baseline", "upper", "amount")).doubleValue())
                .isCloseTo(level + z * expected.effectiveStd(), org.assertj.core.data.Offset.offset(0.001));
        assertThat(new BigDecimal(AccountViewTest.<String>at(july, "baseline", "lower", "amount")).doubleValue())
                .isCloseTo(level - z * expected.effectiveDropStd(), org.assertj.core.data.Offset.offset(0.001));
        assertThat((Object) at(july, "baseline", "restated_at_month_prices")).isEqualTo(false);
        assertThat((Double) at(july, "z")).isGreaterThan(z);
        // the first month has no history to be judged against
        assertThat((Object) at(shown.get(0), "baseline")).isNull();
    }

    @Test
    void shouldScoreTheCurrentFeaturesWithTheirTopFactorsWhenScoringIsOn() {
        StubRiskScorer scorer = new StubRiskScorer().set(AccountEngineTest.ACCOUNT, 0.8, 0.1, 0.2,
                "unpaid invoices", "usage above billed");
        Judged judged = judged(RiskSettings.off().withScorer(scorer));

        Map<String, Object> view = AccountView.of(judged.state(), judged.raised(), RULE, scorer);

        assertThat((Object) at(view, "risk", "current", "leakage_probability")).isEqualTo(0.8);
        assertThat((Object) at(view, "risk", "current", "factors"))
                .isEqualTo(List.of("unpaid invoices", "usage above billed"));
        assertThat((Object) at(view, "risk", "current", "model_versions")).isEqualTo(StubRiskScorer.VERSIONS);
        assertThat((Map<String, Object>) at(view, "features", "values")).isNotEmpty();
        assertThat((Object) at(view, "risk", "risk_level")).isNotNull();
    }

    @Test
    void shouldLeaveRiskOutWhenScoringIsOff() {
        Judged judged = judged(RiskSettings.off());

        Map<String, Object> view = AccountView.of(judged.state(), judged.raised(), RULE, null);

        assertThat(view).containsEntry("risk", null).containsEntry("features", null);
    }

    @Test
    void shouldWriteMoneyWithAtLeastTheCurrencysMinorUnitsAndNeverDropDigits() {
        assertThat(AccountView.amount(new BigDecimal("1200.0000"), "EUR")).isEqualTo("1200.00");
        assertThat(AccountView.amount(new BigDecimal("12.3456"), "EUR")).isEqualTo("12.3456");
        assertThat(AccountView.amount(new BigDecimal("1500.0000"), "JPY")).isEqualTo("1500");
        assertThat(AccountView.amount(new BigDecimal("1E+3"), "USD")).isEqualTo("1000.00");
    }
    @Test
    void shouldLeaveThePredictionsAmountsOutOfMoneyAtRiskAndNeverNetOverAgainstUnderBilling() {
        Alert over = Alert.newBuilder().setAlertId("a").setType("RATE_MISMATCH").setSeverity(Severity.LOW)
                .setAccountId("acct-1").setEvidenceKey("inv-1/L1").setAmount(new BigDecimal("-12.50"))
                .setCurrency("EUR").setExplanation("x").setRecommendedAction("y")
                .setEventTime(Instant.parse("2026-02-01T00:00:00Z")).setDetectedAt(Instant.parse("2026-02-01T00:00:00Z"))
                .setEvidence(Map.of()).build();
        Alert under = Alert.newBuilder(over).setAlertId("b").setEvidenceKey("inv-1/L2").setAmount(new BigDecimal("30"))
                .build();
        Alert prediction = Alert.newBuilder(over).setAlertId("c").setType("HIGH_CHURN_RISK").setEvidenceKey("2026-02-01")
                .setAmount(new BigDecimal("120000")).build();

        assertThat(AccountView.moneyAtRisk(List.of(over, under, prediction)))
                .containsExactly(Map.entry("EUR", new BigDecimal("42.50")));
    }
}
