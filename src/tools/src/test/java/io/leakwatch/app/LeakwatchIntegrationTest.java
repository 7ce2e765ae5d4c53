package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.backtest.JsonLinesProducer;
import io.leakwatch.backtest.Scorecard;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.demo.ProcessingWatcher;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.labels.LabelledFinding;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.testing.CommittedRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker: topics from the catalog, a generated world produced with business timestamps
 * in the Avro wire format, the production runner with exactly-once, and the alerts topic read back.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LeakwatchIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void shouldAlertEveryInjectedErrorOnceAndNothingElse() throws Exception {
        World world = WorldGenerator.generate(GeneratorOptions.defaults(120, 8, 5));
        WorldFiles.write(world, dir);
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = new LeakwatchConfig(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "leakwatch-it",
                    "state.dir", dir.resolve("state").toString(),
                    "commit.interval.ms", "100",
                    StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest",
                    LeakwatchKeys.WIRE_FORMAT, "avro"));
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());
            new JsonLinesProducer(config.kafkaProperties(), config.catalog(), WireFormat.AVRO).produce(dir, Progress.silent());

            Set<String> inputs = LeakwatchTopology.sourceTopics(LeakwatchTopology.build(config.topologySettings()));
            ProcessingWatcher watcher = new ProcessingWatcher(admin, "leakwatch-it", inputs);
            try (StreamsRunner runner = new StreamsRunner(config.kafkaProperties(), config.topologySettings())) {
                runner.start();
                // When the processor has read everything and re-judged every account that got a late record
                assertThat(watcher.awaitSettled(runner.streams(), Duration.ofMillis(2500), Duration.ofSeconds(120)))
                        .as("input consumed and no account awaiting a replay").isTrue();
            }
            List<ConsumerRecord<byte[], byte[]>> read = CommittedRecords.readAll(kafka.clientProperties(), List.of("alerts", "dead-letter"));
            List<ConsumerRecord<byte[], byte[]>> alertRecords = read.stream().filter(r -> r.topic().equals("alerts")).toList();
            List<ConsumerRecord<byte[], byte[]>> dead = read.stream().filter(r -> r.topic().equals("dead-letter")).toList();

            // Then the alerts that stand are exactly the labelled leakage, amounts included: live, records of one
            // account reach its task in whatever order the partitions are fetched, and what was judged before a
            // late record arrived is judged again (raised, revised or withdrawn), so the answer is the backtest's
            EventCodec<Alert> codec = WireFormat.AVRO.codec(EventType.ALERT, config.catalog().name(TopicCatalog.ALERTS), config.topologySettings().schemas());
            List<Alert> alerts = new ArrayList<>();
            for (var r : alertRecords) {
                alerts.add(codec.decode(r.value()));
                assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(alerts.get(alerts.size() - 1).getAccountId());
            }
            AlertLog log = AlertLog.of(alerts);
            List<LabelledFinding> labels = LabelledFinding.read(dir.resolve("labels.jsonl"));
            Scorecard score = Scorecard.score(log.standing(), labels);
            assertThat(labels).isNotEmpty();
            score.perType().values().forEach(s -> {
                assertThat(s.fn()).as(s.type() + " false negatives").isZero();
                if (!s.type().startsWith("REVENUE_")) {     // a revenue label's amount is the shape's, not the rule's
                    assertThat(s.fp()).as(s.type() + " false positives").isZero();
                    assertThat(s.amountMismatches()).as(s.type() + " amounts").isZero();
                }
            });
            // the revenue labels say what was injected, not every move the world makes on its own: acct-00110's
            // revenue falls 36% in 2024-08 (USD 178), a real drop no shape put there
            assertThat(score.perType().values().stream().filter(s -> s.type().startsWith("REVENUE_"))
                    .mapToInt(Scorecard.TypeScore::fp).sum()).as("unlabelled revenue alerts").isLessThanOrEqualTo(1);
            assertThat(dead).hasSize(world.badRecords().size()).allSatisfy(r -> {
                assertThat(r.headers().lastHeader(DeadLetterHeaders.REASON)).isNotNull();
                assertThat(r.headers().lastHeader(DeadLetterHeaders.SOURCE_OFFSET)).isNotNull();
            });
        }
    }
}
