package io.leakwatch.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ISO-4217 lookups and the one money rounding rule: HALF_EVEN to the currency's minor unit. */
class CurrenciesTest {

    @Test
    void shouldKnowActiveUppercaseCodes() {
        assertThat(Currencies.isKnown("USD")).isTrue();
        assertThat(Currencies.isKnown("JPY")).isTrue();
        assertThat(Currencies.lookup("EUR")).hasValueSatisfying(c -> assertThat(c.getCurrencyCode()).isEqualTo("EUR"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"usd", "Usd", "ZZZ", "US", "USDD", "", "XXX"})
    @NullSource
    void shouldRejectUnknownLowercaseMalformedOrNonMonetaryCodes(String code) {
        assertThat(Currencies.lookup(code)).isEmpty();
        assertThat(Currencies.isKnown(code)).isFalse();
    }

    @Test
    void shouldThrowForMinorUnitOfUnknownCode() {
        assertThatThrownBy(() -> Currencies.minorUnit("usd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown currency usd");
    }

    @ParameterizedTest(name = "{0}: {1} digits, minor unit {2}")
    @CsvSource({"USD, 2, 0.01", "EUR, 2, 0.01", "JPY, 0, 1", "BHD, 3, 0.001"})
    void shouldKnowMinorUnitOfEachCurrency(String code, int digits, String minorUnit) {
        assertThat(Currencies.minorUnitDigits(code)).isEqualTo(digits);
        assertThat(Currencies.minorUnit(code)).isEqualTo(new BigDecimal(minorUnit));
    }

    @ParameterizedTest(name = "{1} {0} -> {2}")
    @CsvSource({
            "USD, 0.125,  0.12",
            "USD, 0.135,  0.14",
            "USD, -0.125, -0.12",
            "USD, 0.1251, 0.13",
            "JPY, 2.5,    2",
            "JPY, 3.5,    4",
            "BHD, 1.2345, 1.234"})
    void shouldRoundHalfEvenToTheMinorUnit(String code, String amount, String expected) {
        assertThat(Currencies.round(new BigDecimal(amount), code)).isEqualTo(new BigDecimal(expected));
    }
}
