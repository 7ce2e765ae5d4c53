package io.leakwatch.cli;

import io.leakwatch.config.Redactor;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code leakwatch} executable of the production image: one subcommand per task of running Leakwatch against a
 * cluster. The tools' executable ({@link LeakwatchTools}, the {@code ./leakwatch} launcher) adds the demo, generator,
 * backtest, features, anomalies and bench commands to it.
 */
@Command(name = "leakwatch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Revenue-leakage detection on billing event streams (Kafka Streams).",
        subcommands = {
                RunCommand.class,
                TopicsCommand.class,
                TopologyCommand.class,
                SlackBridgeCommand.class,
                CommandLine.HelpCommand.class
        })
public final class LeakwatchCommand implements Runnable {
    @CommandLine.Spec
    CommandSpec spec;

    private final Function<String, String> environment;
    private volatile Redactor redactor = Redactor.none();

    private LeakwatchCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        run(commandLine(), args);
    }

    /** Runs a command line to its exit: what it printed is flushed first, since the exit does not flush. */
    static void run(CommandLine cli, String[] args) {
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        Stop.exit(code);
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** @param environment where {@code ${env:NAME}} in a config file looks NAME up (tests pass their own) */
    public static CommandLine commandLine(Function<String, String> environment) {
        CommandLine cli = new CommandLine(new LeakwatchCommand(environment));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new ErrorHandler());
        return cli;
    }

    /** The command line that {@code spec} belongs to, or null when a subcommand runs on its own (some tests). */
    static LeakwatchCommand of(CommandSpec spec) {
        return spec.root().userObject() instanceof LeakwatchCommand root ? root : null;
    }

    static Function<String, String> environment(CommandSpec spec) {
        LeakwatchCommand root = of(spec);
        return root == null ? System::getenv : root.environment;
    }

    /** Remembers the secrets of a config file a subcommand loaded, so no error about it can show them. */
    static void loaded(CommandSpec spec, Redactor secrets) {
        LeakwatchCommand root = of(spec);
        if (root != null) {
            root.redactor = root.redactor.and(secrets);
        }
    }

    static Redactor redactor(CommandSpec spec) {
        LeakwatchCommand root = of(spec);
        return root == null ? Redactor.none() : root.redactor;
    }
}
