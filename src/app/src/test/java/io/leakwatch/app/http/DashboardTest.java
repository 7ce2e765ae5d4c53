package io.leakwatch.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's pages and chart library come from the jar, on the endpoint's port. */
class DashboardTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static HttpEndpoint endpoint() {
        Health up = () -> Health.Status.up("RUNNING", Map.of());
        return HttpEndpoint.start("127.0.0.1", 0, "test.port", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                up, up, List.of(), Map.of("dashboard", Dashboard.PATH), Dashboard::addTo);
    }

    private HttpResponse<String> get(HttpEndpoint endpoint, String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeEveryPageAndItsScriptsFromTheJar() throws Exception {
        try (HttpEndpoint endpoint = endpoint()) {
            HttpResponse<String> overview = get(endpoint, Dashboard.PATH, "text/html");
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(overview.body()).contains("Revenue leakage overview");
            for (String page : List.of("account.html", "alerts.html", "app.js", "style.css")) {
                assertThat(get(endpoint, Dashboard.PATH + page, "*/*").statusCode()).as(page).isEqualTo(200);
            }
            HttpResponse<String> uplot = get(endpoint, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "*/*");
            assertThat(uplot.statusCode()).isEqualTo(200);
            assertThat(uplot.body()).contains("uPlot");
        }
    }

    @Test
    void shouldSendABrowserToTheOverviewAndAScriptToTheJsonIndex() throws Exception {
        try (HttpEndpoint endpoint = endpoint()) {
            HttpResponse<String> browser = get(endpoint, "/", "text/html,application/xhtml+xml,*/*;q=0.8");
            assertThat(browser.statusCode()).isEqualTo(302);
            assertThat(browser.headers().firstValue("Location")).hasValue(Dashboard.PATH);

            HttpResponse<String> script = get(endpoint, "/", "application/json");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.body()).contains("\"dashboard\":\"/dashboard/\"");
        }
    }
}
