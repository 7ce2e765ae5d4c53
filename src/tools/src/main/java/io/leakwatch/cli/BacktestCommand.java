package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.app.ScoringConfig;
import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.BacktestFiles;
import io.leakwatch.backtest.BacktestResult;
import io.leakwatch.backtest.DeadLetter;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.labels.LabelledFinding;
import io.leakwatch.backtest.ReplayInput;
import io.leakwatch.backtest.Scorecard;
import io.leakwatch.progress.Progress;
import io.leakwatch.topology.TopologySettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch backtest}: replay JSON Lines history through the production topology, no broker needed. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replay JSON Lines files (<topic>.jsonl) through the same topology, in event-time order, with no broker.",
                "Writes OUT/alerts.jsonl (byte-identical for the same input) and OUT/dead-letter.jsonl;",
                "with risk scoring on (models in the models directory) also OUT/account-risk.jsonl, the published scores;",
                "with --labels also OUT/report.json and a precision/recall table.",
                "Input that cannot be replayed (not UTF-8, unreadable, no JSON in a file) is refused before anything is",
                "written; a missing input file turns off the detectors that need it, and the output says which."})
final class BacktestCommand implements Callable<Integer> {
    private static final String[] OUTPUTS = {"alerts.jsonl", "dead-letter.jsonl", "account-risk.jsonl", "report.json"};

    @Option(names = "--input", paramLabel = "DIR", required = true, description = "Directory with contracts.jsonl, invoices.jsonl, ...")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write alerts.jsonl and the report.")
    Path out;

    @Option(names = "--labels", paramLabel = "FILE", description = "Ground truth (labels.jsonl) to score the alerts against.")
    Path labels;

    @Option(names = "--config", paramLabel = "FILE", description = "Optional deployment config: leakwatch.* settings (grace periods, thresholds, topic names) apply to the replay.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(input)) {
            throw new UserException("input directory " + input + " does not exist");
        }
        if (labels != null && !Files.isRegularFile(labels)) {
            throw new UserException("labels file " + labels + " does not exist");
        }
        LeakwatchConfig cfg = ConfigFiles.leakwatchOrDefaults(spec, config);
        TopologySettings configured = cfg.topologySettings();
        ScoringConfig scoringConfig = cfg.scoring();
        PrintWriter stdout = spec.commandLine().getOut();
        // everything that can refuse does so before the replay, and before anything is written
        ReplayInput replay = new Backtest(configured).read(input);
        List<LabelledFinding> truth = labels == null ? null : LabelledFinding.read(labels);
        replay.coverage().describe().forEach(stdout::println);
        BacktestFiles.requireWritable(out, OUTPUTS);
        BacktestResult result;
        boolean scoringOn;
        try (RiskScoringRuntime scoring = RiskScoringRuntime.open(scoringConfig, configured, false)) {
            stdout.println(scoring.describe());
            stdout.println(configured.detection().switches().describe(LeakwatchKeys.DETECTORS_OFF));
            stdout.flush();
            TopologySettings settings = scoring.apply(configured);
            scoringOn = settings.risk().scorer() != null;
            result = new Backtest(settings).run(replay, new Progress(System.err, "replay", replay.records().size(), "records"));
        }
        Path alertsFile = BacktestFiles.writeAlerts(result.alerts(), out);
        BacktestFiles.writeDeadLetters(result.deadLetters(), out);
        Path risksFile = scoringOn ? BacktestFiles.writeRisks(result.risks(), out) : null;

        stdout.printf("replayed %,d records: %,d alerts stand (%,d alert records, %,d raised and later withdrawn),"
                        + " %,d dead letters%n", result.replayed(), result.alerts().size(), result.alertLog().size(),
                result.log().raisedThenWithdrawn(), result.deadLetters().size());
        Map<String, Long> byType = result.alerts().stream()
                .collect(Collectors.groupingBy(a -> a.getType(), TreeMap::new, Collectors.counting()));
        byType.forEach((type, n) -> stdout.printf("  %-34s %,8d%n", type, n));
        Map<String, Long> byReason = result.deadLetters().stream()
                .collect(Collectors.groupingBy(DeadLetter::reason, TreeMap::new, Collectors.counting()));
        byReason.forEach((reason, n) -> stdout.printf("  dead-letter %-22s %,8d%n", reason, n));
        if (truth == null && !result.coverage().off().isEmpty()) {
            stdout.print(Scorecard.detectorLines(result.coverage()));
        }
        stdout.println("wrote " + alertsFile);
        if (risksFile != null) {
            stdout.printf("wrote %s (%,d published scores)%n", risksFile, result.risks().size());
        }
        if (truth != null) {
            Scorecard score = Scorecard.score(result.alerts(), truth, result.coverage()).withLifecycle(result.log());
            Path report = out.resolve("report.json");
            Files.writeString(report, score.toJson(), StandardCharsets.UTF_8);
            stdout.println();
            stdout.print(score.toTable());
            stdout.println("wrote " + report);
        }
        stdout.flush();
        return ExitCodes.OK;
    }
}
