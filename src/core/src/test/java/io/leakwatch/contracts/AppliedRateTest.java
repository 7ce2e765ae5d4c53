package io.leakwatch.contracts;

import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.tier;
import static io.leakwatch.testing.Events.tiered;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.RateLine;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Volume pricing: the highest tier with {@code from_quantity <= quantity}, else the base rate. */
class AppliedRateTest {
    // Base 0.0100 below 1,000; 0.0090 from 1,000; 0.0075 from 10,000 (tiers listed out of order on purpose)
    private final AppliedRate tieredApi = new AppliedRate(
            tiered("api", "0.0100", "USD", "2026-01-01T00:00:00Z", tier("10000", "0.0075"), tier("1000", "0.0090")),
            "ctr-1", 3);

    @Test
    void shouldUseBaseRateBelowFirstTier() {
        assertThat(tieredApi.unitRateFor(new BigDecimal("999.999999"))).isEqualByComparingTo("0.0100");
    }

    @Test
    void shouldUseTierRateExactlyAtItsFromQuantity() {
        assertThat(tieredApi.unitRateFor(new BigDecimal("1000"))).isEqualByComparingTo("0.0090");
    }

    @Test
    void shouldUseTierRateExactlyAtFromQuantityWhateverTheScale() {
        assertThat(tieredApi.unitRateFor(new BigDecimal("1000.000000"))).isEqualByComparingTo("0.0090");
    }

    @Test
    void shouldUseHighestTierReachedBetweenTiers() {
        assertThat(tieredApi.unitRateFor(new BigDecimal("9999.5"))).isEqualByComparingTo("0.0090");
    }

    @Test
    void shouldUseHighestTierAboveIt() {
        assertThat(tieredApi.unitRateFor(new BigDecimal("10000"))).isEqualByComparingTo("0.0075");
        assertThat(tieredApi.unitRateFor(new BigDecimal("5000000"))).isEqualByComparingTo("0.0075");
    }

    @Test
    void shouldUseFlatRateWhenLineHasNoTiers() {
        AppliedRate flat = new AppliedRate(rate("seats", "12.50", "EUR", "2026-01-01T00:00:00Z", null), "ctr-1", 1);

        assertThat(flat.unitRateFor(new BigDecimal("1000000"))).isEqualByComparingTo("12.50");
        assertThat(flat.currency()).isEqualTo("EUR");
    }

    @Test
    void shouldUseBaseRateForZeroQuantity() {
        RateLine line = tiered("api", "0.0100", "USD", "2026-01-01T00:00:00Z", tier("1", "0.0090"));

        assertThat(new AppliedRate(line, "ctr-1", 1).unitRateFor(BigDecimal.ZERO)).isEqualByComparingTo("0.0100");
    }
}
