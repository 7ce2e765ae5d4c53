package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaymentProblemInjectorTest {
    private static final GeneratorOptions NONE = InjectorFixtures.CLEAN;

    @Test
    void shouldPayAnInvoiceCarryingADuplicateInFullWithoutADraw() {
        SplittableRandom random = new SplittableRandom(1);
        GeneratorOptions failing = NONE.withLeakageRates(0, 0, 0, 0, 1, 0, 0);

        assertThat(PaymentProblemInjector.plan(failing, random, true, 0.9)).isEqualTo(PaymentPlanner.Plan.FULL_ONLY);
        assertThat(random.nextLong()).isEqualTo(new SplittableRandom(1).nextLong());
    }

    @Test
    void shouldPickTheProblemWhoseRateTheDrawFallsIn() {
        for (int seed = 0; seed < 50; seed++) {
            assertThat(plan(NONE, seed)).isEqualTo(PaymentPlanner.Plan.CLEAN);
            assertThat(plan(NONE.withLeakageRates(0, 0, 0, 0, 1, 0, 0), seed))
                    .isEqualTo(PaymentPlanner.Plan.FAILED_NOT_RECOVERED);
            assertThat(plan(NONE.withLeakageRates(0, 0, 0, 0, 0, 1, 0), seed)).isEqualTo(PaymentPlanner.Plan.UNPAID);
            assertThat(plan(NONE.withLeakageRates(0, 0, 0, 0, 0, 0, 1), seed)).isEqualTo(PaymentPlanner.Plan.UNDERPAID);
        }
    }

    @Test
    void shouldTurnSomeInvoicesOfAnAccountInDistressIntoStrugglingOrFailedPayments() {
        SplittableRandom random = new SplittableRandom(4);
        int struggling = 0;
        int failed = 0;
        for (int i = 0; i < 1000; i++) {
            switch (PaymentProblemInjector.plan(NONE, random, false, 1.0)) {
                case STRUGGLING -> struggling++;
                case FAILED_NOT_RECOVERED -> failed++;
                default -> { }
            }
        }
        // at full intensity: failed with chance 0.15, else struggling with chance 0.7 (0.595 in all)
        assertThat(failed).isBetween(110, 190);
        assertThat(struggling).isBetween(545, 645);
    }

    private static PaymentPlanner.Plan plan(GeneratorOptions options, int seed) {
        return PaymentProblemInjector.plan(options, new SplittableRandom(seed), false, 0);
    }
}
