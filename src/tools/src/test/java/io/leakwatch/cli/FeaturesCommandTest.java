package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.features.Feature;
import io.leakwatch.backtest.TrainingSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code leakwatch features}: the training CSV from a replay, and one-line errors for user mistakes. */
class FeaturesCommandTest {
    @TempDir
    static Path shared;
    static Path world;

    @TempDir
    Path dir;

    private static LeakwatchCommandTest.Result leakwatch(String... args) {
        return LeakwatchCommandTest.leakwatch(args);
    }

    @BeforeAll
    static void generateSmallWorld() {
        world = shared.resolve("world");
        LeakwatchCommandTest.Result generated = leakwatch("generate", "--accounts", "30", "--months", "6", "--out", world.toString());
        assertThat(generated.exit()).as(generated.err()).isZero();
    }

    @Test
    void shouldWriteOneRowPerActiveAccountAndMonthBoundaryWithTheCatalogColumns() throws IOException {
        Path out = dir.resolve("out");

        LeakwatchCommandTest.Result r = leakwatch("features", "--input", world.toString(), "--labels", world.resolve("labels.jsonl").toString(),
                "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out.resolve("features.csv"));
        List<String> lines = Files.readAllLines(out.resolve("features.csv"));
        assertThat(lines.get(0)).isEqualTo(String.join(",", TrainingSet.columns()));
        assertThat(lines.get(0).split(",")).hasSize(5 + Feature.values().length + 4);
        assertThat(lines.size()).isGreaterThan(30 * 4);
        String first = lines.get(1);
        assertThat(first).startsWith("acct-").contains(",2024-");
        // the last boundaries' label horizon runs past the end of the data: empty label cells
        assertThat(lines.get(lines.size() - 1)).endsWith(",,,,");
        // early rows have both labels
        assertThat(first.split(",", -1)[5 + Feature.values().length]).isIn("0", "1");
        assertThat(first.split(",", -1)[5 + Feature.values().length + 3]).isIn("0", "1");
    }

    @Test
    void shouldExitTwoWithOneLineWhenLabelsAreMissing() {
        Path missing = dir.resolve("labels.jsonl");

        LeakwatchCommandTest.Result r = leakwatch("features", "--input", world.toString(), "--labels", missing.toString(),
                "--out", dir.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch features: labels file " + missing + " does not exist");
    }

    @Test
    void shouldExitTwoWithOneLineWhenInputIsMissing() {
        LeakwatchCommandTest.Result r = leakwatch("features", "--input", "/no/such/dir", "--labels", "x", "--out", dir.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch features: input directory /no/such/dir does not exist");
    }

    @Test
    void shouldExitTwoWithOneLineWhenALabelHasNoPeriod() throws IOException {
        Path labels = Files.writeString(dir.resolve("labels.jsonl"),
                "{\"type\":\"CHURN\",\"account_id\":\"a\",\"amount\":\"1\",\"currency\":\"USD\"}\n");

        LeakwatchCommandTest.Result r = leakwatch("features", "--input", world.toString(), "--labels", labels.toString(), "--out", dir.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("line 1");
    }
}
