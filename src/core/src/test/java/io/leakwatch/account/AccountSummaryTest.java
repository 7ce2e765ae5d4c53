package io.leakwatch.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountSummaryTest {
    private static AccountSummary row(String account, String level, Double leakage, Map<String, BigDecimal> money) {
        return new AccountSummary(account, Instant.parse("2026-05-01T00:00:00Z"), level, leakage,
                leakage == null ? null : 0.1, leakage == null ? null : Instant.parse("2026-05-01T00:00:00Z"), money,
                money.size());
    }

    @Test
    void shouldRankByLevelThenLeakageProbabilityWithNeverScoredAccountsLast() {
        List<AccountSummary> rows = List.of(
                row("a", "LOW", 0.30, Map.of()),
                row("b", "HIGH", 0.70, Map.of()),
                row("c", "MEDIUM", 0.90, Map.of()),
                row("d", "HIGH", 0.95, Map.of()),
                row("e", "LOW", null, Map.of()));

        assertThat(AccountSummary.topByRisk(rows, 4)).extracting(AccountSummary::accountId)
                .containsExactly("d", "b", "c", "a");
    }

    @Test
    void shouldRankMoneyAtRiskWithinOneCurrencyOnly() {
        List<AccountSummary> rows = List.of(
                row("a", null, null, Map.of("EUR", new BigDecimal("100.00"))),
                row("b", null, null, Map.of("USD", new BigDecimal("900.00"))),
                row("c", null, null, Map.of("EUR", new BigDecimal("250.50"), "USD", new BigDecimal("1.00"))),
                row("d", null, null, Map.of()));

        assertThat(AccountSummary.topByMoneyAtRisk(rows, "EUR", 10)).extracting(AccountSummary::accountId)
                .containsExactly("c", "a");
        assertThat(AccountSummary.topByMoneyAtRisk(rows, "USD", 1)).extracting(AccountSummary::accountId)
                .containsExactly("b");
    }

    @Test
    void shouldReadBackFromJsonTheRowItWroteSoAnotherInstanceRanksItTheSame() throws Exception {
        AccountSummary row = new AccountSummary("acct-7", Instant.parse("2026-05-01T00:00:00Z"), "HIGH", 0.812345,
                0.05, Instant.parse("2026-04-30T00:00:00Z"), Map.of("EUR", new BigDecimal("1200.0000")), 3);
        ObjectMapper json = new ObjectMapper();

        String text = json.writeValueAsString(row.toJson());
        AccountSummary back = AccountSummary.fromJson(json.readValue(text, new TypeReference<Map<String, Object>>() { }));

        assertThat(text).contains("\"money_at_risk\":[{\"amount\":\"1200.00\",\"currency\":\"EUR\"}]");
        assertThat(back.accountId()).isEqualTo("acct-7");
        assertThat(back.moneyAtRisk("EUR")).isEqualByComparingTo("1200");
        assertThat(back.leakageProbability()).isEqualTo(0.812345);
        assertThat(back.scoredAt()).isEqualTo(row.scoredAt());
        assertThat(back.openAlerts()).isEqualTo(3);
        assertThat(AccountSummary.BY_RISK.compare(back, row)).isZero();
    }
}
