package io.leakwatch.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.app.http.Health;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query API's answers that need no stream processor: before it starts, and to bad parameters. */
class QueryApiTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static HttpEndpoint endpoint() {
        TopologySettings settings = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver());
        QueryApi api = new QueryApi(() -> null, settings, Duration.ofSeconds(1));
        Health up = () -> Health.Status.up("RUNNING", Map.of());
        return HttpEndpoint.start("127.0.0.1", 0, "test.port", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                up, up, List.of(), QueryApi.index(), config -> api.addTo(config.routes));
    }

    private HttpResponse<String> get(HttpEndpoint endpoint, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer503WithAReasonAndRetryAfterBeforeTheProcessorStarts() throws Exception {
        try (HttpEndpoint endpoint = endpoint()) {
            HttpResponse<String> response = get(endpoint, "/api/accounts/acct-1");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(response.body()).isEqualTo(
                    "{\"status\":503,\"error\":\"the stream processor has not started yet: try again shortly\"}");
        }
    }

    @Test
    void shouldRefuseABadRankingWith400BeforeAskingAnyStore() throws Exception {
        try (HttpEndpoint endpoint = endpoint()) {
            assertThat(get(endpoint, "/api/top-accounts").body()).contains("by must be risk or money-at-risk, not missing");
            assertThat(get(endpoint, "/api/top-accounts?by=money-at-risk&n=0").statusCode()).isEqualTo(400);
            assertThat(get(endpoint, "/api/top-accounts?by=money-at-risk&n=1001").body())
                    .contains("n must be a whole number from 1 to 1000");
            HttpResponse<String> risk = get(endpoint, "/api/top-accounts?by=risk");
            assertThat(risk.statusCode()).isEqualTo(400);
            assertThat(risk.body()).contains("risk scoring is off");
        }
    }

    @Test
    void shouldListTheApiInTheEndpointsIndex() throws Exception {
        try (HttpEndpoint endpoint = endpoint()) {
            assertThat(get(endpoint, "/").body()).contains("\"account\":\"/api/accounts/{id}\"")
                    .contains("\"metrics\":\"/metrics\"");
        }
    }

    @Test
    void shouldRefuseABadAlertListingWith400AndAnswerTheOverview503BeforeTheProcessorStarts() throws Exception {
        try (HttpEndpoint endpoint = endpoint()) {
            HttpResponse<String> status = get(endpoint, "/api/alerts?status=CLOSED");
            assertThat(status.statusCode()).isEqualTo(400);
            assertThat(status.body()).contains("status must be one or more of OPEN, WITHDRAWN, ACKNOWLEDGED, RESOLVED,"
                    + " FALSE_POSITIVE, not 'CLOSED'");
            assertThat(get(endpoint, "/api/alerts?limit=1001").statusCode()).isEqualTo(400);
            assertThat(get(endpoint, "/api/alerts").statusCode()).isEqualTo(503);
            assertThat(get(endpoint, "/api/overview").statusCode()).isEqualTo(503);
        }
    }
}
