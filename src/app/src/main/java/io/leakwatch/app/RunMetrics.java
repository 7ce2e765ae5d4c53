package io.leakwatch.app;

import io.leakwatch.app.http.Dashboard;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.app.metrics.ProcessMetrics;
import io.leakwatch.app.metrics.ScoringMeters;
import io.leakwatch.app.metrics.TopologyCounters;
import io.leakwatch.app.query.FeedbackApi;
import io.leakwatch.app.query.QueryApi;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.topology.TopologySettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What {@code run} measures and serves: the process's registry, the topology's counters, the scorer's timing and the
 * served model versions, the Kafka Streams client's metrics, and the HTTP endpoint with the streams' health, the query
 * API and the dashboard.
 * <pre>
 * try (RunMetrics metrics = new RunMetrics()) {
 *     settings = metrics.instrument(settings, scoring);
 *     runner = new StreamsRunner(kafka, settings).withMetrics(metrics.registry());
 *     try (HttpEndpoint http = metrics.serve(httpSettings, runner)) { runner.start(); ... }
 * }
 * </pre>
 */
public final class RunMetrics implements AutoCloseable {
    private final ProcessMetrics process = new ProcessMetrics();
    private final List<Runnable> beforeScrape = new ArrayList<>();
    /** The scorer before it was timed: the query API scores with it, so a request is not counted as the topology's. */
    private io.leakwatch.scoring.RiskScorer untimedScorer;
    /** Alert feedback's writer, once served: its producer closes with the run. */
    private FeedbackApi feedback;

    public PrometheusMeterRegistry registry() {
        return process.registry();
    }

    /** The settings with the topology's counters and, when scoring is on, the scorer timed and its models shown. */
    public TopologySettings instrument(TopologySettings settings, RiskScoringRuntime scoring) {
        TopologySettings out = settings.withMeters(new TopologyCounters(registry()));
        if (out.risk().scorer() != null) {
            untimedScorer = out.risk().scorer();
            out = out.withRisk(out.risk().withScorer(ScoringMeters.timed(out.risk().scorer(), registry())));
            ScoringMeters models = new ScoringMeters(registry(), scoring::servedVersions);
            beforeScrape.add(models::refresh);
        }
        return out;
    }

    /**
     * Starts the HTTP endpoint for {@code runner}: metrics, its liveness and readiness ({@link StreamsHealth}) and the
     * account query API ({@link QueryApi}) with alert feedback ({@link FeedbackApi}); when {@code http} advertises an endpoint, tells the runner to advertise it
     * as {@code application.server} (the port served when none is given). Call before {@code runner.start()}.
     * Null when {@code http} is not enabled (closing null in a try-with-resources is fine).
     */
    public HttpEndpoint serve(LeakwatchConfig.HttpSettings http, StreamsRunner runner) {
        if (!http.enabled()) {
            return null;
        }
        StreamsHealth health = new StreamsHealth(runner, runner.inputs(), http.maxLag());
        TopologySettings settings = runner.settings();
        if (untimedScorer != null && settings.risk().scorer() != null) {
            settings = settings.withRisk(settings.risk().withScorer(untimedScorer));
        }
        QueryApi queries = new QueryApi(runner::streams, settings, http.queryTimeout(), this::deadLetters);
        feedback = FeedbackApi.of(runner.kafka(), settings, http.queryTimeout());
        Map<String, String> index = new LinkedHashMap<>(QueryApi.index());
        index.putAll(FeedbackApi.index());
        index.put("dashboard", Dashboard.PATH);
        FeedbackApi feedbackApi = feedback;
        HttpEndpoint endpoint = HttpEndpoint.start(http.bind(), http.port(), LeakwatchKeys.HTTP_PORT, registry(),
                health::live, health::ready, beforeScrape, index, config -> {
                    queries.addTo(config.routes);
                    feedbackApi.addTo(config.routes);
                    Dashboard.addTo(config);
                });
        if (!http.advertised().isEmpty()) {
            HostInfo self = advertised(http.advertised(), endpoint.port());
            queries.advertise(self);
            runner.advertise(self.host() + ":" + self.port());
        }
        return endpoint;
    }

    /** The records the topology has sent to the dead-letter topic since the process started, by reason. */
    private Map<String, Long> deadLetters() {
        Map<String, Long> byReason = new TreeMap<>();
        for (Counter counter : registry().find(TopologyCounters.DEAD_LETTERS).counters()) {
            byReason.merge(counter.getId().getTag("reason"), Math.round(counter.count()), Long::sum);
        }
        return byReason;
    }

    /** {@code host} (with the port served) or {@code host:port}. */
    static HostInfo advertised(String value, int servedPort) {
        String text = value.trim();
        int colon = text.lastIndexOf(':');
        return colon < 0 ? new HostInfo(text, servedPort)
                : new HostInfo(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    @Override
    public void close() {
        if (feedback != null) {
            feedback.close();
        }
        process.close();
    }
}
