package io.leakwatch.app.query;

import static io.leakwatch.app.query.AlertListingTest.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.account.AccountSummary;
import io.leakwatch.events.AlertStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overview's figures from one instance's alerts, and several instances' parts added up. */
class OverviewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AccountSummary account(String id, String eur) {
        return new AccountSummary(id, Instant.parse("2026-05-01T00:00:00Z"), null, null, null, null,
                Map.of("EUR", new BigDecimal(eur)), 1);
    }

    private final Overview first = Overview.of(List.of(
                    alert("a1", "acct-1", "RATE_MISMATCH", AlertStatus.OPEN, "10.0000", "EUR", "2026-01-31T23:59:59Z"),
                    alert("a2", "acct-1", "RATE_MISMATCH", AlertStatus.WITHDRAWN, "4.0000", "EUR", "2026-01-02T00:00:00Z"),
                    alert("a3", "acct-1", "UNBILLED_USAGE", AlertStatus.ACKNOWLEDGED, "-2.5000", "EUR",
                            "2026-03-02T00:00:00Z"),
                    alert("a4", "acct-1", "UNBILLED_USAGE", AlertStatus.RESOLVED, "100.0000", "EUR",
                            "2026-03-05T00:00:00Z"),
                    alert("a5", "acct-1", "HIGH_CHURN_RISK", AlertStatus.OPEN, "1200.0000", "EUR",
                            "2026-03-06T00:00:00Z")),
            List.of(account("acct-1", "112.50")), false, Map.of("LATE", 2L));

    @Test
    void shouldCountStandingAlertsByMonthOfDetectionAndTypeWithEmptyMonthsBetween() {
        Map<String, Object> body = first.toJson();

        assertThat(body.get("alerts_by_month")).isEqualTo(Map.of("months", List.of("2026-01", "2026-02", "2026-03"),
                "types", Map.of("RATE_MISMATCH", List.of(1L, 0L, 0L), "UNBILLED_USAGE", List.of(0L, 0L, 2L),
                "HIGH_CHURN_RISK", List.of(0L, 0L, 1L))));
        assertThat(body.get("alerts_by_status"))
                .isEqualTo(Map.of("OPEN", 2L, "WITHDRAWN", 1L, "ACKNOWLEDGED", 1L, "RESOLVED", 1L));
    }

    @Test
    void shouldSumOnlyOpenAndAcknowledgedFindingsAbsoluteAmountsAsMoneyAtRiskLeavingPredictionsOut() {
        Map<String, Object> body = first.toJson();

        assertThat(body.get("money_at_risk")).isEqualTo(List.of(Map.of("amount", "12.50", "currency", "EUR")));
        assertThat(body.get("open_alerts")).isEqualTo(3L);
        assertThat(body.get("dead_letters")).isEqualTo(Map.of("total", 2L, "by_reason", Map.of("LATE", 2L)));
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) body.get("top_accounts");
        assertThat(top.get("by_money_at_risk")).isEqualTo(Map.of("EUR", List.of(account("acct-1", "112.50").toJson())));
        assertThat(top).containsEntry("by_risk", null);
    }

    @Test
    void shouldAddInstancesPartsThatTravelledAsJson() throws Exception {
        Overview second = Overview.of(List.of(
                        alert("b1", "acct-2", "RATE_MISMATCH", AlertStatus.OPEN, "0.5000", "EUR", "2026-03-01T00:00:00Z"),
                        alert("b2", "acct-2", "RATE_MISMATCH", AlertStatus.OPEN, "3.0000", "GBP", "2026-04-01T00:00:00Z")),
                List.of(account("acct-2", "0.50")), false, Map.of("LATE", 1L, "UNPARSEABLE", 4L));
        Map<String, Object> travelled = JSON.readValue(JSON.writeValueAsString(second.toPart()), new TypeReference<>() { });

        Map<String, Object> body = first.plus(Overview.fromPart(travelled)).toJson();

        assertThat(body.get("alerts_by_month")).isEqualTo(Map.of(
                "months", List.of("2026-01", "2026-02", "2026-03", "2026-04"),
                "types", Map.of("RATE_MISMATCH", List.of(1L, 0L, 1L, 1L), "UNBILLED_USAGE", List.of(0L, 0L, 2L, 0L),
                        "HIGH_CHURN_RISK", List.of(0L, 0L, 1L, 0L))));
        assertThat(body.get("money_at_risk")).isEqualTo(List.of(Map.of("amount", "13.00", "currency", "EUR"),
                Map.of("amount", "3.00", "currency", "GBP")));
        assertThat(body.get("open_alerts")).isEqualTo(5L);
        assertThat(body.get("dead_letters")).isEqualTo(Map.of("total", 7L,
                "by_reason", Map.of("LATE", 3L, "UNPARSEABLE", 4L)));
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> top = (Map<String, List<Map<String, Object>>>)
                ((Map<String, Object>) body.get("top_accounts")).get("by_money_at_risk");
        assertThat(top.get("EUR")).extracting(a -> a.get("account_id")).containsExactly("acct-1", "acct-2");
    }

    @Test
    void shouldSayDeadLettersAreUnknownWhenTheProcessDoesNotCountThem() {
        Overview none = Overview.of(List.of(), List.of(), true, null);

        Map<String, Object> body = none.toJson();

        assertThat(body.get("dead_letters")).isNull();
        assertThat(body.get("alerts_by_month")).isEqualTo(Map.of("months", List.of(), "types", Map.of()));
        assertThat(body.get("money_at_risk")).isEqualTo(List.of());
    }
}
