package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.app.RunMetrics;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.app.ScoringConfig;
import io.leakwatch.app.StreamsRunner;
import io.leakwatch.app.KafkaReachability;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.topology.TopologySettings;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code leakwatch run}: the production stream processor. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the stream processor against a Kafka cluster until stopped.",
                "SIGTERM/Ctrl-C shuts down cleanly and exits 0; a failed stream thread exits 1.",
                "Refuses to start when input topics are missing or not co-partitioned, or when topic settings would delete"
                        + " history it needs ('topics check' shows why). exactly_once_v2 by default.",
                "Serves /metrics (Prometheus), /health/live, /health/ready and the account query API (/api/accounts/ID,"
                        + " /api/top-accounts) on leakwatch.http.port (8080)."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LeakwatchConfig cfg = config.load();
        // every config mistake is found before the cluster is asked anything
        Properties kafka = cfg.kafkaProperties();
        TopologySettings settings = cfg.topologySettings();
        ScoringConfig scoringConfig = cfg.scoring();
        KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
        LeakwatchConfig.HttpSettings http = cfg.http();
        try (RiskScoringRuntime scoring = RiskScoringRuntime.open(scoringConfig, settings, true);
             RunMetrics metrics = new RunMetrics()) {
            spec.commandLine().getErr().println(scoring.describe());
            spec.commandLine().getErr().println(settings.detection().switches().describe(LeakwatchKeys.DETECTORS_OFF));
            spec.commandLine().getErr().flush();
            TopologySettings running = metrics.instrument(scoring.apply(settings), scoring);
            try (StreamsRunner runner = new StreamsRunner(kafka, running, cfg.redactor()).withMetrics(metrics.registry());
                 HttpEndpoint endpoint = metrics.serve(http, runner);
                 Stop.Hook hook = Stop.onSignal("leakwatch-shutdown", runner::close)) {
                if (endpoint != null) {
                    spec.commandLine().getErr().println("metrics: " + endpoint.url() + HttpEndpoint.METRICS
                            + "  health: " + endpoint.url() + HttpEndpoint.READY);
                    spec.commandLine().getErr().flush();
                }
                runner.start();
                try {
                    runner.awaitStop();
                } catch (InterruptedException e) {
                    // the thread running this command (an embedding program, a test) asks it to stop, as SIGTERM does
                    Thread.currentThread().interrupt();
                }
                return runner.failure() == null ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }
}
