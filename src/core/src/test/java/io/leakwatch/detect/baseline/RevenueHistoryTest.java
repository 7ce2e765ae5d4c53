package io.leakwatch.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.detect.baseline.RevenueHistory.Mark;
import io.leakwatch.serde.CorruptStateException;
import java.math.BigDecimal;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class RevenueHistoryTest {
    private static final YearMonth JAN = YearMonth.of(2024, 1);

    @Test
    void shouldSumLinesOfTheSameMonth() {
        RevenueHistory h = new RevenueHistory("USD", 24);
        h.add(JAN, new BigDecimal("10.50"));
        h.add(JAN, new BigDecimal("-0.50"));

        assertThat(h.revenue(JAN)).isEqualByComparingTo("10.00");
        assertThat(h.revenue(JAN.plusMonths(1))).isEqualByComparingTo("0");
    }

    @Test
    void shouldKeepOnlyTheNewestMonthsButRememberTheFirst() {
        RevenueHistory h = new RevenueHistory("USD", 3);
        for (int i = 0; i < 5; i++) {
            h.add(JAN.plusMonths(i), BigDecimal.TEN);
        }

        assertThat(h.recorded().keySet()).containsExactly(JAN.plusMonths(2), JAN.plusMonths(3), JAN.plusMonths(4));
        assertThat(h.first()).isEqualTo(JAN);
        assertThat(h.monthsBefore(JAN.plusMonths(5))).isEqualTo(5);
        assertThat(h.add(JAN, BigDecimal.ONE)).as("older than the kept history").isFalse();
    }

    @Test
    void shouldRoundTripThroughTheStoreSerde() {
        RevenueHistory h = new RevenueHistory("JPY", 24);
        h.add(JAN, new BigDecimal("1200"));
        h.add(JAN.plusMonths(2), new BigDecimal("999.5"));
        h.add(JAN.plusMonths(3), new BigDecimal("-12345678901234567890.123"));
        h.mark(JAN.plusMonths(1), Mark.DROP);
        h.mark(JAN.plusMonths(3), Mark.EROSION_CONTINUED);
        h.judgedThrough(JAN.plusMonths(1));

        byte[] bytes = RevenueHistoryCodec.encode(h);
        RevenueHistory back = RevenueHistoryCodec.decode(bytes);

        assertThat(bytes[0] & 0xFF).isEqualTo(RevenueHistoryCodec.VERSION);
        assertThat(back.currency()).isEqualTo("JPY");
        assertThat(back.capacity()).isEqualTo(24);
        assertThat(back.first()).isEqualTo(JAN);
        assertThat(back.judgedThrough()).isEqualTo(JAN.plusMonths(1));
        assertThat(back.recorded()).isEqualTo(h.recorded());
        assertThat(back.recorded().get(JAN.plusMonths(2)).scale()).isEqualTo(1);
        assertThat(back.marks()).isEqualTo(h.marks());
        assertThat(RevenueHistoryCodec.encode(back)).isEqualTo(bytes);
    }

    @Test
    void shouldRoundTripThePriceEffectsOfItsMonths() {
        RevenueHistory h = new RevenueHistory("EUR", 24);
        h.add(JAN, new BigDecimal("100.00"), new BigDecimal("100.00"), new BigDecimal("100.00"));
        h.add(JAN.plusMonths(1), new BigDecimal("70.00"), new BigDecimal("70.00"), new BigDecimal("100.00"));

        RevenueHistory back = RevenueHistoryCodec.decode(RevenueHistoryCodec.encode(h));

        assertThat(back.priceEffects()).isEqualTo(h.priceEffects());
        assertThat(back.priceChange(JAN.plusMonths(1))).isEqualByComparingTo("0.7");
    }

    @Test
    void shouldRestateThePastAtAMonthsPricesAcrossTwoAmendments() {
        RevenueHistory h = new RevenueHistory("USD", 24);
        h.add(JAN, new BigDecimal("100.00"), new BigDecimal("100.00"), new BigDecimal("100.00"));
        h.add(JAN.plusMonths(1), new BigDecimal("80.00"), new BigDecimal("80.00"), new BigDecimal("100.00"));
        h.add(JAN.plusMonths(2), new BigDecimal("40.00"), new BigDecimal("40.00"), new BigDecimal("80.00"));
        h.add(JAN.plusMonths(2), new BigDecimal("5.00"));     // a line with no contracted rate moves no price

        RevenueHistory at = h.repricedTo(JAN.plusMonths(2));

        assertThat(at.revenue(JAN)).isEqualByComparingTo("40");          // 100 x 0.8 x 0.5
        assertThat(at.revenue(JAN.plusMonths(1))).isEqualByComparingTo("40");
        assertThat(at.revenue(JAN.plusMonths(2))).isEqualByComparingTo("45");
        assertThat(h.revenue(JAN)).as("the history itself keeps what was billed").isEqualByComparingTo("100");
        assertThat(h.repricedTo(JAN)).isSameAs(h);
    }

    @Test
    void shouldRoundTripAHistoryWithNothingJudgedYet() {
        RevenueHistory back = RevenueHistoryCodec.decode(RevenueHistoryCodec.encode(new RevenueHistory("EUR", 24)));

        assertThat(back.first()).isNull();
        assertThat(back.judgedThrough()).isNull();
        assertThat(back.recorded()).isEmpty();
    }

    @Test
    void shouldRefuseAHistoryOfAnotherFormatNamingTheFormatsItReads() {
        assertThatThrownBy(() -> RevenueHistoryCodec.decode(new byte[] {2, 0, 3, 'J', 'P', 'Y'}))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageStartingWith("revenue-history: format 2 found where formats 3 to "
                        + RevenueHistoryCodec.VERSION);
    }

    @Test
    void shouldReadAHistoryWrittenBeforeThePriceEffectsAsOneWhoseMonthsMovedNoPrice() {
        RevenueHistory h = new RevenueHistory("EUR", 24);
        h.add(JAN, new BigDecimal("100.00"));
        h.add(JAN.plusMonths(1), new BigDecimal("70.00"));
        byte[] current = RevenueHistoryCodec.encode(h);
        byte[] format3 = java.util.Arrays.copyOf(current, current.length - 1);     // without the empty prices section
        format3[0] = 3;

        RevenueHistory back = RevenueHistoryCodec.decode(format3);

        assertThat(back.recorded()).isEqualTo(h.recorded());
        assertThat(back.priceEffects()).isEmpty();
        assertThat(back.repricedTo(JAN.plusMonths(1))).isSameAs(back);
    }
}
