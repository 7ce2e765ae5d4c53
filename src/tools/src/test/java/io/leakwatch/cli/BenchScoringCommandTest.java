package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchScoringCommandTest {
    @Test
    void shouldPrintATableOfRowsPerSecondPerBatchSize() {
        StringWriter out = new StringWriter();
        int exit = run(out, new StringWriter(), "bench", "scoring", "--models-dir", "src/core/src/test/resources/onnx/models",
                "--batch-sizes", "1,64", "--rows", "128", "--runs", "1");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("models: churn_risk:v1, leakage_amount:v1, leakage_risk:v1")
                .contains("batch     1, run 1/1").contains("rows/s in full").contains("rows/s probabilities only")
                .containsPattern("(?m)^1 +[0-9,]+ +[0-9.]+ +[0-9,]+$").containsPattern("(?m)^64 +[0-9,]+ +[0-9.]+ +[0-9,]+$");
    }

    @Test
    void shouldExitTwoWithOneLineWhenTheModelsDirectoryIsMissing() {
        StringWriter err = new StringWriter();
        int exit = run(new StringWriter(), err, "bench", "scoring", "--models-dir", "no/such/models");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines().toList()).singleElement().asString().contains("does not exist");
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = LeakwatchTools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }
}
