package io.leakwatch.app;

import io.leakwatch.backtest.JsonLinesProducer;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.labels.LabelledFinding;
import io.leakwatch.backtest.Scorecard;
import io.leakwatch.broker.EmbeddedKafka;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker: topics from the catalog, a generated world produced with business timestamps
 * in the Avro wire format, the production runner with exactly-once, and the alerts topic read back.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LeakwatchIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void shouldAlertEveryInjectedErrorOnceAndNothingElse() throws Exception {
        World world = WorldGenerator.generate(GeneratorOptions.defaults(120, 8, 5)
                // Issue-3 leakage needs the issue-3 detectors; until they are merged only the line errors are judged.
);
        WorldFiles.write(world, dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = new LeakwatchConfig(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "leakwatch-it",
                    "state.dir", dir.resolve("state").toString(),
                    "commit.interval.ms", "100",
                    // a task waits for an input partition that still has records to fetch at most this long before
                    // it processes the others out of event-time order; the production second was once too short on
                    // a loaded CI machine (two RATE_MISMATCH missed, most likely lines taken before their contract)
                    StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "10000",
                    StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest",
                    LeakwatchConfig.WIRE_FORMAT, "avro"));
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());
            Map<String, Long> produced = new JsonLinesProducer(config.kafkaProperties(), config.catalog(), WireFormat.AVRO)
                    .produce(dir, Progress.silent());
            long total = produced.values().stream().mapToLong(Long::longValue).sum();

            try (StreamsRunner runner = new StreamsRunner(config.kafkaProperties(), config.topologySettings())) {
                runner.start();
                List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
                List<ConsumerRecord<String, byte[]>> alertRecords = new ArrayList<>();
                consumeUntil(kafka, List.of("alerts", "dead-letter"), r -> {
                    (r.topic().equals("alerts") ? alertRecords : dead).add(r);
                    return alertRecords.size() >= world.labels().size() && dead.size() >= world.badRecords().size();
                });
                // Then wait for the processor to commit the whole input, and make sure nothing more arrives.
                awaitCommitted(admin, produced.keySet(), total);
                consumeUntil(kafka, List.of("alerts"), r -> false, alertRecords.size(), alertRecords);

                EventCodec<Alert> codec = WireFormat.AVRO.codec(EventType.ALERT, config.topologySettings().schemas());
                List<Alert> alerts = new ArrayList<>();
                for (var r : alertRecords) {
                    alerts.add(codec.decode(r.value()));
                    assertThat(r.key()).isEqualTo(alerts.get(alerts.size() - 1).getAccountId());
                }
                List<LabelledFinding> labels = LabelledFinding.read(dir.resolve("labels.jsonl"));
                Scorecard score = Scorecard.score(alerts, labels);
                assertThat(labels).isNotEmpty();
                // The exact check is BacktestTest (one partition, strict event-time order). Live, the five inputs of
                // a task are merged in event-time order only as far as max.task.idle.ms lets the task wait for an
                // idle partition, so on a loaded machine a record stamped exactly at a deadline can occasionally
                // lose the race: allow at most one miss or extra per type, and none for the per-line checks.
                score.perType().values().forEach(s -> {
                    int allowed = java.util.Set.of("RATE_MISMATCH", "CHARGE_ARITHMETIC").contains(s.type()) ? 0 : 1;
                    assertThat(s.fp()).as(s.type() + " false positives").isLessThanOrEqualTo(allowed);
                    assertThat(s.fn()).as(s.type() + " false negatives").isLessThanOrEqualTo(allowed);
                    assertThat(s.tp()).as(s.type() + " found").isGreaterThanOrEqualTo(s.tp() + s.fn() - allowed);
                });
                int labelled = score.perType().values().stream().mapToInt(s -> s.tp() + s.fn()).sum();
                int found = score.perType().values().stream().mapToInt(Scorecard.TypeScore::tp).sum();
                assertThat((double) found / labelled).as("overall recall").isGreaterThanOrEqualTo(0.97);
                assertThat(dead).hasSize(world.badRecords().size()).allSatisfy(r -> {
                    assertThat(r.headers().lastHeader(DeadLetterHeaders.REASON)).isNotNull();
                    assertThat(r.headers().lastHeader(DeadLetterHeaders.SOURCE_OFFSET)).isNotNull();
                });
            }
        }
    }

    private static void awaitCommitted(Admin admin, java.util.Set<String> inputs, long total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            long committed = admin.listConsumerGroupOffsets("leakwatch-it").partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).entrySet().stream()
                    .filter(e -> inputs.contains(e.getKey().topic()))
                    .mapToLong(e -> e.getValue().offset()).sum();
            if (committed >= total) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the processor did not commit all " + total + " input records in time");
    }

    private static void consumeUntil(EmbeddedKafka kafka, List<String> topics,
                                     java.util.function.Predicate<ConsumerRecord<String, byte[]>> done) {
        consumeUntil(kafka, topics, done, 0, null);
    }

    /** Reads committed records of the topics from the start until {@code done} or 60 s / 3 s of silence. */
    private static void consumeUntil(EmbeddedKafka kafka, List<String> topics,
                                     java.util.function.Predicate<ConsumerRecord<String, byte[]>> done,
                                     int skipAlreadySeen, List<ConsumerRecord<String, byte[]>> extra) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long lastRecord = System.nanoTime();
            int seen = 0;
            Map<String, Integer> perTopic = new HashMap<>();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    lastRecord = System.nanoTime();
                    perTopic.merge(r.topic(), 1, Integer::sum);
                    if (extra != null) {
                        if (++seen > skipAlreadySeen) {
                            extra.add(r);
                        }
                        continue;
                    }
                    if (done.test(r)) {
                        return;
                    }
                }
                if (extra != null && System.nanoTime() - lastRecord > TimeUnit.SECONDS.toNanos(3)) {
                    return;
                }
            }
        }
    }
}
