package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChurnTest {
    @Test
    void shouldRaisePrecursorsLinearlyToTheIntensityAtTheLastMonthOfThePatch() {
        Churn churn = new Churn(12, Instant.parse("2025-01-01T00:00:00Z"), 8, 11, 0.8);

        assertThat(churn.at(7)).isZero();
        assertThat(churn.at(8)).isCloseTo(0.2, within(1e-12));
        assertThat(churn.at(9)).isCloseTo(0.4, within(1e-12));
        assertThat(churn.at(11)).isCloseTo(0.8, within(1e-12));
        assertThat(churn.at(12)).isZero();
    }

    @Test
    void shouldEndAChurnersContractOnTheFirstOfTheMonthAfterItsLastBilledMonth() {
        GeneratorOptions options = GeneratorOptions.defaults(1, 18, 1);
        int churners = 0;
        for (int seed = 0; seed < 400; seed++) {
            Churn churn = Churn.draw(options, new SplittableRandom(seed), null);
            if (!churn.churns()) {
                continue;
            }
            churners++;
            assertThat(churn.billedMonths()).isBetween(6, 17);
            assertThat(churn.end()).isEqualTo(WorldGenerator.firstOf(options.startMonth().plusMonths(churn.billedMonths())));
            assertThat(churn.precursorsTo()).isEqualTo(churn.billedMonths() - 1);
            assertThat(churn.precursorsTo() - churn.precursorsFrom() + 1).isBetween(4, 6);
        }
        assertThat(churners).isBetween(20, 60);
    }
}
