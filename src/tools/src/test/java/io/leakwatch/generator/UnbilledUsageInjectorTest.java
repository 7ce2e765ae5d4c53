package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.contracts.AppliedRate;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnbilledUsageInjectorTest {
    private static final GeneratorOptions ALWAYS = InjectorFixtures.CLEAN.withLeakageRates(0, 1, 0, 0, 0, 0, 0);

    @Test
    void shouldBillLessThanTheBillableUsageAndLabelTheShortfallOfTheRule() {
        int injected = 0;
        for (CatalogService service : new CatalogService[] {CatalogService.API_CALLS, CatalogService.STORAGE}) {
            Account account = InjectorFixtures.account(ALWAYS, a -> a.services().contains(service)
                    && a.problem().kind() == BillingProblem.Kind.NONE);
            SplittableRandom random = new SplittableRandom(11);
            for (int month = 0; month < account.billedMonths(); month++) {
                Optional<Shortfall> shortfall = UnbilledUsageInjector.inject(account, service, month, ALWAYS, random);
                if (shortfall.isEmpty()) {
                    continue;
                }
                injected++;
                AppliedRate terms = account.termsAt(service, WorldGenerator.firstOf(account.period(month)));
                BigDecimal billable = Terms.billable(terms, account.demand(service, month));
                Shortfall s = shortfall.get();
                BigDecimal billed = s.billed() == null ? BigDecimal.ZERO : s.billed();
                assertThat(s.service()).isEqualTo(service);
                assertThat(billed).isLessThan(billable);
                Label label = s.label().label();
                assertThat(label.type()).isEqualTo(AlertType.UNBILLED_USAGE.name());
                assertThat(label.evidenceKey())
                        .isEqualTo(service.id() + "/" + WorldGenerator.PERIOD.format(account.period(month)));
                assertThat(label.amount()).isEqualByComparingTo(Terms.shortfall(terms, billable, billed));
                assertThat(label.amount().signum()).isPositive();
                assertThat(s.label().judgedAt()).isEqualTo(Judged.closeOf(account.period(month)));
            }
        }
        assertThat(injected).isGreaterThan(10);
    }

    @Test
    void shouldBillOnlyTheCommitmentWhenTheOverageWasNeverSetUp() {
        GeneratorOptions options = InjectorFixtures.CLEAN.withLeakageRates(0, 0.001, 0, 0, 0, 0, 0);
        Account account = InjectorFixtures.account(options, a -> a.problem().kind() == BillingProblem.Kind.OVERAGE);
        SplittableRandom random = new SplittableRandom(11);
        int injected = 0;
        for (int month = 0; month < account.billedMonths(); month++) {
            AppliedRate terms = account.termsAt(CatalogService.API_CALLS,
                    WorldGenerator.firstOf(account.period(month)));
            BigDecimal committed = terms.line().getCommittedQuantity();
            boolean above = account.demand(CatalogService.API_CALLS, month).compareTo(committed) > 0;

            Optional<Shortfall> shortfall = UnbilledUsageInjector.inject(account, CatalogService.API_CALLS, month,
                    options, random);

            if (above && shortfall.isPresent()) {
                injected++;
                assertThat(shortfall.get().billed()).isEqualByComparingTo(committed);
                assertThat(shortfall.get().label().label().cause()).contains("only the commitment");
            }
        }
        assertThat(injected).isPositive();
    }
}
