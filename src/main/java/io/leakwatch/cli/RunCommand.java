package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.app.StreamsRunner;
import io.leakwatch.broker.KafkaReachability;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code leakwatch run}: the production stream processor. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the stream processor against a Kafka cluster until stopped (SIGTERM/Ctrl-C shuts down cleanly).",
                "Refuses to start when input topics are missing or not co-partitioned, or when topic settings would delete"
                        + " history it needs ('topics check' shows why). exactly_once_v2 by default."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LeakwatchConfig cfg = config.load();
        Properties kafka = cfg.kafkaProperties();
        KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
        RiskScoringRuntime scoring = RiskScoringRuntime.open(cfg.scoring(), cfg.topologySettings(), true);
        spec.commandLine().getErr().println(scoring.describe());
        StreamsRunner runner = new StreamsRunner(kafka, scoring.apply(cfg.topologySettings()));
        Thread hook = new Thread(() -> {
            runner.close();
            scoring.close();
        }, "leakwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.start();
        try {
            runner.awaitStop();
        } catch (InterruptedException e) {
            // the thread running this command (an embedding program, a test) asks it to stop, as SIGTERM does
            runner.close();
            scoring.close();
            Runtime.getRuntime().removeShutdownHook(hook);
            Thread.currentThread().interrupt();
        }
        return runner.failure() == null ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
