package io.leakwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code leakwatch} executable: one subcommand per task. */
@Command(name = "leakwatch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Revenue-leakage detection on billing event streams (Kafka Streams).",
        subcommands = {
                DemoCommand.class,
                RunCommand.class,
                GenerateCommand.class,
                BacktestCommand.class,
                FeaturesCommand.class,
                AnomaliesCommand.class,
                TopicsCommand.class,
                TopologyCommand.class,
                SlackBridgeCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class LeakwatchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LeakwatchCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new ErrorHandler());
        return cli;
    }
}
