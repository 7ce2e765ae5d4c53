package io.leakwatch.app;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.registry.ForeignProducer;
import io.leakwatch.registry.RegistrySchemaResolver;
import io.leakwatch.registry.SchemaRegistrySettings;
import io.leakwatch.registry.StandInRegistry;
import io.leakwatch.serde.AvroFramedCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.testing.CommittedRecords;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry mode on a real broker: another registry-aware producer writes input events framed with the ids its
 * registry handed out for its own versions of our schemas (the stand-in registry, whose ids 1-9 mean unrelated
 * schemas); the production runner reads them into the expected alert, writes its alerts with ids the same registry
 * handed out, and dead-letters a record whose id the registry does not know.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SchemaRegistryIntegrationTest {
    private static final String ACCOUNT = "acct-reg-1";
    private static final Contract CONTRACT = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
            rate("seats", "12.50", "USD", "2026-01-01T00:00:00Z", null));
    /** Billed at 13.00 where the contract says 12.50: a RATE_MISMATCH of 10 x 0.50 over-billed. */
    private static final InvoiceLine OVERBILLED = line(ACCOUNT, "inv-1", "L1", "seats", "2026-02-01T00:00:00Z",
            "2026-03-01T00:00:00Z", "10", "13.00", "130.00", "USD", "2026-03-01T06:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldReadAnotherProducersRegistryIdsAndWriteAlertsWithIdsTheRegistryHandsOut() throws Exception {
        Schema theirContract = ForeignProducer.reorderedWithExtraField(Contract.getClassSchema(), "crm_id");
        Schema theirLine = ForeignProducer.reorderedWithExtraField(InvoiceLine.getClassSchema(), "sales_channel");
        try (StandInRegistry registry = StandInRegistry.start(1001);
             TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            for (int id = 1; id <= 9; id++) {   // the bundled ids mean something else in this registry
                registry.with("unrelated-value", id, SchemaBuilder.record("Unrelated" + id).namespace("com.example")
                        .fields().requiredString("x").endRecord());
            }
            registry.with("contracts-value", 2001, theirContract).with("invoices-value", 2002, theirLine);
            LeakwatchConfig config = new LeakwatchConfig(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "leakwatch-registry-it",
                    "state.dir", dir.resolve("state").toString(),
                    "commit.interval.ms", "100",
                    StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest",
                    LeakwatchKeys.WIRE_FORMAT, "avro",
                    LeakwatchKeys.REGISTRY_URL, registry.url().toString(),
                    LeakwatchKeys.SCORING_ENABLED, "false"));
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());

            // Given another producer's records, in its own schema versions under its registry's ids
            Properties producer = kafka.clientProperties();
            try (KafkaProducer<byte[], byte[]> foreign =
                         new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
                send(foreign, "contracts", CONTRACT.getSignedAt(), ForeignProducer.framed(2001, theirContract, CONTRACT, "crm-7"));
                send(foreign, "invoices", OVERBILLED.getIssuedAt(), ForeignProducer.framed(2002, theirLine, OVERBILLED, "web"));
                send(foreign, "invoices", OVERBILLED.getIssuedAt(), ForeignProducer.framed(4242, theirLine, OVERBILLED, null));
                foreign.flush();
            }

            // When the production runner processes them in registry mode
            List<ConsumerRecord<byte[], byte[]>> alerts;
            List<ConsumerRecord<byte[], byte[]>> dead;
            try (StreamsRunner runner = new StreamsRunner(config.kafkaProperties(), config.topologySettings())) {
                runner.start();
                Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
                do {
                    Thread.sleep(500);
                    List<ConsumerRecord<byte[], byte[]>> read =
                            CommittedRecords.readAll(kafka.clientProperties(), List.of("alerts", "dead-letter"));
                    alerts = read.stream().filter(r -> r.topic().equals("alerts")).toList();
                    dead = read.stream().filter(r -> r.topic().equals("dead-letter")).toList();
                } while ((alerts.isEmpty() || dead.isEmpty()) && Instant.now().isBefore(deadline));
            }

            // Then the mismatch is found in the foreign records, as our own would have shown it
            assertThat(alerts).singleElement().satisfies(r -> {
                int id = ByteBuffer.wrap(r.value(), 1, 4).getInt();
                // ... written with the id the registry gave our Alert schema under alerts-value
                assertThat(registry.versions("alerts-value")).containsExactly(id);
                assertThat(registry.schema(id)).contains(Alert.getClassSchema());
                Alert alert = new AvroFramedCodec<>(EventType.ALERT, "alerts", new RegistrySchemaResolver(
                        SchemaRegistrySettings.of(registry.url()))).decode(r.value());
                assertThat(alert.getType()).isEqualTo("RATE_MISMATCH");
                assertThat(alert.getAccountId()).isEqualTo(ACCOUNT);
                assertThat(alert.getAmount().abs()).isEqualByComparingTo(new BigDecimal("5.00"));
            });
            assertThat(registry.versions("alert-state-value")).hasSize(1);
            // ... and the record whose id the registry does not know is a dead letter saying so
            assertThat(dead).singleElement().satisfies(r -> assertThat(new String(
                    r.headers().lastHeader(DeadLetterHeaders.DETAIL).value(), StandardCharsets.UTF_8))
                    .contains("schema id 4242 is not in the schema registry at " + registry.url()));
        }
    }

    @Test
    void shouldRefuseToRunInOneLineWhenTheRegistryIsUnreachable() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = new LeakwatchConfig(Map.of("bootstrap.servers", kafka.bootstrapServers()));
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());
            Path file = java.nio.file.Files.writeString(dir.resolve("leakwatch.properties"), String.join("\n",
                    "bootstrap.servers=" + kafka.bootstrapServers(),
                    "application.id=leakwatch-registry-down",
                    "state.dir=" + dir.resolve("state"),
                    "leakwatch.scoring.enabled=false",
                    "leakwatch.wire.format=avro",
                    "leakwatch.schema-registry.url=http://127.0.0.1:" + port,
                    "leakwatch.schema-registry.basic-auth.user-info=leakwatch:pw-never-shown"));
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cli = io.leakwatch.cli.LeakwatchCommand.commandLine();
            cli.setErr(new java.io.PrintWriter(err));

            int exit = cli.execute("run", "--config", file.toString());

            assertThat(exit).as(err.toString()).isEqualTo(3);
            assertThat(err.toString()).doesNotContain("pw-never-shown");
            List<String> lines = err.toString().strip().lines().toList();
            assertThat(lines.get(lines.size() - 1)).startsWith("leakwatch run: schema registry http://127.0.0.1:"
                    + port + " is unreachable (ConnectException");
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Instant time, byte[] value) {
        producer.send(new ProducerRecord<>(topic, null, time.toEpochMilli(), ACCOUNT.getBytes(StandardCharsets.UTF_8),
                value));
    }
}
