package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.EmbeddedKafka;
import io.leakwatch.topics.TopicCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code generate --bootstrap-servers} against a real broker whose topics are not the ones the config names. */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GenerateToClusterIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseBeforeWritingAnyFileWhenARenamedInputTopicDoesNotExist() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            // Given a cluster with the stock topics, and a config that renames the invoices topic
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled());
            Path config = Files.writeString(dir.resolve("leakwatch.properties"),
                    "leakwatch.topic.invoices=billing.invoices\n", StandardCharsets.UTF_8);
            Path out = dir.resolve("world");

            // When a world is generated to be produced there
            StringWriter err = new StringWriter();
            CommandLine cli = LeakwatchTools.commandLine();
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute("generate", "--accounts", "5", "--months", "2", "--out", out.toString(),
                    "--bootstrap-servers", kafka.bootstrapServers(), "--config", config.toString());

            // Then it refuses, naming the topic, and has written nothing
            assertThat(exit).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString().lines()).singleElement().asString().isEqualTo("leakwatch generate: input topic(s)"
                    + " billing.invoices do not exist at " + kafka.bootstrapServers() + "; create them with 'leakwatch"
                    + " topics create --config FILE' (nothing was written)");
            assertThat(out).doesNotExist();
        }
    }
}
