package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option. */
final class ConfigFileOption {
    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "Properties file: Kafka client/Streams settings (bootstrap.servers, security.protocol, sasl.*, ssl.*, ...) and leakwatch.* keys.")
    Path file;

    LeakwatchConfig load() {
        return LeakwatchConfig.load(file);
    }
}
