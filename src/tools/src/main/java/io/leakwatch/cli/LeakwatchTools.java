package io.leakwatch.cli;

import java.util.function.Function;
import picocli.CommandLine;

/**
 * The {@code leakwatch} executable with the tools: every production command ({@link LeakwatchCommand}) plus the
 * demo, the world generator, the backtest, the training set, the anomaly report and the benchmarks. The
 * {@code ./leakwatch} launcher runs this; the production image runs {@link LeakwatchCommand} alone.
 */
public final class LeakwatchTools {
    private LeakwatchTools() {
    }

    public static void main(String[] args) {
        LeakwatchCommand.run(commandLine(), args);
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** @param environment where {@code ${env:NAME}} in a config file looks NAME up (tests pass their own) */
    public static CommandLine commandLine(Function<String, String> environment) {
        CommandLine cli = LeakwatchCommand.commandLine(environment);
        CommandLine help = cli.getSubcommands().get("help");
        cli.getCommandSpec().removeSubcommand("help");
        for (Object tool : new Object[] {new DemoCommand(), new GenerateCommand(), new BacktestCommand(),
                new FeaturesCommand(), new AnomaliesCommand(), new BenchCommand(), new ImportCommand()}) {
            cli.addSubcommand(tool);
        }
        cli.addSubcommand(help);
        // picocli gives subcommands added later the handlers of the line they join only when set again
        cli.setExecutionExceptionHandler(cli.getExecutionExceptionHandler());
        cli.setParameterExceptionHandler(cli.getParameterExceptionHandler());
        return cli;
    }
}
