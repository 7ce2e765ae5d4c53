package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.leakwatch.report.AnomalyChart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code leakwatch anomalies}: the ranked table, anomalies.csv and anomalies.png, and one-line errors. */
class AnomaliesCommandTest {
    private static final int TOP = 3;
    private static final Pattern SUMMARY =
            Pattern.compile("(\\d+) revenue anomalies in (\\d+) accounts \\(([\\d,]+) records replayed\\)");

    @TempDir
    static Path shared;
    static Path out;
    static LeakwatchCommandTest.Result run;
    static int anomalies;
    static int accounts;

    @TempDir
    Path dir;

    private static LeakwatchCommandTest.Result leakwatch(String... args) {
        return LeakwatchCommandTest.leakwatch(args);
    }

    @BeforeAll
    static void reportOnASmallWorld() {
        // Given a year of 30 accounts, one of them given each labelled revenue shape (spike, erosion, churn, ...)
        Path world = shared.resolve("world");
        LeakwatchCommandTest.Result generated = leakwatch("generate", "--accounts", "30", "--months", "12",
                "--revenue-shapes", "1", "--out", world.toString());
        assertThat(generated.exit()).as(generated.err()).isZero();

        // When the anomalies of its replay are reported
        out = shared.resolve("report");
        run = leakwatch("anomalies", "--input", world.toString(), "--out", out.toString(), "--top", Integer.toString(TOP));

        assertThat(run.exit()).as(run.err()).isZero();
        Matcher summary = SUMMARY.matcher(run.out().lines().findFirst().orElse(""));
        assertThat(summary.matches()).as(run.out()).isTrue();
        anomalies = Integer.parseInt(summary.group(1));
        accounts = Integer.parseInt(summary.group(2));
        assertThat(anomalies).as("a spike and a churn at least").isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldPrintTheTopRowsAndNameTheFilesItWrote() {
        List<String> lines = run.out().lines().toList();

        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("rank  account")).findFirst().orElseThrow());
        assertThat(lines.subList(header + 1, lines.size())).filteredOn(l -> l.matches("\\s+\\d+  acct-.*"))
                .hasSize(Math.min(TOP, anomalies));
        assertThat(lines).contains("wrote " + out.resolve("anomalies.csv"), "wrote " + out.resolve("anomalies.png"));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void shouldWriteEveryAnomalyToTheCsvInRankOrder() throws IOException {
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(out.resolve("anomalies.csv").toFile())) {
            rows = it.readAll();
        }

        assertThat(rows).hasSize(anomalies);
        assertThat(rows).extracting(r -> r.get("rank"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, anomalies).mapToObj(Integer::toString).toList());
        assertThat(rows).extracting(r -> r.get("type")).allMatch(t -> t.startsWith("REVENUE_"));
        assertThat(rows).extracting(r -> r.get("account_id")).doesNotContainNull().allMatch(a -> a.startsWith("acct-"));
    }

    @Test
    void shouldChartTheTopAccountsTwoToARow() throws IOException {
        BufferedImage png = ImageIO.read(out.resolve("anomalies.png").toFile());

        int panels = Math.min(TOP, accounts);
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(AnomalyChart.COLUMNS * AnomalyChart.PANEL_WIDTH);
        assertThat(png.getHeight()).isEqualTo(AnomalyChart.HEADER_HEIGHT
                + (panels + AnomalyChart.COLUMNS - 1) / AnomalyChart.COLUMNS * AnomalyChart.PANEL_HEIGHT);
    }

    @Test
    void shouldExitTwoWithOneLineWhenTheInputHasNoInvoices() {
        LeakwatchCommandTest.Result r = leakwatch("anomalies", "--input", "/no/such/dir", "--out", dir.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("leakwatch anomalies: input directory /no/such/dir has no invoices.jsonl");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldExitTwoWithOneLineWhenTopIsBelowOne() {
        LeakwatchCommandTest.Result r = leakwatch("anomalies", "--input", shared.resolve("world").toString(),
                "--out", dir.toString(), "--top", "0");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("leakwatch anomalies: --top must be at least 1");
    }

    @Test
    void shouldChartAnAccountAskedForFirstEvenWithoutAnomalies() throws IOException {
        Path world = shared.resolve("world");
        List<String> flagged = csvRows().stream().map(row -> row.get("account_id")).toList();
        String quiet = Files.readAllLines(world.resolve("invoices.jsonl")).stream()
                .map(l -> l.replaceAll(".*\"account_id\":\"(acct-\\d+)\".*", "$1"))
                .filter(a -> a.startsWith("acct-") && !flagged.contains(a)).findFirst().orElseThrow();

        LeakwatchCommandTest.Result r = leakwatch("anomalies", "--input", world.toString(), "--out", dir.toString(),
                "--top", "1", "--accounts", quiet);

        assertThat(r.exit()).as(r.err()).isZero();
        BufferedImage png = ImageIO.read(dir.resolve("anomalies.png").toFile());
        int panels = 2;     // the account asked for, then the top one
        assertThat(png.getHeight()).isEqualTo(AnomalyChart.HEADER_HEIGHT
                + (panels + AnomalyChart.COLUMNS - 1) / AnomalyChart.COLUMNS * AnomalyChart.PANEL_HEIGHT);
    }

    @Test
    void shouldExitTwoWithOneLineBeforeReplayingWhenAnAccountAskedForHasNoInvoices() {
        LeakwatchCommandTest.Result r = leakwatch("anomalies", "--input", shared.resolve("world").toString(),
                "--out", dir.toString(), "--accounts", "acct-nobody");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().startsWith("leakwatch anomalies: --accounts: acct-nobody has"
                + " no invoice lines in ");
        assertThat(dir).isEmptyDirectory();
    }

    private static List<Map<String, String>> csvRows() throws IOException {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(out.resolve("anomalies.csv").toFile())) {
            return it.readAll();
        }
    }
}
