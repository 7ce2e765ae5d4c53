package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.StreamsRunner;
import io.leakwatch.broker.KafkaReachability;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code leakwatch run}: the production stream processor. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the stream processor against a Kafka cluster until stopped (SIGTERM/Ctrl-C shuts down cleanly).",
                "Refuses to start when input topics are missing or not co-partitioned. exactly_once_v2 by default."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption config;

    @Override
    public Integer call() throws Exception {
        LeakwatchConfig cfg = config.load();
        Properties kafka = cfg.kafkaProperties();
        KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
        StreamsRunner runner = new StreamsRunner(kafka, cfg.topologySettings());
        Thread hook = new Thread(runner::close, "leakwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.start();
        runner.awaitStop();
        return runner.failure() == null ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
