package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.Contract;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChargeArithmeticInjectorTest {
    private static final InvoiceLineChecks CHECKS = new InvoiceLineChecks();

    @ParameterizedTest
    @ValueSource(strings = {"USD", "GBP", "JPY"})
    void shouldKeepTheContractedRateAndGiveExactlyOneArithmeticFindingWithTheLabelledAmount(String currency) {
        Contract contract = InjectorFixtures.contract(currency, new BigDecimal(currency.equals("JPY") ? "45" : "0.3127"));
        AppliedRate terms = InjectorFixtures.terms(contract);
        SplittableRandom random = new SplittableRandom(7);
        int injected = 0;
        for (int i = 0; i < 300; i++) {
            BigDecimal quantity = BigDecimal.valueOf(random.nextInt(1, 20_000));
            BigDecimal rate = terms.unitRateFor(quantity);
            Optional<LineError> error = ChargeArithmeticInjector.inject(random, quantity, rate, currency);
            if (error.isEmpty()) {
                continue;
            }
            injected++;
            LineError e = error.get();
            assertThat(e.type()).isEqualTo(AlertType.CHARGE_ARITHMETIC);
            assertThat(e.billedRate()).isEqualByComparingTo(rate);
            assertThat(e.lineTotal().signum()).isNotNegative();
            assertThat(e.amount()).isEqualByComparingTo(
                    Currencies.round(rate.multiply(quantity), currency).subtract(e.lineTotal()));
            List<Finding> findings = CHECKS.check(InjectorFixtures.billed(e, quantity, currency), contract);
            assertThat(findings).hasSize(1);
            assertThat(findings.get(0).type()).isEqualTo(AlertType.CHARGE_ARITHMETIC);
            assertThat(findings.get(0).amount()).isEqualByComparingTo(e.amount());
        }
        assertThat(injected).isGreaterThan(250);
    }
}
