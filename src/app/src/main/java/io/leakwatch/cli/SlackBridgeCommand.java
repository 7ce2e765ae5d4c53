package io.leakwatch.cli;

import io.leakwatch.app.KafkaReachability;
import io.leakwatch.app.http.Health;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.app.metrics.ProcessMetrics;
import io.leakwatch.slack.DryRunSender;
import io.leakwatch.slack.SdkSlackSender;
import io.leakwatch.slack.SlackBridgeConfig;
import io.leakwatch.slack.SlackBridgeKeys;
import io.leakwatch.slack.SlackSender;
import io.leakwatch.slack.bridge.SlackBridge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch slack-bridge --config FILE [--dry-run]}: posts alerts to Slack until stopped (SIGTERM: exit 0). */
@Command(name = "slack-bridge", mixinStandardHelpOptions = true,
        description = {"Post alerts to Slack as Block Kit messages.",
                "Its own consumer group on the alerts topic, routing rules, per-channel rate limits, storm digests,"
                        + " at-least-once delivery deduplicated by alert_id.",
                "Config format: docs/slack.md; example: config/slack-bridge.example.properties.",
                "Serves /metrics (Prometheus), /health/live and /health/ready on slack.endpoint.port (8081)."})
public final class SlackBridgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Properties file: Kafka client settings plus slack.* keys (routes, secrets as $${env:NAME} or $${file:/path}).")
    Path config;

    @Option(names = "--dry-run",
            description = "Print each message's JSON payload to stdout instead of sending it; commit nothing, record nothing,"
                    + " create no topic; the Slack secrets need not be set.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        SlackBridgeConfig cfg = ConfigFiles.slackBridge(spec, config, dryRun);
        PrintWriter out = spec.commandLine().getOut();
        Properties client = new Properties();
        client.putAll(cfg.kafka());
        KafkaReachability.requireReachable(client, Duration.ofSeconds(10));
        SlackSender sender = dryRun ? new DryRunSender(out, cfg.redactor())
                : new SdkSlackSender(cfg.apiUrl(), cfg.botToken(), cfg.redactor(), cfg.httpTimeout());
        SlackBridgeConfig.Endpoint endpoint = cfg.endpoint();
        try (ProcessMetrics metrics = new ProcessMetrics();
             SlackBridge bridge = new SlackBridge(cfg, sender, dryRun, InstantSource.system());
             HttpEndpoint http = serve(endpoint, metrics, bridge);
             Stop.Hook hook = Stop.onSignal("slack-bridge-shutdown", () -> bridge.stop(Duration.ofSeconds(30)))) {
            if (http != null) {
                spec.commandLine().getErr().println("metrics: " + http.url() + HttpEndpoint.METRICS
                        + "  health: " + http.url() + HttpEndpoint.READY);
                spec.commandLine().getErr().flush();
            }
            bridge.run();
            out.println("slack-bridge stopped: " + bridge.stats());
            out.flush();
        } finally {
            if (sender instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The bridge's metrics and health on HTTP; null when the endpoint is off.
     * <pre>
     * live  = the bridge's loop has not ended
     * ready = the consumer subscribed (the delivered ids loaded), joined its group, and polled within the gap
     * </pre>
     */
    private static HttpEndpoint serve(SlackBridgeConfig.Endpoint endpoint, ProcessMetrics metrics, SlackBridge bridge) {
        bridge.bindMetrics(metrics.registry());
        if (!endpoint.enabled()) {
            return null;
        }
        Health live = () -> {
            SlackBridge.Status s = bridge.status();
            return s.stopped() ? Health.Status.down("STOPPED", List.of("the bridge has stopped"), details(s))
                    : Health.Status.up(s.running() ? "RUNNING" : "STARTING", details(s));
        };
        Health ready = () -> {
            SlackBridge.Status s = bridge.status();
            List<String> reasons = s.notReady(Instant.now(), endpoint.maxPollGap());
            String state = s.stopped() ? "STOPPED" : s.running() ? "RUNNING" : "STARTING";
            return reasons.isEmpty() ? Health.Status.up(state, details(s)) : Health.Status.down(state, reasons, details(s));
        };
        return HttpEndpoint.start(endpoint.bind(), endpoint.port(), SlackBridgeKeys.ENDPOINT_PORT, metrics.registry(),
                live, ready, List.of());
    }

    private static Map<String, Object> details(SlackBridge.Status s) {
        Map<String, Object> details = new TreeMap<>();
        details.put("assigned_partitions", s.assigned());
        details.put("joined", s.joined());
        details.put("last_poll", s.lastPoll() == null ? "never" : s.lastPoll().toString());
        return details;
    }
}
