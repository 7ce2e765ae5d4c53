package io.leakwatch.app;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.CommittedRecords;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}'s HTTP endpoint against a real broker: readiness goes from 503 to 200 as the processor starts, and a
 * scrape of {@code /metrics} shows Leakwatch's meters with the values of what the topics received, beside the Kafka
 * Streams and JVM meters.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunEndpointIntegrationTest {
    private static final String PREFIX = "observed.";
    private static final String ACCOUNT = "acct-1";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void shouldServeReadinessAndMetricsThatMatchWhatTheTopicsReceived() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = config(kafka);
            TopologySettings settings = config.topologySettings();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(settings.topics());
            try (RunMetrics metrics = new RunMetrics();
                 StreamsRunner runner = new StreamsRunner(config.kafkaProperties(),
                         metrics.instrument(settings, RiskScoringRuntime.open(config.scoring(), settings, false)))
                         .withMetrics(metrics.registry());
                 HttpEndpoint endpoint = metrics.serve(config.http(), runner)) {
                // Given the endpoint up before the processor starts: live, not ready
                assertThat(get(endpoint, HttpEndpoint.LIVE).statusCode()).isEqualTo(200);
                HttpResponse<String> notReady = get(endpoint, HttpEndpoint.READY);
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(notReady.body()).contains("\"status\":\"DOWN\"").contains("not RUNNING");

                // When it starts, it becomes ready
                runner.start();
                await(() -> get(endpoint, HttpEndpoint.READY).statusCode() == 200, "ready");
                assertThat(get(endpoint, HttpEndpoint.READY).body()).contains("\"status\":\"UP\"")
                        .contains("\"state\":\"RUNNING\"");

                // When a contract, a line billed below its rate and a record that is no event arrive
                produce(kafka, settings);
                String invoices = settings.topics().name(TopicCatalog.INVOICES);
                String contracts = settings.topics().name(TopicCatalog.CONTRACTS);
                await(() -> value(scrape(endpoint), "leakwatch_records_in_total", "topic", invoices) == 2
                        && value(scrape(endpoint), "leakwatch_records_in_total", "topic", contracts) == 1
                        && value(scrape(endpoint), "leakwatch_dead_letters_total", "reason", "deserialization") == 1
                        && !alerts(kafka, settings).isEmpty(), "counted");

                // Then the meters hold what the alerts topic holds
                List<Alert> alerts = alerts(kafka, settings);
                String text = scrape(endpoint);
                for (Alert alert : alerts) {
                    String name = alert.getStatus() == AlertStatus.WITHDRAWN ? "leakwatch_alerts_withdrawn_total"
                            : alert.getRevision() == 1 ? "leakwatch_alerts_raised_total" : "leakwatch_alerts_revised_total";
                    long expected = alerts.stream().filter(a -> a.getType().equals(alert.getType())
                            && a.getSeverity() == alert.getSeverity() && a.getStatus() == alert.getStatus()
                            && (a.getRevision() == 1) == (alert.getRevision() == 1)).count();
                    assertThat(value(text, name, "type", alert.getType(), "severity",
                            alert.getSeverity().name().toLowerCase())).as(name + " " + alert.getType())
                            .isEqualTo(expected);
                }
                assertThat(alerts).extracting(Alert::getType).contains("RATE_MISMATCH");
                assertThat(text).contains("leakwatch_late_records_total 0.0")
                        .contains("# TYPE leakwatch_money_at_risk_raised_total counter")
                        .containsPattern("(?m)^kafka_stream_\\w+")
                        .containsPattern("(?m)^kafka_consumer_\\w+")
                        .containsPattern("(?m)^jvm_memory_used_bytes\\{")
                        .containsPattern("(?m)^process_cpu_usage ");
            }
        }
    }

    private LeakwatchConfig config(TestBroker kafka) {
        LeakwatchConfig config = new LeakwatchConfig(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "observed",
                "state.dir", dir.resolve("state").toString(),
                "metadata.max.age.ms", "1000",
                LeakwatchKeys.SCORING_ENABLED, "false",
                LeakwatchKeys.HTTP_BIND, "127.0.0.1",
                LeakwatchKeys.HTTP_PORT, "0",
                LeakwatchKeys.READINESS_MAX_LAG, "0",
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest"));
        for (String role : List.of("contracts", "invoices", "usage", "payments", "provisioning", "alert-feedback", "alerts", "alert-state",
                "account-risk", "account-features", "dead-letter", "labels")) {
            config = config.with(LeakwatchKeys.TOPIC_NAMES.prefix() + role, PREFIX + role);
        }
        return config;
    }

    private static void produce(TestBroker kafka, TopologySettings settings) throws Exception {
        BundledSchemaResolver schemas = new BundledSchemaResolver();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(settings.topics().name(TopicCatalog.CONTRACTS), ACCOUNT,
                    WireFormat.JSON.codec(EventType.CONTRACT, settings.topics().name(TopicCatalog.CONTRACTS), schemas).encode(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                            rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null))))).get();
            producer.send(new ProducerRecord<>(settings.topics().name(TopicCatalog.INVOICES), ACCOUNT,
                    WireFormat.JSON.codec(EventType.INVOICE_LINE, settings.topics().name(TopicCatalog.INVOICES), schemas).encode(line(ACCOUNT, "inv-1", "L1", "seats",
                            "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "3", "8", "24.00", "USD",
                            "2026-04-01T06:00:00Z")))).get();
            producer.send(new ProducerRecord<>(settings.topics().name(TopicCatalog.INVOICES), ACCOUNT,
                    "not an event".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static List<Alert> alerts(TestBroker kafka, TopologySettings settings) {
        var codec = WireFormat.JSON.codec(EventType.ALERT, settings.topics().name(TopicCatalog.ALERTS), new BundledSchemaResolver());
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.readAll(kafka.clientProperties(),
                settings.topics().name(TopicCatalog.ALERTS))) {
            try {
                alerts.add(codec.decode(r.value()));
            } catch (EventDecodingException e) {
                throw new AssertionError(e);
            }
        }
        return alerts;
    }

    private HttpResponse<String> get(HttpEndpoint endpoint, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String scrape(HttpEndpoint endpoint) {
        HttpResponse<String> response = get(endpoint, HttpEndpoint.METRICS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return response.body();
    }

    /** The value of the sample {@code name} with these labels (among others) in a scrape; -1 when there is none. */
    static double value(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(250);
        }
    }
}
