package io.leakwatch.cli;

import io.leakwatch.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch demo}: everything on one machine, no Docker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole pipeline on one machine: an in-process broker, a generated world, alerts summarised.",
                "Starts a real Kafka broker inside this process, creates the topics, generates a billing world, runs the",
                "topology on it and summarises the alerts against what was injected. Ends by itself unless --follow."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "300", description = "Accounts to generate (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--months", defaultValue = "12", description = "Months of billing history (default: ${DEFAULT-VALUE}).")
    int months;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--top", defaultValue = "5", description = "How many of the largest alerts to explain (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write DIR/alerts.jsonl and the generated world under DIR/world.")
    Path out;

    @Option(names = "--follow", description = "Keep the broker and topology running until Ctrl-C, and print what became of"
            + " each event produced to an input topic (accepted or dead-lettered, and the alerts it changed).")
    boolean follow;

    @Option(names = "--start", paramLabel = "YYYY-MM", description = "First billed month (default: 2024-01; with --follow,"
            + " the month that makes the history end with last month, so events typed with today's date follow it).")
    String start;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT", description = "Serve the processor's"
            + " /metrics and /health/ready on 127.0.0.1:PORT (default: ${DEFAULT-VALUE}; a free port when it is taken).")
    int httpPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (accounts < 1 || months < 1 || top < 0) {
            throw new UserException("--accounts and --months must be at least 1, --top at least 0");
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new UserException("--http-port must be a port from 0 (any free port) to 65535");
        }
        java.time.YearMonth first;
        if (start == null) {
            first = follow ? java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(months) : java.time.YearMonth.of(2024, 1);
        } else {
            try {
                first = java.time.YearMonth.parse(start);
            } catch (java.time.format.DateTimeParseException e) {
                throw new UserException("--start must be a month like 2024-01, not '" + start + "'");
            }
        }
        new Demo(new Demo.Options(accounts, months, seed, first, out, follow, top, httpPort), spec.commandLine().getOut()).run();
        return ExitCodes.OK;
    }
}
