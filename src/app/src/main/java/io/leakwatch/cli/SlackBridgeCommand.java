package io.leakwatch.cli;

import io.leakwatch.app.KafkaReachability;
import io.leakwatch.slack.DryRunSender;
import io.leakwatch.slack.SdkSlackSender;
import io.leakwatch.slack.SlackBridgeConfig;
import io.leakwatch.slack.SlackSender;
import io.leakwatch.slack.bridge.SlackBridge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
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
                "Config format: docs/slack.md; example: config/slack-bridge.example.properties."})
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
        try (SlackBridge bridge = new SlackBridge(cfg, sender, dryRun, InstantSource.system());
             Stop.Hook hook = Stop.onSignal("slack-bridge-shutdown", () -> bridge.stop(Duration.ofSeconds(30)))) {
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
}
