package io.leakwatch.cli;

import io.leakwatch.app.JsonLinesProducer;
import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.broker.KafkaReachability;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch generate}: a deterministic synthetic billing world with labelled leakage. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a deterministic billing world (same options => same bytes) as JSON Lines:",
                "contracts.jsonl, invoices.jsonl, labels.jsonl (one line per injected error) and manifest.json.",
                "With --bootstrap-servers the events are also produced to the input topics."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "500", description = "Number of accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--months", defaultValue = "12", description = "Months of billing history (default: ${DEFAULT-VALUE}).")
    int months;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", paramLabel = "YYYY-MM", defaultValue = "2024-01", description = "First billed month (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--rate-error-rate", defaultValue = "0.004", description = "Share of invoice lines billed at a wrong rate (default: ${DEFAULT-VALUE}).")
    double rateErrorRate;

    @Option(names = "--arithmetic-error-rate", defaultValue = "0.003", description = "Share of invoice lines with a wrong total (default: ${DEFAULT-VALUE}).")
    double arithmeticErrorRate;

    @Option(names = "--bad-records", defaultValue = "-1", description = "Malformed/invalid records to mix in (default: about 0.01%% of records).")
    int badRecords;

    @Option(names = "--revenue-shapes", paramLabel = "N", defaultValue = "-1", description = "Accounts given each labelled revenue shape (churn, billing spike, erosion, expansion, disruption); default: one per 200 accounts.")
    int revenueShapes;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the JSON Lines files.")
    Path out;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Also produce the events to the input topics of this cluster.")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "With --bootstrap-servers: client settings (SASL/SSL), topic names and wire format.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (accounts < 1 || months < 1) {
            throw new UserException("--accounts and --months must be at least 1");
        }
        if (rateErrorRate < 0 || rateErrorRate > 0.5 || arithmeticErrorRate < 0 || arithmeticErrorRate > 0.5) {
            throw new UserException("error rates must be between 0 and 0.5");
        }
        YearMonth startMonth;
        try {
            startMonth = YearMonth.parse(start);
        } catch (DateTimeParseException e) {
            throw new UserException("--start must be a month like 2024-01, not '" + start + "'");
        }
        GeneratorOptions options = GeneratorOptions.defaults(accounts, months, seed)
                .withStartMonth(startMonth)
                .withRateErrorRate(rateErrorRate)
                .withArithmeticErrorRate(arithmeticErrorRate)
                .withBadRecordCount(badRecords < 0 ? GeneratorOptions.AUTO : badRecords)
                .withRevenueShapesPerKind(revenueShapes < 0 ? GeneratorOptions.AUTO : revenueShapes);
        World world = WorldGenerator.generate(options);
        Files.createDirectories(out);
        WorldFiles.write(world, out);
        var stdout = spec.commandLine().getOut();
        stdout.println(world.summary());
        stdout.println("wrote " + out.resolve(WorldFiles.CONTRACTS) + ", " + out.resolve(WorldFiles.INVOICES) + ", "
                + out.resolve(WorldFiles.LABELS));
        if (bootstrapServers != null) {
            LeakwatchConfig cfg = config == null ? new LeakwatchConfig(Map.of()) : LeakwatchConfig.load(config);
            cfg = cfg.with("bootstrap.servers", bootstrapServers);
            var kafka = cfg.kafkaProperties();
            KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
            Map<String, Long> produced = new JsonLinesProducer(kafka, cfg.catalog(), cfg.topologySettings().wireFormat())
                    .produce(out, new Progress(System.err, "produce", 0, "records"));
            produced.forEach((topic, n) -> stdout.printf("produced %,d records to %s%n", n, topic));
        }
        stdout.flush();
        return ExitCodes.OK;
    }
}
