package io.leakwatch.detect.period;

import static io.leakwatch.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The per-account ledger: sums, provisioning history, pruning at close and the store serde. */
class AccountLedgerTest {
    private static final BillingPeriod MARCH = BillingPeriod.parse("2026-03");

    private static AccountLedger.ProvisioningStep step(String id, String effectiveAt, String level) {
        return new AccountLedger.ProvisioningStep(id, at(effectiveAt).toEpochMilli(), new BigDecimal(level));
    }

    @Test
    void shouldSumUsageAndBilledQuantitiesPerService() {
        PeriodLedger p = new AccountLedger().period(MARCH);
        p.addUsage("api", new BigDecimal("1.5"));
        p.addUsage("api", new BigDecimal("2.25"));
        p.addLine("inv-1/L1@1", "api", new BigDecimal("3"));
        p.addLine("inv-1/L2@1", "seats", new BigDecimal("7"));

        assertThat(p.used("api")).isEqualByComparingTo("3.75");
        assertThat(p.billed("api")).isEqualByComparingTo("3");
        assertThat(p.meteredServices()).containsExactly("api");
        assertThat(p.invoiced()).isTrue();
    }

    @Test
    void shouldCountARedeliveredLineOnceAndAReissuedLineTwice() {
        PeriodLedger p = new PeriodLedger();
        p.addLine("inv-1/L1@1000", "api", new BigDecimal("3"));
        p.addLine("inv-1/L1@1000", "api", new BigDecimal("3"));
        assertThat(p.billed("api")).isEqualByComparingTo("3");

        p.addLine("inv-1/L1@2000", "api", new BigDecimal("3"));
        assertThat(p.billed("api")).isEqualByComparingTo("6");
    }

    @Test
    void shouldKnowTheLevelOfTheLatestChangeEffectiveAtOrBeforeAnInstant() {
        AccountLedger ledger = new AccountLedger();
        ledger.addProvisioning("seats", step("c2", "2026-03-15T00:00:00Z", "20"));
        ledger.addProvisioning("seats", step("c1", "2026-02-01T00:00:00Z", "10"));

        assertThat(ledger.provisionedAt(at("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(ledger.provisionedAt(at("2026-03-01T00:00:00Z"))).containsEntry("seats", new BigDecimal("10"));
        assertThat(ledger.provisionedAt(at("2026-04-01T00:00:00Z"))).containsEntry("seats", new BigDecimal("20"));
    }

    @Test
    void shouldReplaceAChangeWithTheSameId() {
        AccountLedger ledger = new AccountLedger();
        ledger.addProvisioning("seats", step("c1", "2026-02-01T00:00:00Z", "10"));
        ledger.addProvisioning("seats", step("c1", "2026-02-01T00:00:00Z", "12"));

        assertThat(ledger.provisionedAt(at("2026-03-01T00:00:00Z"))).containsEntry("seats", new BigDecimal("12"));
    }

    @Test
    void shouldDropThePeriodAndOutdatedProvisioningWhenAPeriodCloses() {
        AccountLedger ledger = new AccountLedger();
        ledger.period(MARCH).addUsage("api", BigDecimal.ONE);
        ledger.period(MARCH.next()).addUsage("api", BigDecimal.TEN);
        ledger.addProvisioning("seats", step("c1", "2026-01-01T00:00:00Z", "5"));
        ledger.addProvisioning("seats", step("c2", "2026-03-10T00:00:00Z", "8"));
        ledger.addProvisioning("seats", step("c3", "2026-04-10T00:00:00Z", "9"));

        ledger.close(MARCH);

        assertThat(ledger.find(MARCH)).isEmpty();
        assertThat(ledger.find(MARCH.next())).isPresent();
        assertThat(ledger.state().provisioning().get("seats")).extracting(AccountLedger.ProvisioningStep::changeId)
                .containsExactly("c2", "c3");
        assertThat(ledger.provisionedAt(MARCH.next().start())).containsEntry("seats", new BigDecimal("8"));
    }
}
