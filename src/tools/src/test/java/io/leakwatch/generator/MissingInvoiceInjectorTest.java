package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MissingInvoiceInjectorTest {
    private static final GeneratorOptions ALWAYS = InjectorFixtures.CLEAN.withLeakageRates(0, 0, 1, 0, 0, 0, 0);

    @Test
    void shouldLabelWhatTheCleanInvoiceOfTheMonthWouldHaveBilled() {
        Account account = InjectorFixtures.account(ALWAYS, a -> a.services().size() == CatalogService.values().length);
        for (int month = 0; month < account.billedMonths(); month++) {
            if (account.midMonthChange(month)) {
                continue;
            }
            BigDecimal invoiced = new InvoiceBuilder(account, ALWAYS, new SplittableRandom(month))
                    .invoice(month, null, new ArrayList<>()).stream()
                    .map(b -> b.line().getLineTotal()).reduce(BigDecimal.ZERO, BigDecimal::add);

            Judged judged = MissingInvoiceInjector.inject(account, month, ALWAYS, new SplittableRandom(month))
                    .orElseThrow();

            String period = WorldGenerator.PERIOD.format(account.period(month));
            assertThat(judged.label().type()).isEqualTo(AlertType.MISSING_INVOICE.name());
            assertThat(judged.label().evidenceKey()).isEqualTo(period);
            assertThat(judged.label().amount()).isEqualByComparingTo(invoiced);
            assertThat(judged.judgedAt()).isEqualTo(Judged.closeOf(account.period(month)));
        }
    }

    @Test
    void shouldIssueTheInvoiceWhenTheRateIsZero() {
        Account account = InjectorFixtures.account(InjectorFixtures.CLEAN, a -> true);
        for (int month = 0; month < account.billedMonths(); month++) {
            assertThat(MissingInvoiceInjector.inject(account, month, InjectorFixtures.CLEAN, new SplittableRandom(month)))
                    .isEmpty();
        }
    }
}
