package io.leakwatch.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Money for people: "USD 1,234.50", "-USD 1,234.50", "JPY 1,200". */
class MoneyFormatTest {

    @Test
    void shouldFormatWithThousandsSeparatorAndMinorDigits() {
        assertThat(MoneyFormat.format(new BigDecimal("1234.5"), "USD")).isEqualTo("USD 1,234.50");
    }

    @Test
    void shouldPutMinusSignBeforeCurrency() {
        assertThat(MoneyFormat.format(new BigDecimal("-1234.50"), "USD")).isEqualTo("-USD 1,234.50");
    }

    @Test
    void shouldFormatYenWithoutDecimals() {
        assertThat(MoneyFormat.format(new BigDecimal("1200.0000"), "JPY")).isEqualTo("JPY 1,200");
    }

    @Test
    void shouldRoundHalfEvenWhenFormatting() {
        assertThat(MoneyFormat.format(new BigDecimal("0.125"), "USD")).isEqualTo("USD 0.12");
        assertThat(MoneyFormat.format(new BigDecimal("0.135"), "USD")).isEqualTo("USD 0.14");
        assertThat(MoneyFormat.format(new BigDecimal("2.5"), "JPY")).isEqualTo("JPY 2");
        assertThat(MoneyFormat.format(new BigDecimal("3.5"), "JPY")).isEqualTo("JPY 4");
    }

    @Test
    void shouldFormatThreeMinorDigitsForDinar() {
        assertThat(MoneyFormat.format(new BigDecimal("1234.5"), "BHD")).isEqualTo("BHD 1,234.500");
    }

    @Test
    void shouldFormatZeroWithoutSign() {
        assertThat(MoneyFormat.format(new BigDecimal("0.0000"), "USD")).isEqualTo("USD 0.00");
    }

    @Test
    void shouldNotPrintMinusForNegativeAmountThatRoundsToZero() {
        assertThat(MoneyFormat.format(new BigDecimal("-0.004"), "USD")).isEqualTo("USD 0.00");
    }

    @Test
    void shouldWritePlainValuesWithoutTrailingZeros() {
        assertThat(MoneyFormat.plain(new BigDecimal("12.50000000"))).isEqualTo("12.5");
        assertThat(MoneyFormat.plain(new BigDecimal("0.01250000"))).isEqualTo("0.0125");
        assertThat(MoneyFormat.plain(new BigDecimal("1200.000000"))).isEqualTo("1200");
        assertThat(MoneyFormat.plain(new BigDecimal("0E-8"))).isEqualTo("0");
    }
}
