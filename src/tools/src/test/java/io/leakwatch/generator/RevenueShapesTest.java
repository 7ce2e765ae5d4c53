package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import io.leakwatch.generator.RevenueShapes.Kind;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The revenue shapes: planned deterministically, and labelled from what was put in, never from a detector. */
class RevenueShapesTest {
    private static final World WORLD = WorldGenerator.generate(GeneratorOptions.defaults(600, 24, 7)
            .withRevenueShapesPerKind(4).withBaselineShapesPerKind(3));
    private static final Set<String> ALERTING = Set.of("REVENUE_SPIKE", "REVENUE_DROP", "REVENUE_EROSION");

    private static Map<String, Label> shapes() {
        return WORLD.labels().stream().filter(l -> l.type().equals(RevenueShapes.SHAPE_LABEL))
                .collect(Collectors.toMap(Label::accountId, l -> l));
    }

    @Test
    void shouldPlanEveryKindDeterministicallyWithAFullBaselineBeforeTheOnset() {
        GeneratorOptions options = GeneratorOptions.defaults(600, 24, 7);
        Map<Integer, RevenueShapes.Shape> plan = RevenueShapes.plan(options, 4, 3);

        assertThat(plan).hasSize(5 * 4 + 7 * 3);
        assertThat(plan.values().stream().map(RevenueShapes.Shape::kind).collect(Collectors.toSet()))
                .isEqualTo(Set.of(Kind.values()));
        assertThat(plan.values()).filteredOn(s -> s.kind() != Kind.SEASONAL)
                .allSatisfy(s -> assertThat(s.onset()).isGreaterThanOrEqualTo(7));
        // a seasonal peak comes first during the cold start, so its next one has the same month a year before
        assertThat(plan.values()).filteredOn(s -> s.kind() == Kind.SEASONAL)
                .allSatisfy(s -> assertThat(s.onset()).isBetween(0, 5));
        assertThat(RevenueShapes.plan(options, 4, 3).keySet()).isEqualTo(plan.keySet());
    }

    @Test
    void shouldDrawTheDefaultWorldsShapesOnTheSameAccountsWhateverTheBaselineShapes() {
        GeneratorOptions options = GeneratorOptions.defaults(600, 24, 7);
        Map<Integer, RevenueShapes.Shape> defaults = RevenueShapes.plan(options, 4);
        Map<Integer, RevenueShapes.Shape> more = RevenueShapes.plan(options, 4, 3);

        defaults.forEach((account, shape) -> {
            assertThat(more.get(account).kind()).isEqualTo(shape.kind());
            assertThat(more.get(account).onset()).isEqualTo(shape.onset());
        });
    }

    @Test
    void shouldLabelEveryShapeThatMovedTheRevenueAtItsOnsetWithTheTypeItInjected() {
        Map<String, Label> shapes = shapes();
        List<Label> shapeLabels = WORLD.labels().stream().filter(l -> ALERTING.contains(l.type()))
                .filter(l -> shapes.containsKey(l.accountId())).toList();

        assertThat(shapeLabels).isNotEmpty().allSatisfy(l -> {
            Label shape = shapes.get(l.accountId());
            Kind kind = Kind.valueOf(shape.evidenceKey());
            assertThat(l.period()).isEqualTo(shape.period());
            switch (kind) {
                case CHURN, DISRUPTION, STEADY_DROP, LEVEL_DOWN -> {
                    assertThat(l.type()).isEqualTo("REVENUE_DROP");
                    assertThat(l.evidenceKey()).isEqualTo(shape.period());
                    assertThat(l.amount()).isPositive();
                }
                case BILLING_SPIKE, EXPANSION, STEADY_SPIKE, LEVEL_UP -> {
                    assertThat(l.type()).isEqualTo("REVENUE_SPIKE");
                    assertThat(l.evidenceKey()).isEqualTo(shape.period());
                    assertThat(l.amount()).isNegative();
                }
                case EROSION -> {
                    assertThat(l.type()).isEqualTo("REVENUE_EROSION");
                    assertThat(l.evidenceKey()).isEqualTo("erosion/" + shape.period() + ".."
                            + YearMonth.parse(shape.period()).plusMonths(RevenueShapes.EROSION_MONTHS - 1));
                }
                default -> throw new AssertionError(kind + " must not be labelled with an alert");
            }
        });
        // a spike-or-drop shape of the default world is a finding unless its move is below 100 a month (a tiny
        // account): then its months are unjudged
        long unjudged = WORLD.labels().stream().filter(l -> l.type().equals(RevenueShapes.UNJUDGED_LABEL))
                .filter(l -> l.cause().endsWith("below the smallest monthly amount worth an alert"))
                .filter(l -> !shapes.get(l.accountId()).evidenceKey().equals("EROSION"))
                .filter(l -> !Kind.valueOf(shapes.get(l.accountId()).evidenceKey()).baseline()).count();
        assertThat(shapeLabels.stream().filter(l -> !l.type().equals("REVENUE_EROSION"))
                .filter(l -> !Kind.valueOf(shapes.get(l.accountId()).evidenceKey()).baseline()).count() + unjudged)
                .isEqualTo(16);
    }

    @Test
    void shouldExpectNothingOfSteadySeasonalAndPriceStepAccounts() {
        Map<String, Label> shapes = shapes();
        Set<String> quiet = shapes.values().stream().filter(l -> Set.of("STEADY", "SEASONAL", "PRICE_STEP")
                .contains(l.evidenceKey())).map(Label::accountId).collect(Collectors.toSet());

        assertThat(quiet).hasSize(9);
        assertThat(WORLD.labels()).filteredOn(l -> quiet.contains(l.accountId()))
                .noneMatch(l -> ALERTING.contains(l.type()));
    }

    @Test
    void shouldLowerEveryRateOfAPriceStepAccountByAnAmendmentFromTheOnset() {
        Label step = shapes().values().stream().filter(l -> l.evidenceKey().equals("PRICE_STEP")).findFirst()
                .orElseThrow();
        Contract latest = WORLD.contracts().stream().filter(c -> c.getAccountId().equals(step.accountId()))
                .reduce((a, b) -> b).orElseThrow();
        java.time.Instant onset = WorldGenerator.firstOf(YearMonth.parse(step.period()));

        assertThat(latest.getVersion()).isEqualTo(2);
        Map<String, List<RateLine>> byService = latest.getLines().stream()
                .collect(Collectors.groupingBy(RateLine::getService));
        assertThat(byService.values()).allSatisfy(lines -> {
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0).getEffectiveTo()).isEqualTo(onset);
            assertThat(lines.get(1).getEffectiveFrom()).isEqualTo(onset);
            BigDecimal ratio = lines.get(1).getUnitRate().divide(lines.get(0).getUnitRate(), 4,
                    java.math.RoundingMode.HALF_EVEN);
            assertThat(ratio).isBetween(new BigDecimal("0.64"), new BigDecimal("0.76"));
        });
    }

    @Test
    void shouldLeaveTheMonthsOfInjectedErrorsAndChurnPrecursorsUnjudged() {
        Set<String> unjudged = WORLD.labels().stream().filter(l -> l.type().equals(RevenueShapes.UNJUDGED_LABEL))
                .map(Label::cause).map(c -> c.replaceAll(" [A-Z_]+ .*", "")).collect(Collectors.toSet());

        assertThat(unjudged).contains("usage declining before the contract ended", "usage slump of a rough patch",
                "revenue moved by injected");
        assertThat(WORLD.labels()).filteredOn(l -> l.type().equals(RevenueShapes.UNJUDGED_LABEL))
                .allSatisfy(l -> assertThat(l.evidenceKey()).matches("\\d{4}-\\d{2}\\.\\.\\d{4}-\\d{2}"));
        // a silent month after the contract ended is a drop, labelled from the contract, not from a detector
        assertThat(WORLD.labels()).filteredOn(l -> l.cause().equals("contract ended"))
                .isNotEmpty().allSatisfy(l -> assertThat(l.type()).isEqualTo("REVENUE_DROP"));
    }

    @Test
    void shouldCountAShapeAsCameThroughOnlyWhenTheRevenueMovedAQuarterInItsDirection() {
        assertThat(RevenueShapes.came(new BigDecimal("100"), new BigDecimal("125"), true)).isTrue();
        assertThat(RevenueShapes.came(new BigDecimal("100"), new BigDecimal("124"), true)).isFalse();
        assertThat(RevenueShapes.came(new BigDecimal("100"), new BigDecimal("75"), false)).isTrue();
        assertThat(RevenueShapes.came(new BigDecimal("100"), new BigDecimal("130"), false)).isFalse();
        assertThat(RevenueShapes.came(BigDecimal.ZERO, new BigDecimal("130"), true)).isFalse();
    }
}
