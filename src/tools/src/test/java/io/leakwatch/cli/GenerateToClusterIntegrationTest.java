package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.topics.TopicCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code generate --bootstrap-servers} against a real broker: topics that are not the ones the config names, and a
 * loader that runs at every start ({@code --if-topics-empty}).
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GenerateToClusterIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseBeforeWritingAnyFileWhenARenamedInputTopicDoesNotExist() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
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

    @Test
    void shouldLoadOnceWhenRunTwiceWithIfTopicsEmpty() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            // Given a cluster with the stock topics, loaded once by a loader that runs at every start
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled());
            StringWriter first = new StringWriter();
            int firstExit = generate(kafka, dir.resolve("first"), first);
            Map<TopicPartition, Long> loaded = endOffsets(admin);

            // When the loader runs again
            StringWriter second = new StringWriter();
            int secondExit = generate(kafka, dir.resolve("second"), second);

            // Then the first run produced the world, the second one produced and wrote nothing, and said why
            assertThat(firstExit).isEqualTo(ExitCodes.OK);
            assertThat(first.toString()).contains("produced ");
            assertThat(loaded.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey().topic())
                    .collect(Collectors.toSet())).containsExactlyInAnyOrder("contracts", "invoices", "usage", "payments",
                    "provisioning");
            assertThat(secondExit).isEqualTo(ExitCodes.OK);
            assertThat(second.toString().lines()).singleElement().asString().isEqualTo("input topic(s) contracts,"
                    + " invoices, payments, provisioning, usage at " + kafka.bootstrapServers() + " already hold records:"
                    + " nothing generated or produced (--if-topics-empty)");
            assertThat(dir.resolve("second")).doesNotExist();
            assertThat(endOffsets(admin)).isEqualTo(loaded);
        }
    }

    private static int generate(TestBroker kafka, Path out, StringWriter stdout) {
        CommandLine cli = LeakwatchTools.commandLine();
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute("generate", "--accounts", "5", "--months", "2", "--out", out.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--if-topics-empty");
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        List<String> inputs = List.of("contracts", "invoices", "usage", "payments", "provisioning");
        Map<TopicPartition, OffsetSpec> request = admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS)
                .values().stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
