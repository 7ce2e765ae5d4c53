package io.leakwatch.serde;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.tier;
import static io.leakwatch.testing.Events.tiered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.Money;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.RiskLevel;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonEventCodecTest {
    private final JsonEventCodec<InvoiceLine> lines = new JsonEventCodec<>(EventType.INVOICE_LINE);

    @Test
    void shouldReadHandTypedLineWithDatesStringsAndNumbers() throws Exception {
        InvoiceLine line = lines.decode("""
                {"invoice_id":"inv-1","line_id":"L1","account_id":"acct-1","service":"seats",
                 "service_period_start":"2026-02-01","service_period_end":"2026-03-01T00:00:00Z",
                 "quantity":3,"unit_rate":"12.50","line_total":37.5,"currency":"USD",
                 "issued_at":1772344800000,"comment":"ignored"}""");

        assertThat(line.getServicePeriodStart()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(line.getIssuedAt()).isEqualTo(Instant.ofEpochMilli(1772344800000L));
        assertThat(line.getLineTotal()).isEqualByComparingTo("37.5").hasScaleOf(4);
        assertThat(line.getDueAt()).isNull();
    }

    @Test
    void shouldWriteDeterministicCanonicalJson() {
        Contract c = contract("acct-1", 2, "2026-01-01T00:00:00Z",
                tiered("api", "0.0100", "USD", "2026-01-01T00:00:00Z", tier("1000", "0.009")));
        String json = new String(new JsonEventCodec<>(EventType.CONTRACT).encode(c), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"contract_id\":\"ctr-acct-1\",\"account_id\":\"acct-1\",\"version\":2,"
                + "\"signed_at\":\"2026-01-01T00:00:00Z\",\"lines\":[{\"service\":\"api\",\"unit\":\"unit\","
                + "\"unit_rate\":\"0.01\",\"currency\":\"USD\",\"effective_from\":\"2026-01-01T00:00:00Z\","
                + "\"effective_to\":null,\"committed_quantity\":null,"
                + "\"tiers\":[{\"from_quantity\":\"1000\",\"unit_rate\":\"0.009\"}]}]}");
    }

    @Test
    void shouldWriteMapsSortedNumbersPlainAndTextEscaped() {
        Alert alert = Alert.newBuilder().setAlertId("a-1").setType("RATE_MISMATCH").setSeverity(Severity.HIGH)
                .setAccountId("acct-\u00e9").setEvidenceKey("inv-1/L1").setAmount(new BigDecimal("-12.5000"))
                .setCurrency("EUR").setExplanation("Billed \"12.50\" instead of 10.00\nper seat")
                .setRecommendedAction("Credit the customer.")
                .setEventTime(Instant.parse("2026-03-01T00:00:00Z")).setDetectedAt(Instant.parse("2026-03-02T10:15:30.250Z"))
                .setEvidence(new java.util.HashMap<>(Map.of("z", "last", "a", "first", "m", "\u20ac")))
                .build();
        AccountRisk risk = AccountRisk.newBuilder().setAccountId("acct-1").setScoredAt(Instant.parse("2026-04-01T00:00:00Z"))
                .setModelVersions(List.of("leakage_risk:v2", "churn_risk:v2"))
                .setLeakageProbability(0.1).setChurnProbability(1.0E-7)
                .setExpectedLeakage(new Money(new BigDecimal("0.0000"), "USD"))
                .setMonthlyRevenue(new Money(new BigDecimal("1200.5000"), "USD"))
                .setRiskLevel(RiskLevel.MEDIUM).setLeakageLevel(RiskLevel.MEDIUM).setChurnLevel(RiskLevel.LOW)
                .setFactors(List.of())
                .build();

        assertThat(new String(new JsonEventCodec<>(EventType.ALERT).encode(alert), StandardCharsets.UTF_8)).isEqualTo(
                "{\"alert_id\":\"a-1\",\"type\":\"RATE_MISMATCH\",\"severity\":\"HIGH\",\"account_id\":\"acct-\u00e9\","
                        + "\"evidence_key\":\"inv-1/L1\",\"amount\":\"-12.5\",\"currency\":\"EUR\","
                        + "\"explanation\":\"Billed \\\"12.50\\\" instead of 10.00\\nper seat\","
                        + "\"recommended_action\":\"Credit the customer.\",\"event_time\":\"2026-03-01T00:00:00Z\","
                        + "\"detected_at\":\"2026-03-02T10:15:30.250Z\",\"evidence\":{\"a\":\"first\",\"m\":\"\u20ac\",\"z\":\"last\"},"
                        + "\"status\":\"OPEN\",\"revision\":1,\"status_reason\":null}");
        assertThat(new JsonEventCodec<>(EventType.ACCOUNT_RISK).encodeLine(risk)).isEqualTo(
                "{\"account_id\":\"acct-1\",\"scored_at\":\"2026-04-01T00:00:00Z\","
                        + "\"model_versions\":[\"leakage_risk:v2\",\"churn_risk:v2\"],\"leakage_probability\":0.1,"
                        + "\"churn_probability\":1.0E-7,\"expected_leakage\":{\"amount\":\"0\",\"currency\":\"USD\"},"
                        + "\"monthly_revenue\":{\"amount\":\"1200.5\",\"currency\":\"USD\"},\"risk_level\":\"MEDIUM\","
                        + "\"leakage_level\":\"MEDIUM\",\"churn_level\":\"LOW\",\"factors\":[]}");
    }

    @Test
    void shouldRoundTripEveryFieldThroughJson() throws Exception {
        Contract c = contract("acct-1", 1, "2026-01-01T00:00:00Z",
                rate("seats", "12.345", "EUR", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"));
        JsonEventCodec<Contract> codec = new JsonEventCodec<>(EventType.CONTRACT);

        assertThat(codec.decode(codec.encode(c))).isEqualTo(c);
    }

    @Test
    void shouldReadEnumsAndDefaults() throws Exception {
        Payment p = new JsonEventCodec<>(EventType.PAYMENT).decode("""
                {"payment_id":"p1","account_id":"a","amount":"10","currency":"USD","status":"FAILED",
                 "attempted_at":"2026-03-02T00:00:00Z"}""");

        assertThat(p.getStatus()).isEqualTo(PaymentStatus.FAILED);
        assertThat(p.getAttempt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToRoundDecimals() {
        assertThatThrownBy(() -> lines.decode(lineWith("\"line_total\":\"1.00001\"")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'line_total' has more than 4 decimal places");
    }

    @Test
    void shouldRefuseMoreIntegerDigitsThanThePrecisionAllowsWithoutExpandingTheNumber() {
        assertThatThrownBy(() -> lines.decode(lineWith("\"quantity\":\"1e20000000\"")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'quantity' has more than 18 digits before the decimal point");
        assertThatThrownBy(() -> lines.decode(lineWith("\"quantity\":\"123456789012345678901234\"")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("more than 18 digits");
        assertThatThrownBy(() -> lines.decode(lineWith("\"issued_at\":\"" + "9".repeat(100_000) + "\"")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("(100,000 characters) is not an ISO-8601 time");
    }

    @Test
    void shouldNameTheMissingRequiredField() {
        assertThatThrownBy(() -> lines.decode("{\"invoice_id\":\"x\"}"))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("missing required field 'line_id'");
    }

    @Test
    void shouldRejectBadTimestampText() {
        assertThatThrownBy(() -> lines.decode(lineWith("\"issued_at\":\"yesterday\"")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'issued_at' 'yesterday' is not an ISO-8601 time");
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThatThrownBy(() -> lines.decode("{\"invoice_id\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("malformed JSON");
    }

    private static String lineWith(String override) {
        String base = "{\"invoice_id\":\"inv-1\",\"line_id\":\"L1\",\"account_id\":\"a\",\"service\":\"s\","
                + "\"service_period_start\":\"2026-02-01\",\"service_period_end\":\"2026-03-01\",\"quantity\":\"1\","
                + "\"unit_rate\":\"1\",\"line_total\":\"1\",\"currency\":\"USD\",\"issued_at\":\"2026-03-01T00:00:00Z\"";
        String key = override.substring(0, override.indexOf(':') + 1);
        return base.replaceAll("\"" + key.substring(1, key.length() - 2) + "\":\"[^\"]*\"", override) + "}";
    }
}
