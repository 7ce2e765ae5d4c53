package io.leakwatch.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswer503WithTheReasonsWhenAProbeIsDown() throws Exception {
        Health down = () -> Health.Status.down("REBALANCING", List.of("the stream processor is REBALANCING"),
                Map.of("lag", 12));
        try (HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, "test.port", registry,
                () -> Health.Status.up("RUNNING", Map.of()), down, List.of())) {
            HttpResponse<String> ready = get(endpoint, HttpEndpoint.READY);
            HttpResponse<String> live = get(endpoint, HttpEndpoint.LIVE);

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"state\":\"REBALANCING\","
                    + "\"reasons\":[\"the stream processor is REBALANCING\"],\"details\":{\"lag\":12}}");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).startsWith("{\"status\":\"UP\"");
        }
    }

    @Test
    void shouldServeTheRegistryInThePrometheusTextFormatAfterRefreshingIt() throws Exception {
        Counter.builder("leakwatch.records.in").tag("topic", "invoices").register(registry).increment(3);
        AtomicInteger refreshed = new AtomicInteger();
        try (HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, "test.port", registry,
                () -> Health.Status.up("RUNNING", Map.of()), () -> Health.Status.up("RUNNING", Map.of()),
                List.of(refreshed::incrementAndGet))) {
            HttpResponse<String> metrics = get(endpoint, HttpEndpoint.METRICS);

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("# TYPE leakwatch_records_in_total counter")
                    .contains("leakwatch_records_in_total{topic=\"invoices\"} 3.0");
            assertThat(refreshed).hasValue(1);
        }
    }

    @Test
    void shouldNameThePortKeyWhenThePortIsTaken() {
        try (HttpEndpoint first = HttpEndpoint.start("127.0.0.1", 0, "test.port", registry,
                () -> Health.Status.up("RUNNING", Map.of()), () -> Health.Status.up("RUNNING", Map.of()), List.of())) {
            assertThatThrownBy(() -> HttpEndpoint.start("127.0.0.1", first.port(), "test.port", registry,
                    () -> Health.Status.up("RUNNING", Map.of()), () -> Health.Status.up("RUNNING", Map.of()), List.of()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot serve metrics and health on 127.0.0.1:" + first.port() + " (test.port)");
        }
    }

    @Test
    void shouldStopCleanlyAndKeepTheInterruptWhenClosedByAnInterruptedThread() {
        HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, "test.port", registry,
                () -> Health.Status.up("RUNNING", Map.of()), () -> Health.Status.up("RUNNING", Map.of()), List.of());
        URI live = URI.create(endpoint.url() + HttpEndpoint.LIVE);
        Thread.currentThread().interrupt();
        try {
            endpoint.close();

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    private HttpResponse<String> get(HttpEndpoint endpoint, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
