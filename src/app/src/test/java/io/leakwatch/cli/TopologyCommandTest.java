package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code leakwatch topology --write}: the files under version control in topology/, and nothing else. */
class TopologyCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheCommittedDescriptionsWithScoringOffAndOnAndTheirDiagrams() throws IOException {
        StringWriter out = new StringWriter();
        CommandLine cli = LeakwatchCommand.commandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("topology", "--write", dir.toString());

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo("wrote " + dir.resolve("topology.txt") + ", "
                + dir.resolve("topology-scoring.txt") + ", " + dir.resolve("TOPOLOGY.md"));
        try (var written = Files.list(dir)) {
            assertThat(written.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("topology.txt", "topology-scoring.txt", "TOPOLOGY.md");
        }
        for (String file : new String[] {"topology.txt", "topology-scoring.txt", "TOPOLOGY.md"}) {
            assertThat(dir.resolve(file)).as("topology/%s is stale: run ./leakwatch topology --write", file)
                    .hasSameTextualContentAs(Path.of("topology", file));
        }
    }

    @Test
    void shouldPrintTheDescriptionWhenRunAsAProgram() throws Exception {
        // as `leakwatch topology` runs: its own JVM, whose exit does not flush what was printed
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process topology = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LeakwatchCommand.class.getName(), "topology").redirectErrorStream(true).start();
        String printed = new String(topology.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(topology.waitFor()).isZero();
        assertThat(printed).isEqualTo(Files.readString(Path.of("topology", "topology.txt")));
    }
}
