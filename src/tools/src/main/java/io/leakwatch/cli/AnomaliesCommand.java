package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.BacktestFiles;
import io.leakwatch.backtest.BacktestResult;
import io.leakwatch.backtest.ReplayInput;
import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.progress.Progress;
import io.leakwatch.report.Anomaly;
import io.leakwatch.report.AnomalyChart;
import io.leakwatch.report.AnomalyReport;
import io.leakwatch.report.RevenueSeries;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leakwatch anomalies}: the ranked revenue-anomaly report. The alerts come from a {@link Backtest} replay
 * of the input through the production topology (so they are exactly what production would have raised); the
 * revenue lines and rolling baselines of the chart come from the same Kafka-free {@link BaselineRule}.
 */
@Command(name = "anomalies", mixinStandardHelpOptions = true,
        description = {"Rank the revenue anomalies (spikes, drops, slow erosion) in JSON Lines history.",
                "Prints the top N, writes OUT/anomalies.csv (all of them) and OUT/anomalies.png",
                "(one panel per top account, and per account asked for with --accounts: revenue against",
                "its rolling baseline, anomalies marked, months the data does not close yet dotted)."})
final class AnomaliesCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "DIR", required = true, description = "Directory with invoices.jsonl (and the other inputs).")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write anomalies.csv and anomalies.png.")
    Path out;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Rows printed and accounts charted (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--config", paramLabel = "FILE", description = "Optional deployment config: leakwatch.baseline.* and grace settings apply.")
    Path config;

    @Option(names = "--accounts", paramLabel = "ID", split = ",",
            description = "Accounts to chart as well, anomalies or not (comma-separated); charted first.")
    List<String> accounts = List.of();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path invoices = input.resolve("invoices.jsonl");
        if (!Files.isDirectory(input) || !Files.isRegularFile(invoices)) {
            throw new UserException("input directory " + input + " has no invoices.jsonl");
        }
        if (top < 1) {
            throw new UserException("--top must be at least 1");
        }
        TopologySettings settings = config == null
                ? TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver())
                : ConfigFiles.leakwatch(spec, config).topologySettings();
        Map<String, RevenueHistory> series = RevenueSeries.read(invoices, input.resolve("contracts.jsonl"));
        List<String> charted = new ArrayList<>();
        for (String account : accounts) {
            if (!series.containsKey(account)) {
                throw new UserException("--accounts: " + account + " has no invoice lines in " + invoices);
            }
            if (!charted.contains(account)) {
                charted.add(account);
            }
        }
        Backtest backtest = new Backtest(settings);
        ReplayInput replay = backtest.read(input);
        BacktestFiles.requireWritable(out, "anomalies.csv", "anomalies.png");
        BacktestResult result = backtest.run(replay, new Progress(System.err, "replay", replay.records().size(), "records"));
        List<Anomaly> anomalies = result.alerts().stream().filter(Anomaly::isRevenueAlert).map(Anomaly::of).toList();
        AnomalyReport report = new AnomalyReport(anomalies);

        BaselineRule rule = new BaselineRule(settings.detection().baseline());
        java.time.YearMonth through = series.values().stream().map(RevenueHistory::last)
                .max(java.util.Comparator.naturalOrder()).orElse(null);
        java.time.YearMonth closedThrough = closedThrough(result.lastRecord(), settings.detection().periodCloseGrace());
        if (through != null && closedThrough != null && closedThrough.isAfter(through)) {
            through = closedThrough;
        }
        report.topAccounts(top).stream().filter(a -> !charted.contains(a)).forEach(charted::add);
        List<AnomalyChart.Panel> panels = new ArrayList<>();
        for (String account : charted) {
            List<Anomaly> mine = report.ranked().stream().filter(a -> a.accountId().equals(account)).toList();
            panels.add(new AnomalyChart.Panel(account, RevenueSeries.withPointAnomalies(series.get(account), mine), mine,
                    through, closedThrough));
        }
        Path csv = report.writeCsv(out);
        Path chart = AnomalyChart.write(panels, rule, out.resolve("anomalies.png"));

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%,d revenue anomalies in %,d accounts (%,d records replayed)%n%n", anomalies.size(),
                anomalies.stream().map(Anomaly::accountId).distinct().count(), result.replayed());
        stdout.print(report.table(top));
        stdout.println();
        stdout.println("wrote " + csv);
        stdout.println("wrote " + chart);
        if (closedThrough != null && through != null && through.isAfter(closedThrough)) {
            stdout.println("months after " + closedThrough + " are not closed yet (the data ends " + result.lastRecord()
                    + "): drawn dotted, not judged");
        }
        stdout.flush();
        return ExitCodes.OK;
    }

    /**
     * The last month the data closes: its end plus the close grace is at or before the data's last record, as the
     * processor would judge it. Null when no month closes.
     */
    static java.time.YearMonth closedThrough(java.time.Instant dataEnd, java.time.Duration closeGrace) {
        if (dataEnd == null) {
            return null;
        }
        java.time.YearMonth m = java.time.YearMonth.from(dataEnd.minus(closeGrace).atZone(java.time.ZoneOffset.UTC));
        return m.minusMonths(1);
    }
}
