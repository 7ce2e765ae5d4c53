package io.leakwatch.app.query;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.app.RunMetrics;
import io.leakwatch.app.StreamsRunner;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Alert feedback through a running processor: a POST to the run's endpoint comes back as the alert's next record. */
@BrokerBacked
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FeedbackIntegrationTest {
    private static final String ACCOUNT = "acct-07";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripAFalsePositiveFromThePostToTheAlertsTopic() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = config(kafka);
            TopologySettings settings = config.topologySettings();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(settings.topics());
            RunMetrics metrics = new RunMetrics();
            StreamsRunner runner = new StreamsRunner(config.kafkaProperties(),
                    metrics.instrument(settings, RiskScoringRuntime.open(config.scoring(), settings, false)))
                    .withMetrics(metrics.registry());
            try (metrics; runner; HttpEndpoint endpoint = metrics.serve(config.http(), runner);
                 KafkaConsumer<String, byte[]> alerts = alertsConsumer(kafka, settings)) {
                // Given a running processor and an account billed below its contract
                runner.start();
                produce(kafka, settings);
                List<Alert> seen = new ArrayList<>();
                EventCodec<Alert> codec = settings.wireFormat().codec(EventType.ALERT,
                        settings.topics().name(TopicCatalog.ALERTS), settings.schemas());
                Alert raised = await(alerts, codec, seen, a -> a.getType().equals("RATE_MISMATCH"), "the alert raised");

                // When someone marks it a false positive on the run's endpoint
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint.url()
                                + "/api/alerts/" + raised.getAlertId() + "/feedback"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"account_id\": \"" + ACCOUNT + "\", \"action\":"
                                + " \"FALSE_POSITIVE\", \"comment\": \"the customer has a side letter\", \"by\": \"Dana\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());

                // Then it is taken, and the alert's next record says so
                assertThat(response.statusCode()).isEqualTo(202);
                JsonNode echo = JSON.readTree(response.body());
                assertThat(echo.path("alert_id").asText()).isEqualTo(raised.getAlertId());
                Alert marked = await(alerts, codec, seen, a -> a.getAlertId().equals(raised.getAlertId())
                        && a.getStatus() == AlertStatus.FALSE_POSITIVE, "the false positive applied");
                assertThat(marked.getRevision()).isEqualTo(raised.getRevision() + 1);
                assertThat(marked.getStatusReason())
                        .isEqualTo("Marked a false positive by Dana: the customer has a side letter.");
                assertThat(marked.getDetectedAt()).isEqualTo(Instant.parse(echo.path("given_at").asText()));
            }
        }
    }

    private LeakwatchConfig config(TestBroker kafka) {
        return new LeakwatchConfig(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "feedback",
                "state.dir", dir.resolve("state").toString(),
                LeakwatchKeys.SCORING_ENABLED, "false",
                LeakwatchKeys.HTTP_BIND, "127.0.0.1",
                LeakwatchKeys.HTTP_PORT, "0",
                StreamsConfig_AUTO_OFFSET_RESET, "earliest"));
    }

    private static final String StreamsConfig_AUTO_OFFSET_RESET =
            org.apache.kafka.streams.StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);

    /** A contract at 10 USD a seat, and a line billing 2 seats at 9. */
    private static void produce(TestBroker kafka, TopologySettings settings) throws Exception {
        BundledSchemaResolver schemas = new BundledSchemaResolver();
        String contracts = settings.topics().name(TopicCatalog.CONTRACTS);
        String invoices = settings.topics().name(TopicCatalog.INVOICES);
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(contracts, ACCOUNT, WireFormat.JSON.codec(EventType.CONTRACT, contracts,
                    schemas).encode(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                    rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null))))).get();
            producer.send(new ProducerRecord<>(invoices, ACCOUNT, WireFormat.JSON.codec(EventType.INVOICE_LINE, invoices,
                    schemas).encode(line(ACCOUNT, "inv-1", "L1", "seats", "2026-03-01T00:00:00Z",
                    "2026-04-01T00:00:00Z", "2", "9", "18.00", "USD", "2026-04-01T06:00:00Z")))).get();
        }
    }

    private static KafkaConsumer<String, byte[]> alertsConsumer(TestBroker kafka, TopologySettings settings) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "feedback-test-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(settings.topics().name(TopicCatalog.ALERTS)));
        return consumer;
    }

    private static Alert await(KafkaConsumer<String, byte[]> consumer, EventCodec<Alert> codec, List<Alert> seen,
                               java.util.function.Predicate<Alert> wanted, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
        while (true) {
            for (Alert a : seen) {
                if (wanted.test(a)) {
                    return a;
                }
            }
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                seen.add(codec.decode(r.value()));
            }
        }
    }
}
