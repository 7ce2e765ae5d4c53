package io.leakwatch.cli;

import static io.leakwatch.cli.LeakwatchCommandTest.leakwatch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.cli.LeakwatchCommandTest.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backtest --what-if}: the same history replayed under a second config, compared by alert id. A config that
 * switches one detector off must differ from the base by exactly that detector's alerts, and say so in every output.
 */
class WhatIfCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path world;
    static Path out;
    static Result run;

    @BeforeAll
    static void replayTwice() throws IOException {
        world = dir.resolve("world");
        Result generated = leakwatch("generate", "--accounts", "40", "--months", "6", "--seed", "3",
                "--out", world.toString());
        assertThat(generated.exit()).as(generated.err()).isZero();
        Path whatIf = dir.resolve("no-unbilled-usage.properties");
        Files.writeString(whatIf, "leakwatch.detectors.off=UNBILLED_USAGE\n", StandardCharsets.UTF_8);
        out = dir.resolve("out");
        run = leakwatch("backtest", "--input", world.toString(), "--labels", world.resolve("labels.jsonl").toString(),
                "--out", out.toString(), "--what-if", whatIf.toString());
        assertThat(run.exit()).as(run.err()).isZero();
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static Set<String> idsOfType(Path alerts, String type) throws IOException {
        return lines(alerts).stream().filter(a -> a.get("type").asText().equals(type))
                .map(a -> a.get("alert_id").asText()).collect(Collectors.toSet());
    }

    @Test
    void shouldListTheSwitchedOffDetectorsAlertsAndOnlyTheRiskScoresTheyFedAsOnlyInTheBase() throws IOException {
        Set<String> unbilled = idsOfType(out.resolve("alerts.jsonl"), "UNBILLED_USAGE");
        List<JsonNode> differences = lines(out.resolve("what-if-differences.jsonl"));

        assertThat(unbilled).isNotEmpty();
        assertThat(differences).allSatisfy(d -> assertThat(d.get("side").asText()).isEqualTo("base"));
        assertThat(differences.stream().filter(d -> d.get("type").asText().equals("UNBILLED_USAGE"))
                .map(d -> d.get("alert_id").asText()).collect(Collectors.toSet())).isEqualTo(unbilled);
        // the risk model reads the findings: fewer findings, other risk alerts; no other rule changes its answer
        assertThat(differences).allSatisfy(d -> assertThat(d.get("type").asText())
                .isIn("UNBILLED_USAGE", "HIGH_LEAKAGE_RISK", "HIGH_CHURN_RISK"));
    }

    @Test
    void shouldWriteTheWhatIfReplaysOwnFilesWithoutTheSwitchedOffType() throws IOException {
        Path other = out.resolve("what-if");

        assertThat(idsOfType(other.resolve("alerts.jsonl"), "UNBILLED_USAGE")).isEmpty();
        assertThat(idsOfType(other.resolve("alerts.jsonl"), "RATE_MISMATCH"))
                .isEqualTo(idsOfType(out.resolve("alerts.jsonl"), "RATE_MISMATCH"));
        assertThat(other.resolve("report.json")).exists();
    }

    @Test
    void shouldReportBothSidesPerTypeWithPrecisionAndRecall() throws IOException {
        JsonNode report = JSON.readTree(out.resolve("what-if.json").toFile());
        JsonNode unbilledRow = null;
        for (JsonNode row : report.get("types")) {
            if (row.get("type").asText().equals("UNBILLED_USAGE")) {
                unbilledRow = row;
            }
        }

        assertThat(unbilledRow).isNotNull();
        assertThat(unbilledRow.get("base").get("alerts").asInt()).isPositive();
        assertThat(unbilledRow.get("base").get("recall").asDouble()).isEqualTo(1.0);
        assertThat(unbilledRow.get("what-if").get("alerts").asInt()).isZero();
        assertThat(report.get("differences").get("only_base").asInt())
                .isGreaterThanOrEqualTo(unbilledRow.get("base").get("alerts").asInt());
        assertThat(report.get("differences").get("only_what_if").asInt()).isZero();
        assertThat(run.out()).contains("== Side by side").contains("only the base raised");
    }

    @Test
    void shouldRefuseInOneLineAWhatIfConfigThatReadsOtherTopics() throws IOException {
        Path renamed = dir.resolve("renamed.properties");
        Files.writeString(renamed, "leakwatch.topic.invoices=billing.lines.v1\n", StandardCharsets.UTF_8);

        Result r = leakwatch("backtest", "--input", world.toString(), "--out", dir.resolve("refused").toString(),
                "--what-if", renamed.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().contains("same input topics");
        assertThat(dir.resolve("refused").resolve("alerts.jsonl")).doesNotExist();
    }
}
