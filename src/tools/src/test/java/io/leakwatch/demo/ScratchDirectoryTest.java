package io.leakwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchDirectoryTest {

    @Test
    void shouldLeaveNothingBehindOnceClosed() throws IOException {
        Path path;
        try (ScratchDirectory scratch = ScratchDirectory.create("leakwatch-scratch-test")) {
            path = scratch.path();
            Files.writeString(Files.createDirectories(path.resolve("state/0_1/rocksdb")).resolve("LOG"), "x");
            Files.writeString(path.resolve("invoices.jsonl"), "{}");
            assertThat(path).isDirectory().startsWith(Path.of(System.getProperty("java.io.tmpdir")));
        }

        assertThat(path).doesNotExist();
    }

    @Test
    void shouldCloseQuietlyWhenTheDirectoryIsAlreadyGone() throws IOException {
        ScratchDirectory scratch = ScratchDirectory.create("leakwatch-scratch-test");
        Files.delete(scratch.path());

        scratch.close();

        assertThat(scratch.path()).doesNotExist();
    }
}
