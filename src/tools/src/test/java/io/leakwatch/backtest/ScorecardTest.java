package io.leakwatch.backtest;

import io.leakwatch.labels.LabelledFinding;
import static io.leakwatch.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import io.leakwatch.topics.TopicCatalog;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tp/fp/fn per type (match on type, account_id, evidence_key), precision/recall, leakage per currency. */
class ScorecardTest {

    private static Alert alert(String type, String account, String key, String amount, String currency) {
        return Alert.newBuilder()
                .setAlertId(type + "-" + account + "-" + key)
                .setType(type)
                .setSeverity(Severity.LOW)
                .setAccountId(account)
                .setEvidenceKey(key)
                .setAmount(new BigDecimal(amount).setScale(4))
                .setCurrency(currency)
                .setExplanation("x")
                .setRecommendedAction("y")
                .setEventTime(at("2026-02-01T00:00:00Z"))
                .setDetectedAt(at("2026-03-01T00:00:00Z"))
                .setEvidence(Map.of())
                .build();
    }

    private static LabelledFinding label(String type, String account, String key, String amount, String currency) {
        return new LabelledFinding(type, account, key, new BigDecimal(amount), currency);
    }

    @Test
    void shouldMatchAnErosionLabelWithAMonthRangeByOneAlertForAnyMonthInsideIt() {
        // Given a decline labelled over 2025-01..2025-12 and two erosion alerts inside it, one outside
        List<Alert> alerts = List.of(
                alert("REVENUE_EROSION", "a1", "erosion/2025-07", "40", "USD"),
                alert("REVENUE_EROSION", "a1", "erosion/2025-10", "60", "USD"),
                alert("REVENUE_EROSION", "a2", "erosion/2026-01", "60", "USD"));
        List<LabelledFinding> labels = List.of(
                label("REVENUE_EROSION", "a1", "erosion/2025-01..2025-12", "50", "USD"),
                label("REVENUE_EROSION", "a2", "erosion/2025-01..2025-12", "50", "USD"));

        Scorecard.TypeScore score = Scorecard.score(alerts, labels).perType().get("REVENUE_EROSION");

        // the first alert inside the range finds it, the second is a second alert for one decline, a2's is late
        assertThat(score).isEqualTo(new Scorecard.TypeScore("REVENUE_EROSION", 1, 2, 1, 1));
    }

    @Test
    void shouldNotScoreARevenueAlertInAnUnjudgedRangeUnlessALabelExpectsIt() {
        List<Alert> alerts = List.of(
                alert("REVENUE_DROP", "a1", "2025-03", "100", "USD"),
                alert("REVENUE_SPIKE", "a1", "2025-04", "-100", "USD"),
                alert("REVENUE_SPIKE", "a1", "2025-06", "-100", "USD"),
                alert("RATE_MISMATCH", "a1", "2025-04", "3", "USD"));
        List<LabelledFinding> labels = List.of(
                label("REVENUE_DROP", "a1", "2025-03", "100", "USD"),
                label(Scorecard.UNJUDGED, "a1", "2025-03..2025-05", "0", "USD"));

        Map<String, Scorecard.TypeScore> perType = Scorecard.score(alerts, labels).perType();

        assertThat(perType.get("REVENUE_DROP")).isEqualTo(new Scorecard.TypeScore("REVENUE_DROP", 1, 0, 0, 0));
        // 2025-04 lies in the range and is not scored; 2025-06 is after it and is a false alert
        assertThat(perType.get("REVENUE_SPIKE")).isEqualTo(new Scorecard.TypeScore("REVENUE_SPIKE", 0, 1, 0, 0));
        // other types are scored as ever
        assertThat(perType.get("RATE_MISMATCH")).isEqualTo(new Scorecard.TypeScore("RATE_MISMATCH", 0, 1, 0, 0));
        assertThat(perType).doesNotContainKey(Scorecard.UNJUDGED);
    }

    @Test
    void shouldCountTruePositivesFalsePositivesAndFalseNegativesPerType() {
        // Given two RATE_MISMATCH labels, one found; one unlabelled RATE_MISMATCH alert; one found arithmetic label
        List<Alert> alerts = List.of(
                alert("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"),
                alert("RATE_MISMATCH", "a2", "inv-2/L1", "3", "USD"),
                alert("CHARGE_ARITHMETIC", "a1", "inv-1/L2", "0.01", "USD"));
        List<LabelledFinding> labels = List.of(
                label("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"),
                label("RATE_MISMATCH", "a3", "inv-3/L1", "7", "USD"),
                label("CHARGE_ARITHMETIC", "a1", "inv-1/L2", "0.01", "USD"));

        Map<String, Scorecard.TypeScore> perType = Scorecard.score(alerts, labels).perType();

        assertThat(perType.get("RATE_MISMATCH")).isEqualTo(new Scorecard.TypeScore("RATE_MISMATCH", 1, 1, 1, 0));
        assertThat(perType.get("CHARGE_ARITHMETIC")).isEqualTo(new Scorecard.TypeScore("CHARGE_ARITHMETIC", 1, 0, 0, 0));
        assertThat(perType.get("RATE_MISMATCH").precision()).isEqualTo(0.5);
        assertThat(perType.get("RATE_MISMATCH").recall()).isEqualTo(0.5);
    }

    @Test
    void shouldCountAlertForALabelOfAnotherTypeAsFalsePositiveAndFalseNegative() {
        // Given the right line flagged as RATE_MISMATCH where the truth is CHARGE_ARITHMETIC
        List<Alert> alerts = List.of(alert("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"));
        List<LabelledFinding> labels = List.of(label("CHARGE_ARITHMETIC", "a1", "inv-1/L1", "15", "USD"));

        Map<String, Scorecard.TypeScore> perType = Scorecard.score(alerts, labels).perType();

        assertThat(perType.get("RATE_MISMATCH")).isEqualTo(new Scorecard.TypeScore("RATE_MISMATCH", 0, 1, 0, 0));
        assertThat(perType.get("CHARGE_ARITHMETIC")).isEqualTo(new Scorecard.TypeScore("CHARGE_ARITHMETIC", 0, 0, 1, 0));
    }

    @Test
    void shouldIgnoreLabelsThatAreNotAlertTypes() {
        // Given a CHURN label (a training target) next to a finding
        List<Alert> alerts = List.of(alert("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"));
        List<LabelledFinding> labels = List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"),
                label("CHURN", "a1", "2024-05", "900", "USD"));

        Scorecard score = Scorecard.score(alerts, labels);

        assertThat(score.perType()).containsOnlyKeys("RATE_MISMATCH");
        assertThat(score.leakageLabelled()).containsEntry("USD", new BigDecimal("15"));
    }

    @Test
    void shouldNotMatchAlertOfAnotherAccount() {
        List<Alert> alerts = List.of(alert("RATE_MISMATCH", "a2", "inv-1/L1", "15", "USD"));
        List<LabelledFinding> labels = List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"));

        assertThat(Scorecard.score(alerts, labels).perType().get("RATE_MISMATCH"))
                .isEqualTo(new Scorecard.TypeScore("RATE_MISMATCH", 0, 1, 1, 0));
    }

    @Test
    void shouldCountMatchedPairWithDifferentAmountAsAmountMismatch() {
        List<Alert> alerts = List.of(
                alert("RATE_MISMATCH", "a1", "inv-1/L1", "15.00", "USD"),
                alert("RATE_MISMATCH", "a1", "inv-1/L2", "20.00", "USD"));
        List<LabelledFinding> labels = List.of(
                label("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"),
                label("RATE_MISMATCH", "a1", "inv-1/L2", "20.01", "USD"));

        Scorecard.TypeScore score = Scorecard.score(alerts, labels).perType().get("RATE_MISMATCH");

        assertThat(score.tp()).isEqualTo(2);
        assertThat(score.amountMismatches()).isEqualTo(1);
    }

    @Test
    void shouldCountMatchedPairWithDifferentCurrencyAsAmountMismatch() {
        List<Alert> alerts = List.of(alert("RATE_MISMATCH", "a1", "inv-1/L1", "15", "EUR"));
        List<LabelledFinding> labels = List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"));

        assertThat(Scorecard.score(alerts, labels).perType().get("RATE_MISMATCH").amountMismatches()).isEqualTo(1);
    }

    @Test
    void shouldCountRepeatedAlertForOneLabelOnceAsTruePositiveThenAsFalsePositive() {
        List<Alert> alerts = List.of(
                alert("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"),
                alert("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"));
        List<LabelledFinding> labels = List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"));

        assertThat(Scorecard.score(alerts, labels).perType().get("RATE_MISMATCH"))
                .isEqualTo(new Scorecard.TypeScore("RATE_MISMATCH", 1, 1, 0, 0));
    }

    @Test
    void shouldReportPrecisionAndRecallOfOneWhenDenominatorsAreZero() {
        Scorecard.TypeScore nothing = new Scorecard.TypeScore("RATE_MISMATCH", 0, 0, 0, 0);

        assertThat(nothing.precision()).isEqualTo(1.0);
        assertThat(nothing.recall()).isEqualTo(1.0);
        assertThat(nothing.f1()).isEqualTo(1.0);
    }

    @Test
    void shouldReportPrecisionOneAndRecallZeroWhenNothingWasAlerted() {
        Scorecard.TypeScore missedAll = Scorecard.score(List.of(),
                List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "15", "USD"))).perType().get("RATE_MISMATCH");

        assertThat(missedAll.precision()).isEqualTo(1.0);
        assertThat(missedAll.recall()).isEqualTo(0.0);
    }

    @Test
    void shouldSumLeakagePerCurrencyWithSign() {
        List<Alert> alerts = List.of(
                alert("RATE_MISMATCH", "a1", "inv-1/L1", "15.00", "USD"),
                alert("RATE_MISMATCH", "a2", "inv-2/L1", "-200.00", "USD"),
                alert("RATE_MISMATCH", "a3", "inv-3/L1", "3000", "JPY"));
        List<LabelledFinding> labels = List.of(
                label("RATE_MISMATCH", "a1", "inv-1/L1", "15.00", "USD"),
                label("CHARGE_ARITHMETIC", "a4", "inv-4/L1", "0.01", "EUR"));

        Scorecard score = Scorecard.score(alerts, labels);

        assertThat(score.leakageIdentified()).containsOnlyKeys("JPY", "USD");
        assertThat(score.leakageIdentified().get("USD")).isEqualByComparingTo("-185.00");
        assertThat(score.leakageIdentified().get("JPY")).isEqualByComparingTo("3000");
        assertThat(score.leakageLabelled()).containsOnlyKeys("EUR", "USD");
        assertThat(score.leakageLabelled().get("USD")).isEqualByComparingTo("15.00");
        assertThat(score.leakageLabelled().get("EUR")).isEqualByComparingTo("0.01");
    }

    @Test
    void shouldWriteReportJsonWithCountsRatesAndLeakagePerCurrency() throws Exception {
        List<Alert> alerts = List.of(alert("RATE_MISMATCH", "a1", "inv-1/L1", "15.00", "USD"),
                alert("RATE_MISMATCH", "a2", "inv-2/L1", "5.00", "USD"));
        List<LabelledFinding> labels = List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "15.00", "USD"));

        JsonNode report = new ObjectMapper().readTree(Scorecard.score(alerts, labels).toJson());

        JsonNode rate = report.path("per_type").path("RATE_MISMATCH");
        assertThat(rate.path("tp").asInt()).isEqualTo(1);
        assertThat(rate.path("fp").asInt()).isEqualTo(1);
        assertThat(rate.path("fn").asInt()).isEqualTo(0);
        assertThat(rate.path("precision").asDouble()).isEqualTo(0.5);
        assertThat(rate.path("recall").asDouble()).isEqualTo(1.0);
        assertThat(rate.has("f1")).isTrue();
        assertThat(rate.path("amount_mismatches").asInt()).isEqualTo(0);
        assertThat(report.path("leakage_identified").path("USD").asText()).isEqualTo("20");
        assertThat(report.path("leakage_labelled").path("USD").asText()).isEqualTo("15");
    }

    @Test
    void shouldRoundRatesInReportToSixDecimals() throws Exception {
        List<Alert> alerts = List.of(alert("RATE_MISMATCH", "a1", "k1", "1", "USD"),
                alert("RATE_MISMATCH", "a1", "k2", "1", "USD"), alert("RATE_MISMATCH", "a1", "k3", "1", "USD"));
        List<LabelledFinding> labels = List.of(label("RATE_MISMATCH", "a1", "k1", "1", "USD"));

        JsonNode report = new ObjectMapper().readTree(Scorecard.score(alerts, labels).toJson());

        assertThat(report.path("per_type").path("RATE_MISMATCH").path("precision").asDouble()).isEqualTo(0.333333);
    }

    @Test
    void shouldNeitherScoreNorMissTheLabelsOfADetectorThatWasOff(@TempDir Path dir)
            throws Exception {
        // Given a replay without payments: the payment detectors were off
        for (String file : List.of("contracts.jsonl", "provisioning.jsonl", "usage.jsonl", "invoices.jsonl")) {
            Files.writeString(dir.resolve(file), "");
        }
        InputCoverage coverage = InputCoverage.of(dir, TopicCatalog.bundled());
        List<LabelledFinding> labels = List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "10", "USD"),
                label("UNPAID_INVOICE", "a1", "inv-1", "500", "USD"));

        // When the alerts are scored
        Scorecard score = Scorecard.score(List.of(alert("RATE_MISMATCH", "a1", "inv-1/L1", "10", "USD")), labels, coverage);

        // Then the unpaid label is no miss, and the report says why
        assertThat(score.perType()).containsOnlyKeys("RATE_MISMATCH");
        assertThat(score.leakageLabelled()).containsEntry("USD", new BigDecimal("10"));
        assertThat(score.toJson()).contains("\"UNPAID_INVOICE\" : {\n      \"ran\" : false,\n      \"missing_inputs\" : [ \"payments.jsonl\" ]");
        assertThat(score.toTable()).contains("detector off: UNPAID_INVOICE                needs payments.jsonl, missing");
    }

    @Test
    void shouldSizeTheTableColumnsToTheirContent() {
        Scorecard score = Scorecard.score(List.of(alert("RATE_MISMATCH", "a1", "inv-1/L1", "10", "USD")),
                List.of(label("RATE_MISMATCH", "a1", "inv-1/L1", "10", "USD")));

        List<String> lines = score.toTable().lines().toList();

        assertThat(lines.get(0)).isEqualTo("type           tp  fp  fn  precision  recall      f1");
        assertThat(lines.get(1)).isEqualTo("RATE_MISMATCH   1   0   0     1.0000  1.0000  1.0000");
        assertThat(lines).contains("leakage  identified   labelled", "USD       USD 10.00  USD 10.00");
    }
}
