package io.leakwatch.backtest;

import io.leakwatch.labels.LabelledFinding;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest over generated history finds exactly the injected errors, and replays are byte-identical. */
class BacktestTest {
    @TempDir
    static Path dir;
    static World world;
    static BacktestResult result;

    @BeforeAll
    static void replayGeneratedWorld() throws Exception {
        world = WorldGenerator.generate(GeneratorOptions.defaults(300, 12, 11)
);
        WorldFiles.write(world, dir.resolve("world"));
        result = backtest().run(dir.resolve("world"), Progress.silent());
    }

    private static Backtest backtest() {
        return new Backtest(TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver()));
    }

    @Test
    void shouldFindExactlyTheLabelledLeakageOfEveryType() throws Exception {
        List<LabelledFinding> labels = LabelledFinding.read(dir.resolve("world/labels.jsonl"));
        Scorecard score = Scorecard.score(result.alerts(), labels);

        assertThat(labels).hasSizeGreaterThan(20);
        assertThat(score.perType().keySet()).containsAll(java.util.List.of("RATE_MISMATCH", "CHARGE_ARITHMETIC",
                "DUPLICATE_CHARGE", "UNBILLED_USAGE", "MISSING_INVOICE", "PROVISIONING_MISMATCH", "UNPAID_INVOICE",
                "FAILED_PAYMENT_NOT_RECOVERED", "UNDERPAYMENT", "UNATTRIBUTED_REVENUE", "REVENUE_DROP",
                "REVENUE_SPIKE"));
        score.perType().values().forEach(s -> {
            assertThat(s.fn()).as(s.type() + " false negatives").isZero();
            if (!s.type().startsWith("REVENUE_")) {     // a revenue label's amount is the shape's, not the rule's
                assertThat(s.fp()).as(s.type() + " false positives").isZero();
                assertThat(s.amountMismatches()).as(s.type() + " amounts").isZero();
            }
        });
        // the revenue labels say what was injected, not every move the world makes on its own: acct-00074's seats
        // go 3 -> 4 -> 5 in 2024-07/08 (+67% over its level, JPY 15,600), a real spike no shape put there
        assertThat(score.perType().values().stream().filter(s -> s.type().startsWith("REVENUE_"))
                .mapToInt(Scorecard.TypeScore::fp).sum()).as("unlabelled revenue alerts").isLessThanOrEqualTo(1);
        Scorecard exact = Scorecard.score(
                result.alerts().stream().filter(a -> !a.getType().startsWith("REVENUE_")).toList(),
                labels.stream().filter(l -> !l.type().startsWith("REVENUE_")).toList());
        assertThat(exact.leakageIdentified()).hasSameSizeAs(exact.leakageLabelled());
        exact.leakageLabelled().forEach((currency, labelled) ->
                assertThat(exact.leakageIdentified().get(currency)).as(currency).isEqualByComparingTo(labelled));
    }

    @Test
    void shouldDeadLetterEveryInjectedBadRecord() {
        assertThat(result.deadLetters()).hasSize(world.badRecords().size());
        assertThat(result.deadLetters()).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
    }

    @Test
    void shouldWriteAlertsInEventTimeOrder() {
        assertThat(result.alerts()).isSortedAccordingTo(
                java.util.Comparator.comparing(io.leakwatch.events.Alert::getEventTime));
    }

    @Test
    void shouldWriteByteIdenticalAlertsOnEveryReplay() throws Exception {
        Path first = BacktestFiles.writeAlerts(result.alerts(), dir.resolve("run1"));
        BacktestResult again = backtest().run(dir.resolve("world"), Progress.silent());
        Path second = BacktestFiles.writeAlerts(again.alerts(), dir.resolve("run2"));

        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
    }
}
