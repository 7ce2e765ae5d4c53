package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateMismatchInjectorTest {
    private static final InvoiceLineChecks CHECKS = new InvoiceLineChecks();

    @ParameterizedTest
    @ValueSource(strings = {"USD", "JPY"})
    void shouldGiveALineExactlyOneRateMismatchFindingWithTheLabelledAmount(String currency) {
        Contract contract = InjectorFixtures.contract(currency, new BigDecimal(currency.equals("JPY") ? "45" : "0.3127"));
        AppliedRate terms = InjectorFixtures.terms(contract);
        AppliedRate previous = InjectorFixtures.terms(InjectorFixtures.contract(currency,
                new BigDecimal(currency.equals("JPY") ? "41" : "0.2954")));
        SplittableRandom random = new SplittableRandom(5);
        int injected = 0;
        for (int i = 0; i < 300; i++) {
            BigDecimal quantity = BigDecimal.valueOf(random.nextInt(1, 20_000));
            Optional<LineError> error = RateMismatchInjector.oneOff(random, quantity, terms,
                    i % 2 == 0 ? Optional.of(previous) : Optional.empty());
            if (error.isEmpty()) {
                continue;
            }
            injected++;
            LineError e = error.get();
            assertThat(e.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(e.billedRate()).isNotEqualByComparingTo(terms.unitRateFor(quantity));
            assertThat(e.lineTotal()).isEqualByComparingTo(Pricing.lineTotal(e.billedRate(), quantity, currency));
            List<Finding> findings = CHECKS.check(InjectorFixtures.billed(e, quantity, currency), contract);
            assertThat(findings).hasSize(1);
            assertThat(findings.get(0).type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(findings.get(0).amount()).isEqualByComparingTo(e.amount());
        }
        assertThat(injected).isGreaterThan(280);
    }

    @Test
    void shouldBillThePreAmendmentRateFromAStalePriceBook() {
        Contract contract = InjectorFixtures.contract("EUR", new BigDecimal("0.3127"));
        AppliedRate terms = InjectorFixtures.terms(contract);
        AppliedRate previous = InjectorFixtures.terms(InjectorFixtures.contract("EUR", new BigDecimal("0.3450")));
        BigDecimal quantity = new BigDecimal("1500");

        LineError e = RateMismatchInjector.stalePriceBook(quantity, terms, previous).orElseThrow();

        assertThat(e.billedRate()).isEqualByComparingTo(previous.unitRateFor(quantity));
        // an amendment that lowered the price: the stale book overcharges, a negative amount
        assertThat(e.amount()).isEqualByComparingTo(Currencies.round(
                terms.unitRateFor(quantity).subtract(previous.unitRateFor(quantity)).multiply(quantity), "EUR"));
        assertThat(e.amount().signum()).isNegative();
        assertThat(e.cause()).startsWith("stale price book");
        InvoiceLine line = InjectorFixtures.billed(e, quantity, "EUR");
        assertThat(CHECKS.check(line, contract)).singleElement()
                .satisfies(f -> assertThat(f.amount()).isEqualByComparingTo(e.amount()));
    }

    @Test
    void shouldLeaveTheLineCleanWhenThePreAmendmentRateBillsTheSameAmount() {
        AppliedRate terms = InjectorFixtures.terms(InjectorFixtures.contract("USD", new BigDecimal("0.3127")));

        assertThat(RateMismatchInjector.stalePriceBook(new BigDecimal("1500"), terms, terms)).isEmpty();
    }
}
