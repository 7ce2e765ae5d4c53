package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.cli.LeakwatchTools;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.StandingAlerts;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code backtest --bootstrap-servers}: a world produced to the input topics by the product's own producer path replays
 * from the topics into the same records, in the same order, as from its files, and so into the same standing alerts,
 * over the whole history and over a range; a range the topics no longer hold, or one with nothing in it, is refused.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TopicBacktestIntegrationTest {
    private static final Instant RANGE_FROM = Instant.parse("2024-04-01T00:00:00Z");
    private static final Instant RANGE_TO = Instant.parse("2024-07-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldReplayTheSameRecordsAndAlertsFromTopicsAsFromTheirFilesWholeAndByRange() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            // Given a world of 40 accounts and 8 months, in files and produced from them to the stock topics
            Path world = dir.resolve("world");
            WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(40, 8, 17)), world);
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled());
            new JsonLinesProducer(kafka.clientProperties(), TopicCatalog.bundled(), WireFormat.JSON)
                    .produce(world, Progress.silent());
            TopologySettings settings = LeakwatchConfig.defaults().topologySettings();
            Backtest backtest = new Backtest(settings);

            for (ReplayRange range : List.of(ReplayRange.ALL, new ReplayRange(RANGE_FROM, RANGE_TO))) {
                // When the history is read from the files and from the topics
                ReplayInput files = backtest.read(new JsonLinesSource(world, range));
                ReplayInput topics = backtest.read(new TopicSource(kafka.clientProperties(), WireFormat.JSON,
                        settings.schemas(), range, total -> Progress.silent()));

                // Then the records are the same, in the same order of event time and input, and of each account's own
                // records (accounts with records at the same instant may interleave otherwise: the topics do not know
                // the files' line numbers, and the replay does not depend on it)
                assertThat(order(topics)).as("event times and inputs of " + range).isEqualTo(order(files));
                assertThat(byAccount(topics)).as("each account's records of " + range).isEqualTo(byAccount(files));
                // and so are the alerts that stand at the end, by alert_id
                Map<String, Alert> fromFiles = StandingAlerts.byId(backtest.run(files, Progress.silent()).alerts());
                Map<String, Alert> fromTopics = StandingAlerts.byId(backtest.run(topics, Progress.silent()).alerts());
                assertThat(fromFiles).as("leakage to compare in " + range).hasSizeGreaterThan(5);
                assertThat(StandingAlerts.difference(fromFiles, fromTopics)).as("standing alerts of " + range).isEmpty();
                if (range.from() != null) {
                    assertThat(fromTopics.values()).as("nothing about business times before the range")
                            .allSatisfy(a -> assertThat(a.getEventTime()).isAfterOrEqualTo(RANGE_FROM));
                }
            }

            // and the command writes the same alerts.jsonl from the topics as from the files, leaving no consumer group
            String[] range = {"--from", "2024-04-01", "--to", "2024-07-01"};
            assertThat(backtest(concat(range, "--input", world.toString(), "--out", dir.resolve("bt-files").toString())).exit)
                    .isZero();
            Run fromTopics = backtest(concat(range, "--bootstrap-servers", kafka.bootstrapServers(),
                    "--out", dir.resolve("bt-topics").toString()));
            assertThat(fromTopics.exit).as(fromTopics.err).isZero();
            assertThat(Files.readString(dir.resolve("bt-topics/alerts.jsonl")))
                    .isEqualTo(Files.readString(dir.resolve("bt-files/alerts.jsonl")));
            assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS)).as("consumer groups").isEmpty();
        }
    }

    @Test
    void shouldRefuseARangeWhoseOldestRecordsWereDeletedAndARangeWithNothingInIt() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            // Given a small world on the topics, whose invoices of one partition lost their oldest records
            Path world = dir.resolve("world");
            WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(8, 4, 5)), world);
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled());
            new JsonLinesProducer(kafka.clientProperties(), TopicCatalog.bundled(), WireFormat.JSON)
                    .produce(world, Progress.silent());
            TopicPartition invoices = new TopicPartition("invoices", 0);
            admin.deleteRecords(Map.of(invoices, RecordsToDelete.beforeOffset(3))).all().get(30, TimeUnit.SECONDS);
            // the replay asks for the log start offset as a consumer does: wait until the broker answers it moved
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.listOffsets(Map.of(invoices, org.apache.kafka.clients.admin.OffsetSpec.earliest())).all()
                    .get(30, TimeUnit.SECONDS).get(invoices).offset() < 3) {
                assertThat(System.nanoTime()).as("the log start offset of invoices-0 moves to 3").isLessThan(deadline);
                Thread.sleep(100);
            }

            // When the history is replayed from its first month, and from a month after it
            Run lost = backtest("--bootstrap-servers", kafka.bootstrapServers(), "--from", "2024-01-01",
                    "--out", dir.resolve("lost").toString());
            Run empty = backtest("--bootstrap-servers", kafka.bootstrapServers(), "--from", "2030-01-01",
                    "--out", dir.resolve("empty").toString());

            // Then each is refused with one line, and nothing is written
            assertThat(lost.exit).as(lost.err).isEqualTo(2);
            assertThat(lost.err.lines()).singleElement().asString()
                    .startsWith("leakwatch backtest: the input topics no longer hold [2024-01-01T00:00:00Z, end of history):"
                            + " the oldest records of 1 partition(s) were deleted (retention or deleteRecords), e.g. invoices-0"
                            + " (log starts at offset 3, first held record at ")
                    .contains("; the earliest --from they all hold is ");
            assertThat(empty.exit).as(empty.err).isEqualTo(2);
            assertThat(empty.err.lines()).singleElement().asString().isEqualTo("leakwatch backtest: no record of the"
                    + " input topics (contracts, provisioning, usage, invoices, payments, alert-feedback) has a time in"
                    + " [2030-01-01T00:00:00Z, end of history): nothing to replay");
            assertThat(dir.resolve("lost")).doesNotExist();
            assertThat(dir.resolve("empty")).doesNotExist();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static List<String> order(ReplayInput input) {
        return input.records().stream().map(r -> r.timestamp() + " " + r.topic()).toList();
    }

    private static Map<String, List<String>> byAccount(ReplayInput input) {
        return input.records().stream().collect(Collectors.groupingBy(r -> r.topic() + " " + r.key(), TreeMap::new,
                Collectors.mapping(r -> r.timestamp() + " " + new String(r.value(), StandardCharsets.UTF_8),
                        Collectors.toList())));
    }

    private static Run backtest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LeakwatchTools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(concat(new String[] {"backtest"}, args));
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
