package io.leakwatch.cli;

import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
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
        description = {"Generate a deterministic billing world (same options => same bytes) as JSON Lines.",
                "Files: contracts.jsonl, invoices.jsonl, usage.jsonl, payments.jsonl, provisioning.jsonl,",
                "labels.jsonl (one line per injected error a detector can see by the end of the world) and manifest.json.",
                "Rates are the chance that one unit (named in each option) carries that error.",
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

    @Option(names = "--rate-error-rate", defaultValue = "0.002", description = "Share of invoice lines billed at a wrong rate (default: ${DEFAULT-VALUE}).")
    double rateErrorRate;

    @Option(names = "--arithmetic-error-rate", defaultValue = "0.0015", description = "Share of invoice lines with a wrong total (default: ${DEFAULT-VALUE}).")
    double arithmeticErrorRate;

    @Option(names = "--duplicate-charge-rate", defaultValue = "0.001", description = "Share of clean whole-month invoice lines billed again on a later invoice (default: ${DEFAULT-VALUE}).")
    double duplicateChargeRate;

    @Option(names = "--unbilled-usage-rate", defaultValue = "0.002", description = "Share of metered (account, service, month) billed below usage (default: ${DEFAULT-VALUE}).")
    double unbilledUsageRate;

    @Option(names = "--missing-invoice-rate", defaultValue = "0.001", description = "Share of (account, month) invoices never issued (default: ${DEFAULT-VALUE}).")
    double missingInvoiceRate;

    @Option(names = "--provisioning-mismatch-rate", defaultValue = "0.002", description = "Share of seat (account, month) billed below the provisioned level (default: ${DEFAULT-VALUE}).")
    double provisioningMismatchRate;

    @Option(names = "--failed-payment-rate", defaultValue = "0.0015", description = "Share of invoices whose payment fails and is not recovered within 7 days (default: ${DEFAULT-VALUE}).")
    double failedPaymentRate;

    @Option(names = "--unpaid-invoice-rate", defaultValue = "0.001", description = "Share of invoices never paid nor attempted (default: ${DEFAULT-VALUE}).")
    double unpaidInvoiceRate;

    @Option(names = "--underpayment-rate", defaultValue = "0.0015", description = "Share of invoices paid short (default: ${DEFAULT-VALUE}).")
    double underpaymentRate;

    @Option(names = "--unattributed-spikes", defaultValue = "3", description = "(Period, currency) pairs with unattributed revenue clearly above the alert threshold (default: ${DEFAULT-VALUE}).")
    int unattributedSpikes;

    @Option(names = "--no-unattributed", negatable = false, description = "No unattributed revenue at all (no lines without an account, no ghost accounts).")
    boolean noUnattributed;

    @Option(names = "--bad-records", defaultValue = "-1", description = "Malformed/invalid records to mix in (default: about 0.01%% of records).")
    int badRecords;

    @Option(names = "--revenue-shapes", paramLabel = "N", defaultValue = "-1", description = "Accounts given each labelled revenue shape (churn, billing spike, erosion, expansion, disruption); default: one per 200 accounts.")
    int revenueShapes;

    @Option(names = "--baseline-shapes", paramLabel = "N", defaultValue = "0", description = "Accounts given each shape that measures the revenue baseline on a steady account (steady, spike, drop, level shift up and down, seasonal peak, price step); default: ${DEFAULT-VALUE}.")
    int baselineShapes;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the JSON Lines files.")
    Path out;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Also produce the events to the input topics of this cluster.")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "With --bootstrap-servers: client settings (SASL/SSL), topic names and wire format.")
    Path config;

    @Option(names = "--if-topics-empty", description = "With --bootstrap-servers: generate and produce only when no input topic"
            + " has been written to yet; otherwise say so, write nothing and exit 0 (a loader run at every start loads once).")
    boolean ifTopicsEmpty;

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
        double[] leakageRates = {duplicateChargeRate, unbilledUsageRate, missingInvoiceRate, provisioningMismatchRate,
                failedPaymentRate, unpaidInvoiceRate, underpaymentRate};
        for (double rate : leakageRates) {
            if (rate < 0 || rate > 0.2) {
                throw new UserException("leakage rates must be between 0 and 0.2");
            }
        }
        if (baselineShapes < 0) {
            throw new UserException("--baseline-shapes must be at least 0");
        }
        if (unattributedSpikes < 0) {
            throw new UserException("--unattributed-spikes must be at least 0");
        }
        if (accounts > GeneratorOptions.MAX_ACCOUNTS) {
            throw new UserException("--accounts must be at most " + GeneratorOptions.MAX_ACCOUNTS);
        }
        if (ifTopicsEmpty && bootstrapServers == null) {
            throw new UserException("--if-topics-empty needs --bootstrap-servers");
        }
        YearMonth startMonth;
        try {
            startMonth = YearMonth.parse(start);
        } catch (DateTimeParseException e) {
            throw new UserException("--start must be a month like 2024-01, not '" + start + "'");
        }
        // a cluster to produce to is checked first: nothing is written when it cannot take the events
        ProduceTarget producing = bootstrapServers == null ? null
                : ProduceTarget.connect(spec, config, bootstrapServers, ifTopicsEmpty);
        var stdout = spec.commandLine().getOut();
        if (producing != null && ifTopicsEmpty && !producing.written().isEmpty()) {
            stdout.println("input topic(s) " + String.join(", ", producing.written()) + " at " + bootstrapServers
                    + " already hold records: nothing generated or produced (--if-topics-empty)");
            stdout.flush();
            return ExitCodes.OK;
        }
        GeneratorOptions options = GeneratorOptions.defaults(accounts, months, seed)
                .withStartMonth(startMonth)
                .withRateErrorRate(rateErrorRate)
                .withArithmeticErrorRate(arithmeticErrorRate)
                .withBadRecordCount(badRecords < 0 ? GeneratorOptions.AUTO : badRecords)
                .withRevenueShapesPerKind(revenueShapes < 0 ? GeneratorOptions.AUTO : revenueShapes)
                .withBaselineShapesPerKind(baselineShapes)
                .withLeakageRates(duplicateChargeRate, unbilledUsageRate, missingInvoiceRate, provisioningMismatchRate,
                        failedPaymentRate, unpaidInvoiceRate, underpaymentRate)
                .withUnattributed(!noUnattributed, unattributedSpikes);
        World world = WorldGenerator.generate(options);
        Files.createDirectories(out);
        WorldFiles.write(world, out);
        stdout.println(world.summary());
        stdout.println("wrote " + String.join(", ", java.util.stream.Stream.of(WorldFiles.CONTRACTS, WorldFiles.INVOICES,
                WorldFiles.USAGE, WorldFiles.PAYMENTS, WorldFiles.PROVISIONING, WorldFiles.LABELS)
                .map(f -> out.resolve(f).toString()).toList()));
        if (producing != null) {
            // the files just written carry the bundled topic names; --config may name the topics otherwise
            Map<String, Long> produced = producing.produce(out, new Progress(System.err, "produce", 0, "records"));
            produced.forEach((topic, n) -> stdout.printf("produced %,d records to %s%n", n, topic));
        }
        stdout.flush();
        return ExitCodes.OK;
    }
}
