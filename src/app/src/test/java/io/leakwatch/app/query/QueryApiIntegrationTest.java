package io.leakwatch.app.query;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
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
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.stream.AccountProcessor;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account query API with two instances of the processor on one broker: each advertises its endpoint as
 * {@code application.server}; whichever instance is asked, an account is answered by the one that owns it and a
 * ranking holds the accounts of both.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QueryApiIntegrationTest {
    private static final String PREFIX = "queried.";
    private static final int ACCOUNTS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void shouldAnswerTheSameForEveryAccountWhicheverInstanceIsAskedWhenTwoInstancesShareTheWork() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig a = config(kafka, "a");
            TopologySettings settings = a.topologySettings();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(settings.topics());
            try (Instance one = new Instance(a); Instance two = new Instance(config(kafka, "b"))) {
                // Given two instances sharing the partitions, and accounts billed below their contract rate
                one.runner.start();
                two.runner.start();
                await(() -> one.state() == KafkaStreams.State.RUNNING && two.state() == KafkaStreams.State.RUNNING
                        && one.runner.streams().metadataForAllStreamsClients().size() == 2, "both instances running");
                produce(kafka, settings);
                await(() -> accounts().stream().allMatch(id -> openAlerts(get(one, "/api/accounts/" + id)) == 1),
                        "every account's alert visible");

                // Then both instances own some of the accounts
                Set<HostInfo> owners = new HashSet<>();
                for (String id : accounts()) {
                    owners.add(one.runner.streams().queryMetadataForKey(AccountProcessor.STATE, id,
                            Serdes.String().serializer()).activeHost());
                }
                assertThat(owners).containsExactlyInAnyOrder(one.self(), two.self());

                // When every account is asked of both, the answers are the same, whoever owns it
                for (String id : accounts()) {
                    HttpResponse<String> fromOne = get(one, "/api/accounts/" + id);
                    HttpResponse<String> fromTwo = get(two, "/api/accounts/" + id);
                    assertThat(fromOne.statusCode()).as(id).isEqualTo(200);
                    assertThat(fromTwo.statusCode()).as(id).isEqualTo(200);
                    assertThat(fromTwo.body()).as(id).isEqualTo(fromOne.body());
                    Map<String, Object> view = parse(fromOne.body());
                    assertThat(view).containsEntry("account_id", id);
                    assertThat(view.get("money_at_risk")).isEqualTo(List.of(Map.of("amount", "2.00", "currency", "USD")));
                }

                // And a ranking gathers the accounts of both instances, the same from either
                HttpResponse<String> top = get(one, "/api/top-accounts?by=money-at-risk&n=50");
                assertThat(top.statusCode()).isEqualTo(200);
                assertThat(get(two, "/api/top-accounts?by=money-at-risk&n=50").body()).isEqualTo(top.body());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> ranked = (List<Map<String, Object>>) parse(top.body()).get("accounts");
                assertThat(ranked).extracting(r -> r.get("account_id")).containsExactlyElementsOf(accounts());
                assertThat(parse(get(two, "/api/top-accounts?by=money-at-risk&n=3").body()).get("accounts"))
                        .asList().hasSize(3);

                // And the alerts and the overview hold both instances' accounts, the same from either
                HttpResponse<String> alerts = get(one, "/api/alerts?status=OPEN&limit=5");
                assertThat(alerts.statusCode()).isEqualTo(200);
                assertThat(get(two, "/api/alerts?status=OPEN&limit=5").body()).isEqualTo(alerts.body());
                assertThat(parse(alerts.body())).containsEntry("total", ACCOUNTS);
                assertThat(parse(alerts.body()).get("alerts")).asList().hasSize(5);
                HttpResponse<String> overview = get(two, "/api/overview");
                assertThat(overview.statusCode()).isEqualTo(200);
                assertThat(get(one, "/api/overview").body()).isEqualTo(overview.body());
                assertThat(parse(overview.body())).containsEntry("open_alerts", ACCOUNTS)
                        .containsEntry("money_at_risk", List.of(Map.of("amount", "24.00", "currency", "USD")));

                // And an unknown account and a bad parameter are told apart from a store that cannot answer
                assertThat(get(one, "/api/accounts/nobody").statusCode()).isEqualTo(404);
                assertThat(get(two, "/api/accounts/nobody").statusCode()).isEqualTo(404);
                HttpResponse<String> bad = get(two, "/api/top-accounts?by=charm");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("by must be risk or money-at-risk");
                assertThat(get(one, "/api/top-accounts?by=risk").statusCode()).as("scoring is off").isEqualTo(400);
            }
        }
    }

    @Test
    void shouldAnswerFromItsOwnStoresWhenOneInstanceAdvertisesNoEndpoint() throws Exception {
        try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) {
            LeakwatchConfig config = config(kafka, "alone").with(LeakwatchKeys.HTTP_ADVERTISED, "");
            TopologySettings settings = config.topologySettings();
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(settings.topics());
            try (Instance alone = new Instance(config)) {
                // Given the one instance of a deployment (the demo's), not advertised: Kafka Streams knows no host
                assertThat(get(alone, "/api/accounts/acct-00").statusCode()).as("not started").isEqualTo(503);
                alone.runner.start();
                produce(kafka, settings);

                // Then it answers every account and ranking from its own stores
                await(() -> accounts().stream().allMatch(id -> openAlerts(get(alone, "/api/accounts/" + id)) == 1),
                        "every account's alert visible");
                HttpResponse<String> top = get(alone, "/api/top-accounts?by=money-at-risk&n=5");
                assertThat(top.statusCode()).isEqualTo(200);
                assertThat(parse(top.body()).get("accounts")).asList().hasSize(5);
                assertThat(get(alone, "/api/accounts/nobody").statusCode()).isEqualTo(404);
            }
        }
    }

    /** acct-00 .. acct-11, in the order a ranking by money at risk gives them (equal amounts: by id). */
    private static List<String> accounts() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            ids.add(String.format("acct-%02d", i));
        }
        return ids;
    }

    /** One instance: its runner and its endpoint, advertised on the loopback at the port it serves. */
    private static final class Instance implements AutoCloseable {
        final RunMetrics metrics = new RunMetrics();
        final StreamsRunner runner;
        final HttpEndpoint endpoint;

        Instance(LeakwatchConfig config) {
            TopologySettings settings = config.topologySettings();
            runner = new StreamsRunner(config.kafkaProperties(),
                    metrics.instrument(settings, RiskScoringRuntime.open(config.scoring(), settings, false)))
                    .withMetrics(metrics.registry());
            endpoint = metrics.serve(config.http(), runner);
        }

        KafkaStreams.State state() {
            return runner.state();
        }

        HostInfo self() {
            return new HostInfo("127.0.0.1", endpoint.port());
        }

        @Override
        public void close() {
            runner.close();
            endpoint.close();
            metrics.close();
        }
    }

    private LeakwatchConfig config(TestBroker kafka, String instance) {
        LeakwatchConfig config = new LeakwatchConfig(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "queried",
                "state.dir", dir.resolve("state-" + instance).toString(),
                "metadata.max.age.ms", "1000",
                LeakwatchKeys.SCORING_ENABLED, "false",
                LeakwatchKeys.HTTP_BIND, "127.0.0.1",
                LeakwatchKeys.HTTP_PORT, "0",
                LeakwatchKeys.HTTP_ADVERTISED, "127.0.0.1",
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest"));
        for (String role : List.of("contracts", "invoices", "usage", "payments", "provisioning", "alert-feedback", "alerts", "alert-state",
                "account-risk", "account-features", "dead-letter", "labels")) {
            config = config.with(LeakwatchKeys.TOPIC_NAMES.prefix() + role, PREFIX + role);
        }
        return config;
    }

    /** Each account: a contract at 10 USD a seat, and a line billing 2 seats at 9 (2.00 USD under the contract). */
    private static void produce(TestBroker kafka, TopologySettings settings) throws Exception {
        BundledSchemaResolver schemas = new BundledSchemaResolver();
        String contracts = settings.topics().name(TopicCatalog.CONTRACTS);
        String invoices = settings.topics().name(TopicCatalog.INVOICES);
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (String id : accounts()) {
                producer.send(new ProducerRecord<>(contracts, id, WireFormat.JSON.codec(EventType.CONTRACT, contracts,
                        schemas).encode(contract(id, 1, "2026-01-01T00:00:00Z",
                        rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null))))).get();
                producer.send(new ProducerRecord<>(invoices, id, WireFormat.JSON.codec(EventType.INVOICE_LINE, invoices,
                        schemas).encode(line(id, "inv-" + id, "L1", "seats", "2026-03-01T00:00:00Z",
                        "2026-04-01T00:00:00Z", "2", "9", "18.00", "USD", "2026-04-01T06:00:00Z")))).get();
            }
        }
    }

    private static Map<String, Object> parse(String body) {
        try {
            return JSON.readValue(body, new TypeReference<>() { });
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static int openAlerts(HttpResponse<String> response) {
        return response.statusCode() != 200 ? -1 : ((List<?>) parse(response.body()).get("open_alerts")).size();
    }

    private HttpResponse<String> get(Instance instance, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(instance.endpoint.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(250);
        }
    }
}
