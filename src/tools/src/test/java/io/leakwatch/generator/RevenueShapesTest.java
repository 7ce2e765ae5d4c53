package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.generator.RevenueShapes.Kind;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The labelled revenue shapes: planned deterministically, and every one found by the rule in the right month. */
class RevenueShapesTest {
    private static final World WORLD = WorldGenerator.generate(GeneratorOptions.defaults(600, 24, 7)
            .withRevenueShapesPerKind(4));

    @Test
    void shouldPlanEveryKindDeterministicallyWithAFullBaselineBeforeTheOnset() {
        GeneratorOptions options = GeneratorOptions.defaults(600, 24, 7).withRevenueShapesPerKind(4);
        Map<Integer, RevenueShapes.Shape> plan = RevenueShapes.plan(options, 4);

        assertThat(plan).hasSize(20);
        assertThat(plan.values().stream().map(RevenueShapes.Shape::kind).collect(Collectors.toSet()))
                .isEqualTo(Set.of(Kind.values()));
        assertThat(plan.values()).allSatisfy(s -> assertThat(s.onset()).isGreaterThanOrEqualTo(7));
        assertThat(RevenueShapes.plan(options, 4).keySet()).isEqualTo(plan.keySet());
    }

    @Test
    void shouldLabelEveryShapeWithTheTypeTheRuleFindsAtTheOnset() {
        // churn, billing spike, expansion, disruption: flagged at the onset; erosion: once inside the decline
        var shapeLabels = WORLD.labels().stream().filter(l -> l.type().startsWith("REVENUE_"))
                .filter(l -> !l.cause().startsWith("revenue moved") && !l.cause().startsWith("contract ended")
                        && !l.cause().equals("missing invoice") && !l.cause().startsWith("usage declining")
                        && !l.cause().startsWith("usage slump")).toList();

        // an erosion shape is labelled when it came through in the revenue (Theil-Sen decline >= 30% over its
        // decline) or when the rule finds it anyway; the other kinds always
        assertThat(shapeLabels).filteredOn(l -> !l.type().equals("REVENUE_EROSION")).hasSize(16);
        assertThat(shapeLabels).filteredOn(l -> l.type().equals("REVENUE_EROSION")).hasSizeBetween(2, 4);
        assertThat(shapeLabels).filteredOn(l -> !l.type().equals("REVENUE_EROSION"))
                .allSatisfy(l -> assertThat(l.cause()).doesNotContain("not detected"));
        // a slow decline on a very noisy account can stay under the trend test's significance (1 of 18 at 2000x24, seeds 7 and 11)
        assertThat(shapeLabels).filteredOn(l -> l.type().equals("REVENUE_EROSION"))
                .filteredOn(l -> !l.cause().contains("not detected")).isNotEmpty();
        assertThat(shapeLabels.stream().map(Label::type).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("REVENUE_DROP", "REVENUE_SPIKE", "REVENUE_EROSION");
        assertThat(shapeLabels).filteredOn(l -> l.type().equals("REVENUE_EROSION"))
                .allSatisfy(l -> assertThat(l.evidenceKey()).isEqualTo("erosion/" + l.period()))
                .allSatisfy(l -> assertThat(l.amount()).isPositive());
        assertThat(shapeLabels).filteredOn(l -> l.type().equals("REVENUE_SPIKE"))
                .allSatisfy(l -> assertThat(l.amount()).isNegative());
    }
}
