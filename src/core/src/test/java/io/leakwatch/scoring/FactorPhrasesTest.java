package io.leakwatch.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.features.Feature;
import org.junit.jupiter.api.Test;

class FactorPhrasesTest {
    @Test
    void shouldWriteCountsDaysAndMonthsAsWholeNumbers() {
        assertThat(FactorPhrases.phrase(Feature.PAYMENT_FAILURES_90D, 3.0)).isEqualTo("3 failed payments in 90 days");
        assertThat(FactorPhrases.phrase(Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, 44.6f)).isEqualTo("no successful payment for 45 days");
        assertThat(FactorPhrases.phrase(Feature.MONTHS_TO_CONTRACT_END, 2.0)).isEqualTo("contract ends in 2 months");
    }

    @Test
    void shouldWriteRatiosAsPercents() {
        assertThat(FactorPhrases.phrase(Feature.RATE_MISMATCH_AMOUNT_RATIO_90D, 0.254f))
                .isEqualTo("mis-rated lines worth 25% of a month's revenue in 90 days");
        assertThat(FactorPhrases.phrase(Feature.USAGE_TREND_3M, -0.3)).isEqualTo("usage changed by -30% against the previous 3 months");
        assertThat(FactorPhrases.phrase(Feature.PAYMENT_FAILURE_RATE_90D, 0.004)).isEqualTo("0.4% of payment attempts failed in 90 days");
        assertThat(FactorPhrases.phrase(Feature.REVENUE_TREND_6M, -0.05)).isEqualTo("revenue trending -5% per month over 6 months");
    }

    @Test
    void shouldWriteZScoresWithOneDecimal() {
        assertThat(FactorPhrases.phrase(Feature.REVENUE_Z, -2.74)).isEqualTo("last month's revenue at z = -2.7 against its own baseline");
    }
}
