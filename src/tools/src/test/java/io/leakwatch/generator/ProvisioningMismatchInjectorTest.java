package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProvisioningMismatchInjectorTest {
    private static final GeneratorOptions ALWAYS = InjectorFixtures.CLEAN.withLeakageRates(0, 0, 0, 1, 0, 0, 0);

    @Test
    void shouldBillSeatsBelowTheProvisionedLevelAndLabelTheShortfallOfTheRule() {
        Account account = InjectorFixtures.account(ALWAYS, a -> a.services().contains(CatalogService.SEATS)
                && a.demand(CatalogService.SEATS, 0).compareTo(BigDecimal.TEN) > 0);
        SplittableRandom random = new SplittableRandom(17);
        int injected = 0;
        for (int month = 0; month < account.billedMonths(); month++) {
            Optional<Shortfall> shortfall = ProvisioningMismatchInjector.inject(account, month, ALWAYS, random);
            if (shortfall.isEmpty()) {
                continue;
            }
            injected++;
            AppliedRate terms = account.termsAt(CatalogService.SEATS, WorldGenerator.firstOf(account.period(month)));
            BigDecimal provisioned = account.demand(CatalogService.SEATS, month);
            Shortfall s = shortfall.get();
            assertThat(s.service()).isEqualTo(CatalogService.SEATS);
            assertThat(s.billed()).isPositive().isLessThan(provisioned);
            if (s.label().label().cause().startsWith("upgrade")) {
                assertThat(s.billed()).isEqualByComparingTo(account.demand(CatalogService.SEATS, month - 1));
            }
            Label label = s.label().label();
            assertThat(label.type()).isEqualTo(AlertType.PROVISIONING_MISMATCH.name());
            assertThat(label.evidenceKey()).isEqualTo("seats/" + WorldGenerator.PERIOD.format(account.period(month)));
            assertThat(label.amount()).isEqualByComparingTo(Terms.shortfall(terms, provisioned, s.billed()));
            assertThat(s.label().judgedAt()).isEqualTo(Judged.closeOf(account.period(month)));
        }
        assertThat(injected).isEqualTo(account.billedMonths());
    }
}
