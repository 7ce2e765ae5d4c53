package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command that reads a config file refuses a bad {@code leakwatch.} key the same way, before it contacts a
 * cluster or reads its input: exit code 2 and one line, the same after the command's name, naming the key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadLeakwatchKeyTest {
    private static final String FILE = "bootstrap.servers=127.0.0.1:1\n"
            + "slack.default.webhook=${env:SLACK_WEBHOOK}\n";

    @TempDir
    Path dir;

    static Stream<List<String>> commands() {
        return Stream.of(List.of("run"), List.of("topics", "create"), List.of("topics", "list"),
                List.of("topics", "check"), List.of("slack-bridge"), List.of("slack-bridge", "--dry-run"),
                List.of("backtest", "--input", "IN", "--out", "OUT"),
                List.of("features", "--input", "IN", "--labels", "IN/labels.jsonl", "--out", "OUT"),
                List.of("anomalies", "--input", "IN", "--out", "OUT"),
                List.of("generate", "--accounts", "1", "--months", "1", "--out", "OUT", "--bootstrap-servers", "127.0.0.1:1"));
    }

    static Stream<Arguments> badKeys() {
        return commands().flatMap(command -> Stream.of(
                Arguments.of(command, "leakwatch.late.horizn=P30D", "leakwatch.late.horizn is not a Leakwatch setting;"
                        + " did you mean leakwatch.late.horizon? (every key is in the README's configuration reference)"),
                Arguments.of(command, "leakwatch.late.horizon=30 days", "leakwatch.late.horizon: '30 days' is not a"
                        + " duration of zero or more such as 500ms, 30s, 5m, 1h, 90d, PT30S or P90D"),
                Arguments.of(command, "leakwatch.unattributed.min-share=${env:SHARE}", "leakwatch.unattributed.min-share:"
                        + " ****(env:SHARE) is not a number of zero or more")));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("badKeys")
    void shouldRefuseABadLeakwatchKeyWithTheSameLine(List<String> command, String line, String message) throws IOException {
        // Given a config file that is right but for one leakwatch.* line
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("invoices.jsonl"), "", StandardCharsets.UTF_8);
        Files.writeString(in.resolve("labels.jsonl"), "", StandardCharsets.UTF_8);
        Path config = Files.writeString(dir.resolve("config.properties"), FILE + line + "\n", StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(command.stream()
                .map(a -> a.replace("IN", in.toString()).replace("OUT", dir.resolve("out").toString())).toList());
        args.addAll(List.of("--config", config.toString()));

        // When the command runs
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LeakwatchTools.commandLine(Map.of("SLACK_WEBHOOK", "https://hooks.slack.com/services/T1/B1/x",
                "SHARE", "a-secret-share")::get);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args.toArray(String[]::new));

        // Then it stops with the one line every command prints for it
        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).singleElement().asString()
                .endsWith(": config " + config + ": " + message)
                .doesNotContain("a-secret-share");
        assertThat(dir.resolve("out")).as("nothing written").doesNotExist();
    }
}
