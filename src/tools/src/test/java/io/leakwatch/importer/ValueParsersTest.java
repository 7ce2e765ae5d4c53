package io.leakwatch.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dates and numbers as exports write them: the formats a mapping names, read exactly or refused with the reason. */
class ValueParsersTest {
    private static final NumberParser EUROPEAN = new NumberParser(',', '.');
    private static final NumberParser ENGLISH = new NumberParser('.', ',');
    private static final NumberParser PLAIN = new NumberParser('.', null);

    @Test
    void shouldReadDecimalCommasWithDotsBetweenThousands() throws Exception {
        assertThat(EUROPEAN.parse("1.234.567,89")).isEqualByComparingTo("1234567.89");
        assertThat(EUROPEAN.parse("0,12")).isEqualByComparingTo("0.12");
        assertThat(EUROPEAN.parse("2.500")).isEqualByComparingTo("2500");
        assertThat(EUROPEAN.parse(" 12,5 ")).isEqualByComparingTo("12.5");
    }

    @Test
    void shouldReadThousandsSeparatorsAndKeepEveryDecimalPlace() throws Exception {
        assertThat(ENGLISH.parse("1,234,567.12345678")).isEqualTo(new BigDecimal("1234567.12345678"));
        assertThat(ENGLISH.parse("1234.5")).isEqualByComparingTo("1234.5");
        assertThat(PLAIN.parse("0.000001")).isEqualTo(new BigDecimal("0.000001"));
    }

    @Test
    void shouldReadNegativeAmountsWithASignOrAccountingParentheses() throws Exception {
        assertThat(ENGLISH.parse("-1,200.00")).isEqualByComparingTo("-1200");
        assertThat(ENGLISH.parse("(1,200.00)")).isEqualByComparingTo("-1200");
        assertThat(EUROPEAN.parse("12,00-")).isEqualByComparingTo("-12");
    }

    @Test
    void shouldRefuseAGroupingSeparatorThatDoesNotSplitThousandsInsteadOfMisreadingIt() {
        // "1,5" with a decimal point and comma grouping is a decimal comma by mistake, never fifteen
        assertThatThrownBy(() -> ENGLISH.parse("1,5")).isInstanceOf(RowRejected.class)
                .hasMessage("'1,5' is not a number with decimal separator '.' and grouping ','");
        assertThatThrownBy(() -> PLAIN.parse("1,234.00")).isInstanceOf(RowRejected.class)
                .hasMessageContaining("and no grouping");
        assertThatThrownBy(() -> EUROPEAN.parse("$12")).isInstanceOf(RowRejected.class);
        assertThatThrownBy(() -> EUROPEAN.parse("12.5")).isInstanceOf(RowRejected.class);
    }

    @Test
    void shouldReadEachDateFormatInTurnAtMidnightOfTheZone() throws Exception {
        DateParser dates = new DateParser(List.of("dd.MM.yyyy", "yyyy-MM-dd HH:mm", "MM/yyyy"), ZoneOffset.UTC);

        assertThat(dates.parse("31.01.2026")).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        assertThat(dates.parse("2026-01-31 14:30")).isEqualTo(Instant.parse("2026-01-31T14:30:00Z"));
        assertThat(dates.parse("03/2026")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(dates.withZone(ZoneId.of("Europe/Berlin")).parse("31.01.2026"))
                .isEqualTo(Instant.parse("2026-01-30T23:00:00Z"));
    }

    @Test
    void shouldReadIsoAndEpochDates() throws Exception {
        DateParser iso = new DateParser(List.of("iso"), ZoneOffset.UTC);
        assertThat(iso.parse("2026-03-01")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(iso.parse("2026-03-01T10:00:00+02:00")).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
        assertThat(iso.parse("2026-03-01 10:00:00")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(new DateParser(List.of("epoch_seconds"), ZoneOffset.UTC).parse("1767225600"))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(new DateParser(List.of("epoch_millis"), ZoneOffset.UTC).parse("1767225600000"))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void shouldNameTheFormatsWhenNoneReadsTheDate() {
        DateParser dates = new DateParser(List.of("dd.MM.yyyy", "iso"), ZoneOffset.UTC);

        assertThatThrownBy(() -> dates.parse("31/01/2026")).isInstanceOf(RowRejected.class)
                .hasMessage("'31/01/2026' is not a date in any of the formats dd.MM.yyyy, iso");
        assertThatThrownBy(() -> dates.parse("32.01.2026")).isInstanceOf(RowRejected.class);
    }
}
