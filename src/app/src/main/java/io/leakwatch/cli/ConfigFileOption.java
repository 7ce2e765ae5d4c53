package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The shared {@code --config FILE} option. */
final class ConfigFileOption {
    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "Properties file: Kafka client/Streams settings (bootstrap.servers, security.protocol, sasl.*, ssl.*, ...) and leakwatch.* keys; values may be $${env:NAME} or $${file:/path}.")
    Path file;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    LeakwatchConfig load() {
        return ConfigFiles.leakwatch(command, file);
    }
}
