package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.slack.SlackBridgeConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Loads the config file a subcommand was given, with the command line's environment, and tells the error handler
 * which secrets it holds so that no error line shows them.
 */
final class ConfigFiles {
    private ConfigFiles() {
    }

    static LeakwatchConfig leakwatch(CommandSpec spec, Path file) {
        LeakwatchConfig cfg = LeakwatchConfig.load(file, LeakwatchCommand.environment(spec));
        LeakwatchCommand.loaded(spec, cfg.redactor());
        return cfg;
    }

    /** The file when one was given, otherwise every default. */
    static LeakwatchConfig leakwatchOrDefaults(CommandSpec spec, Path file) {
        return file == null ? LeakwatchConfig.defaults() : leakwatch(spec, file);
    }

    static SlackBridgeConfig slackBridge(CommandSpec spec, Path file, boolean dryRun) {
        SlackBridgeConfig cfg = SlackBridgeConfig.load(file, LeakwatchCommand.environment(spec), dryRun);
        LeakwatchCommand.loaded(spec, cfg.redactor());
        return cfg;
    }
}
