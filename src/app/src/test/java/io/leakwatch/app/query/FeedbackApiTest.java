package io.leakwatch.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.app.http.Health;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.FeedbackAction;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /api/alerts/{alert_id}/feedback against a mock producer: what is refused, what is written. */
class FeedbackApiTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:15:30Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final EventCodec<AlertFeedback> codec =
            WireFormat.JSON.codec(EventType.ALERT_FEEDBACK, "alert-feedback", new BundledSchemaResolver());
    private final FeedbackApi api = new FeedbackApi(() -> producer, "alert-feedback", codec,
            Clock.fixed(NOW, ZoneOffset.UTC), () -> "fb-1", Duration.ofSeconds(1));
    private final HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, "test.port",
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), up(), up(), List.of(), FeedbackApi.index(), config -> api.addTo(config.routes));

    private static Health up() {
        return () -> Health.Status.up("RUNNING", Map.of());
    }

    @AfterEach
    void close() {
        endpoint.close();
        api.close();
    }

    private HttpResponse<String> post(String alertId, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/api/alerts/" + alertId + "/feedback"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error").asText();
    }

    @Test
    void shouldWriteTheFeedbackKeyedByAccountAndAnswer202WithItsRecord() throws Exception {
        HttpResponse<String> response = post("a1b2", "{\"account_id\": \"acct-00165\", \"action\": \"FALSE_POSITIVE\","
                + " \"comment\": \"the customer has a side letter\", \"by\": \"Dana\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"feedback_id\":\"fb-1\",\"alert_id\":\"a1b2\",\"account_id\":\"acct-00165\","
                + "\"action\":\"FALSE_POSITIVE\",\"comment\":\"the customer has a side letter\",\"by\":\"Dana\","
                + "\"given_at\":\"2026-12-07T10:15:30Z\"}");
        ProducerRecord<String, byte[]> written = producer.history().get(0);
        assertThat(producer.history()).hasSize(1);
        assertThat(written.topic()).isEqualTo("alert-feedback");
        assertThat(written.key()).isEqualTo("acct-00165");
        assertThat(written.timestamp()).isEqualTo(NOW.toEpochMilli());
        AlertFeedback decoded = codec.decode(written.value());
        assertThat(decoded.getAction()).isEqualTo(FeedbackAction.FALSE_POSITIVE);
        assertThat(decoded.getAlertId()).isEqualTo("a1b2");
        assertThat(decoded.getGivenAt()).isEqualTo(NOW);
    }

    @Test
    void shouldAcceptAnAcknowledgementWithoutAComment() throws Exception {
        HttpResponse<String> response = post("a1b2", "{\"account_id\": \"acct-1\", \"action\": \"ACKNOWLEDGE\", \"by\": \"Dana\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("comment").isNull()).isTrue();
    }

    @Test
    void shouldRefuseAnUnknownActionWith400AndWriteNothing() throws Exception {
        HttpResponse<String> response = post("a1b2", "{\"account_id\": \"acct-1\", \"action\": \"IGNORE\", \"by\": \"Dana\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("action must be ACKNOWLEDGE, RESOLVE or FALSE_POSITIVE, not \"IGNORE\"");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseFeedbackWithoutAnAccountWith400() throws Exception {
        HttpResponse<String> response = post("a1b2", "{\"action\": \"RESOLVE\", \"by\": \"Dana\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("account_id is missing: say which account the alert belongs to");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAFalsePositiveWithoutACommentWith400() throws Exception {
        HttpResponse<String> response = post("a1b2",
                "{\"account_id\": \"acct-1\", \"action\": \"FALSE_POSITIVE\", \"comment\": \"  \", \"by\": \"Dana\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("a false positive needs a comment saying why");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseABodyThatIsNotAJsonObjectOrLacksWhoDecidedWith400() throws Exception {
        assertThat(error(post("a1b2", "not json"))).isEqualTo(
                "the body must be a JSON object with account_id, action, comment and by");
        assertThat(error(post("a1b2", "{\"account_id\": \"acct-1\", \"action\": \"RESOLVE\"}")))
                .isEqualTo("by is missing: say who decides");
        assertThat(error(post("a1b2", "{\"account_id\": 7, \"action\": \"RESOLVE\", \"by\": \"Dana\"}")))
                .isEqualTo("account_id must be a string");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseFeedbackOnAnUnattributedRevenueAlertWith400() throws Exception {
        HttpResponse<String> response = post("a1b2",
                "{\"account_id\": \"UNATTRIBUTED\", \"action\": \"RESOLVE\", \"by\": \"Dana\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).startsWith("feedback on UNATTRIBUTED_REVENUE alerts is not taken");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldAnswer503WhenTheRecordCannotBeWritten() throws Exception {
        MockProducer<String, byte[]> failing =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        FeedbackApi refusing = new FeedbackApi(() -> failing, "alert-feedback", codec, Clock.fixed(NOW, ZoneOffset.UTC),
                () -> "fb-2", Duration.ofMillis(200));

        QueryApi.Answer answer = refusing.submit("a1b2",
                "{\"account_id\": \"acct-1\", \"action\": \"RESOLVE\", \"by\": \"Dana\"}");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(String.valueOf(((Map<?, ?>) answer.body()).get("error")))
                .startsWith("the feedback could not be written to topic alert-feedback");
    }

    @Test
    void shouldProduceIdempotentlyWithTheRunsClientSettingsOnly() {
        Properties run = new Properties();
        run.put("bootstrap.servers", "broker:9093");
        run.put("security.protocol", "SASL_SSL");
        run.put("application.id", "leakwatch");
        run.put("processing.guarantee", "exactly_once_v2");

        Properties p = FeedbackApi.producerProperties(run);

        assertThat(p).containsEntry("bootstrap.servers", "broker:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("client.id", "leakwatch-feedback").doesNotContainKey("processing.guarantee")
                .doesNotContainKey("application.id");
    }
}
