package io.leakwatch.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint of a long-running command ({@code run}, {@code slack-bridge}), on Javalin (Jetty):
 * <pre>
 * GET /metrics       the registry in the Prometheus text format (0.0.4; OpenMetrics when the scraper asks for it)
 * GET /health/live   200 while the process should keep running, 503 when it should be restarted
 * GET /health/ready  200 when it does its work (streams RUNNING and caught up; the bridge polling), 503 otherwise
 * GET /              which endpoints there are (a browser is sent to the dashboard, when there is one)
 * </pre>
 * {@code run} adds the account query API ({@link io.leakwatch.app.query.QueryApi}).
 * A health answer is JSON: {@code {"status":"UP"|"DOWN","state":...,"reasons":[...],"details":{...}}}. The server
 * only reads: it serves what the process already knows, and a probe never waits on the cluster.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private final Javalin server;
    private final String host;

    private HttpEndpoint(Javalin server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Starts serving on {@code host:port} ({@code port} 0: a free port, see {@link #port()}).
     *
     * @param portKey      the config key of the port, named when the port is taken
     * @param beforeScrape brings gauges that are read, not pushed, up to date before each scrape
     * @throws UncheckedIOException when the address cannot be listened on (the port is taken, the host is not ours)
     */
    public static HttpEndpoint start(String host, int port, String portKey, PrometheusMeterRegistry registry,
                                     Health live, Health ready, List<Runnable> beforeScrape) {
        return start(host, port, portKey, registry, live, ready, beforeScrape, Map.of(), config -> { });
    }

    /**
     * {@link #start(String, int, String, PrometheusMeterRegistry, Health, Health, List)} with more to serve (the account
     * query API, the dashboard), listed in the index {@code GET /} by {@code moreIndex}.
     */
    public static HttpEndpoint start(String host, int port, String portKey, PrometheusMeterRegistry registry,
                                     Health live, Health ready, List<Runnable> beforeScrape,
                                     Map<String, String> moreIndex, Consumer<JavalinConfig> more) {
        Map<String, String> index = new java.util.TreeMap<>(moreIndex);
        index.putAll(Map.of("metrics", METRICS, "live", LIVE, "ready", READY));
        List<Runnable> refresh = new ArrayList<>(beforeScrape);
        Javalin server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.get("/", ctx -> {
                String accept = ctx.header("Accept");
                if (index.containsKey("dashboard") && accept != null && accept.contains("text/html")) {
                    ctx.redirect(index.get("dashboard"));
                } else {
                    json(ctx, 200, index);
                }
            });
            config.routes.get(METRICS, ctx -> {
                refresh.forEach(Runnable::run);
                String accept = ctx.header("Accept");
                String contentType = accept != null && accept.contains("application/openmetrics-text")
                        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                        : "text/plain; version=0.0.4; charset=utf-8";
                ctx.contentType(contentType).result(registry.scrape(contentType));
            });
            config.routes.get(LIVE, ctx -> health(ctx, live));
            config.routes.get(READY, ctx -> health(ctx, ready));
            more.accept(config);
        });
        try {
            server.start();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException io) {
                    throw new UncheckedIOException(new IOException("cannot serve metrics and health on " + host + ":"
                            + port + " (" + portKey + "): " + io.getMessage(), io));
                }
            }
            throw e;
        }
        HttpEndpoint endpoint = new HttpEndpoint(server, host);
        LOG.info("serving metrics and health on {}", endpoint.url());
        return endpoint;
    }

    private static void health(Context ctx, Health probe) throws Exception {
        Health.Status status;
        try {
            status = probe.check();
        } catch (RuntimeException e) {
            status = Health.Status.down("UNKNOWN", List.of("the probe failed: " + e), Map.of());
        }
        json(ctx, status.up() ? 200 : 503,
                new Body(status.up() ? "UP" : "DOWN", status.state(), status.reasons(), status.details()));
    }

    /** A health answer as JSON, in this order; the details' keys sorted. */
    private record Body(String status, String state, List<String> reasons, Map<String, Object> details) {
    }

    private static void json(Context ctx, int code, Object body) throws Exception {
        ctx.status(code).contentType("application/json").result(JSON.writeValueAsString(body));
    }

    /** The port served (the one chosen when started with port 0). */
    public int port() {
        return server.port();
    }

    /** Where to reach it: {@code http://host:port}, with {@code localhost} for a wildcard bind address. */
    public String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "localhost" : host;
        return "http://" + shown + ":" + port();
    }

    /**
     * Stops the server. A command stopped by interrupting its thread (an embedding program, a test: what SIGTERM
     * does for the process) closes this with the interrupt flag set, which would make Jetty's stop fail half way; so
     * the flag is set aside while the server stops, and set again afterwards.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            server.stop();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
