package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BillingProblemTest {
    private static final List<CatalogService> ALL = List.of(CatalogService.values());

    @Test
    void shouldStartAStalePriceBookWithAnAmendmentOfTheStaleServiceAtTheOnset() {
        Map<BillingProblem.Kind, Integer> counts = draws(GeneratorOptions.defaults(1, 18, 1));

        assertThat(counts).containsKeys(BillingProblem.Kind.STALE_PRICE_BOOK, BillingProblem.Kind.BROKEN_METERING,
                BillingProblem.Kind.OVERAGE);
        for (int seed = 0; seed < 2000; seed++) {
            BillingProblem problem = BillingProblem.draw(GeneratorOptions.defaults(1, 18, 1), ALL, 18,
                    new SplittableRandom(seed), null);
            if (problem.kind() == BillingProblem.Kind.STALE_PRICE_BOOK) {
                assertThat(problem.amendmentMonth()).isEqualTo(problem.onset());
                assertThat(problem.amendedService()).isEqualTo(problem.staleService());
                assertThat(problem.staleRates(problem.staleService(), problem.onset())).isTrue();
                assertThat(problem.staleRates(problem.staleService(), problem.onset() - 1)).isFalse();
            }
        }
    }

    @Test
    void shouldDrawOnlyProblemsWhoseErrorTypeIsSwitchedOn() {
        GeneratorOptions noRateErrors = GeneratorOptions.defaults(1, 18, 1).withRateErrorRate(0);
        GeneratorOptions noUnbilled = GeneratorOptions.defaults(1, 18, 1).withLeakageRates(0.001, 0, 0.001, 0.002,
                0.0015, 0.001, 0.0015);

        assertThat(draws(noRateErrors)).doesNotContainKey(BillingProblem.Kind.STALE_PRICE_BOOK);
        assertThat(draws(noUnbilled)).containsOnlyKeys(BillingProblem.Kind.NONE, BillingProblem.Kind.STALE_PRICE_BOOK);
    }

    @Test
    void shouldGrowApiCallsPastTheCommitmentFromTheOnsetOfAnOverageProblem() {
        BillingProblem overage = new BillingProblem(BillingProblem.Kind.OVERAGE, 3, CatalogService.SEATS, -1, null);

        assertThat(overage.demandFactor(CatalogService.API_CALLS, 2)).isEqualTo(1.0);
        assertThat(overage.demandFactor(CatalogService.API_CALLS, 3)).isEqualTo(1.12);
        assertThat(overage.demandFactor(CatalogService.API_CALLS, 40)).isEqualTo(2.2);
        assertThat(overage.demandFactor(CatalogService.STORAGE, 10)).isEqualTo(1.0);
    }

    private static Map<BillingProblem.Kind, Integer> draws(GeneratorOptions options) {
        Map<BillingProblem.Kind, Integer> counts = new EnumMap<>(BillingProblem.Kind.class);
        for (int seed = 0; seed < 2000; seed++) {
            BillingProblem problem = BillingProblem.draw(options, ALL, 18, new SplittableRandom(seed), null);
            counts.merge(problem.kind(), 1, Integer::sum);
        }
        return counts;
    }
}
