package io.leakwatch.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line and its estimate of the time left. */
class ProgressTest {
    @Test
    void shouldSayTheTimeLeftInTheLargestUnitsThatMatter() {
        assertThat(Progress.duration(400)).isEqualTo("1s");
        assertThat(Progress.duration(45_000)).isEqualTo("45s");
        assertThat(Progress.duration(185_000)).isEqualTo("3m 05s");
        assertThat(Progress.duration(7_620_000)).isEqualTo("2h 07m");
    }

    @Test
    void shouldEstimateTheTimeLeftOnceAPercentIsDoneAndNotAtTheEnd() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "read", 1_000, "records", 0);

        progress.advanceTo(5);
        Thread.sleep(20);
        progress.advanceTo(500);
        progress.finish();

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).satisfiesExactly(
                first -> assertThat(first).isEqualTo("read: 5 / 1,000 records (0%)"),
                half -> assertThat(half).matches("read: 500 / 1,000 records \\(50%, about \\d+s left\\)"),
                end -> assertThat(end).isEqualTo("read: 1,000 / 1,000 records (100%)"));
    }
}
