package io.leakwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** labels.jsonl: one known-true finding per line; a bad line fails with its line number. */
class LabelledFindingTest {
    private static final String GOOD = "{\"type\":\"RATE_MISMATCH\",\"account_id\":\"a1\",\"evidence_key\":\"inv-1/L1\","
            + "\"amount\":\"15.00\",\"currency\":\"USD\",\"injected\":\"rate\"}";

    @TempDir
    Path dir;

    private Path labels(String... lines) throws IOException {
        Path file = dir.resolve("labels.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void shouldReadLabelsIgnoringBlankLinesAndExtraFields() throws IOException {
        List<LabelledFinding> read = LabelledFinding.read(labels(GOOD, "", GOOD.replace("inv-1/L1", "inv-1/L2")));

        assertThat(read).containsExactly(
                new LabelledFinding("RATE_MISMATCH", "a1", "inv-1/L1", new BigDecimal("15.00"), "USD"),
                new LabelledFinding("RATE_MISMATCH", "a1", "inv-1/L2", new BigDecimal("15.00"), "USD"));
    }

    @Test
    void shouldReadNumericAmountExactly() throws IOException {
        List<LabelledFinding> read = LabelledFinding.read(labels(GOOD.replace("\"15.00\"", "0.1")));

        assertThat(read.get(0).amount()).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void shouldNameTheLineNumberOfMalformedJson() throws IOException {
        Path file = labels(GOOD, "", "{\"type\": RATE_MISMATCH");

        assertThatThrownBy(() -> LabelledFinding.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + " line 3 is not a label: ");
    }

    @Test
    void shouldDescribeMalformedJsonInOneLine() throws IOException {
        Path file = labels("{\"type\": RATE_MISMATCH");

        assertThatThrownBy(() -> LabelledFinding.read(file))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldNameTheLineNumberAndFieldOfAMissingField() throws IOException {
        Path file = labels(GOOD, GOOD.replace("\"currency\":\"USD\",", ""));

        assertThatThrownBy(() -> LabelledFinding.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + " line 2 is not a label: missing \"currency\"");
    }

    @Test
    void shouldNameTheLineNumberOfANonNumericAmount() throws IOException {
        Path file = labels(GOOD.replace("\"15.00\"", "\"fifteen\""));

        assertThatThrownBy(() -> LabelledFinding.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + " line 1 is not a label");
    }
}
