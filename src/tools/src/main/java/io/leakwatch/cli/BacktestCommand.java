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
import io.leakwatch.backtest.JsonLinesInput;
import io.leakwatch.backtest.JsonLinesSource;
import io.leakwatch.backtest.OpenAtEnd;
import io.leakwatch.backtest.ReplayInput;
import io.leakwatch.backtest.ReplayRange;
import io.leakwatch.backtest.ReplaySource;
import io.leakwatch.backtest.TopicSource;
import io.leakwatch.backtest.WhatIf;
import io.leakwatch.app.KafkaReachability;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.backtest.Scorecard;
import io.leakwatch.progress.Progress;
import io.leakwatch.topology.TopologySettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leakwatch backtest}: replay history through the production topology, from JSON Lines files or from a cluster's
 * input topics (read-only, no consumer group), in both cases with no Kafka Streams instance of its own.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replay history from files or from Kafka topics through the same topology, in event-time order.",
                "Reads JSON Lines files (--input DIR with <topic>.jsonl), or the input topics of a cluster",
                "(--bootstrap-servers, read-only: no consumer group, no commits); --from/--to replay a time range.",
                "Writes OUT/alerts.jsonl (byte-identical for the same input) and OUT/dead-letter.jsonl;",
                "with risk scoring on (models in the models directory) also OUT/account-risk.jsonl, the published scores;",
                "with --labels also OUT/report.json and a precision/recall table.",
                "With --what-if FILE, replays it again under a second config and compares the two side by side.",
                "Input that cannot be replayed (not UTF-8, unreadable, no JSON in a file) is refused before anything is",
                "written; a missing input file turns off the detectors that need it, and the output says which."})
final class BacktestCommand implements Callable<Integer> {
    private static final String[] OUTPUTS = {"alerts.jsonl", "dead-letter.jsonl", "account-risk.jsonl", "report.json"};
    private static final String[] WHAT_IF_OUTPUTS = {"what-if.json", "what-if-differences.jsonl"};

    @Option(names = "--input", paramLabel = "DIR", description = "Directory with contracts.jsonl, invoices.jsonl, ...")
    Path input;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Instead of --input: read the input"
            + " topics of this cluster (with --config: its client settings, topic names and wire format). Read-only: no"
            + " consumer group, no commits, nothing written to the cluster.")
    String bootstrapServers;

    @Option(names = "--from", paramLabel = "TIME", description = "Replay the events from this business time on (a date,"
            + " its start in UTC, or an instant like 2024-03-01T00:00:00Z); contracts and provisioning are read from the"
            + " start, and findings about earlier times are left out.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Replay the events before this business time (exclusive).")
    String to;

    @Option(names = "--close-at-end", description = "Judge what had happened by the last event time as if every grace"
            + " had passed: the billing periods ended by then, the invoices due by then, every failed payment. The"
            + " period holding the last event is partial and stays open, as do invoices due later.")
    boolean closeAtEnd;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write alerts.jsonl and the report.")
    Path out;

    @Option(names = "--labels", paramLabel = "FILE", description = "Ground truth (labels.jsonl) to score the alerts against.")
    Path labels;

    @Option(names = "--config", paramLabel = "FILE", description = "Optional deployment config: leakwatch.* settings (grace periods, thresholds, topic names) apply to the replay.")
    Path config;

    @Option(names = "--what-if", paramLabel = "FILE", description = "Replay the same history a second time under this"
            + " config (other thresholds, detectors or models) and compare: OUT/what-if/ holds its files,"
            + " OUT/what-if.json the per-type alerts, money at risk and (with --labels) precision and recall of both,"
            + " OUT/what-if-differences.jsonl the alerts only one side raised or both raised differently.")
    Path whatIf;

    @Spec
    CommandSpec spec;

    private ReplayRange range() {
        try {
            Instant start = from == null ? null : ReplayRange.parseTime(from);
            Instant end = to == null ? null : ReplayRange.parseTime(to);
            return new ReplayRange(start, end);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    /** The files, or the topics once the cluster is known to answer and to have every input topic. */
    private ReplaySource source(LeakwatchConfig cfg, TopologySettings configured, ReplayRange range) {
        if (input != null) {
            return new JsonLinesSource(input, range);
        }
        LeakwatchConfig cluster = cfg.with("bootstrap.servers", bootstrapServers);
        java.util.Properties kafka = cluster.kafkaProperties();
        KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
        List<String> inputs = JsonLinesInput.inputTopics(configured.topics()).keySet().stream().toList();
        try (Admin admin = Admin.create(kafka)) {
            List<String> missing = new TopicAdmin(admin, Duration.ofSeconds(30)).missing(inputs);
            if (!missing.isEmpty()) {
                throw new UserException("input topic(s) " + String.join(", ", missing) + " do not exist at "
                        + bootstrapServers + " (nothing was read or written)");
            }
        }
        // a range the topics do not hold is refused as an IOException (one line, exit 2)
        return new TopicSource(kafka, configured.wireFormat(), configured.schemas(), range,
                total -> new Progress(System.err, "read", total, "records"));
    }

    @Override
    public Integer call() throws Exception {
        if ((input == null) == (bootstrapServers == null)) {
            throw new UserException("give either --input DIR (files) or --bootstrap-servers HOST:PORT (topics)");
        }
        if (input != null && !Files.isDirectory(input)) {
            throw new UserException("input directory " + input + " does not exist");
        }
        ReplayRange range = range();
        if (labels != null && !Files.isRegularFile(labels)) {
            throw new UserException("labels file " + labels + " does not exist");
        }
        LeakwatchConfig cfg = ConfigFiles.leakwatchOrDefaults(spec, config);
        TopologySettings configured = cfg.topologySettings().withCloseAtEnd(closeAtEnd);
        LeakwatchConfig whatIfCfg = whatIf == null ? null : ConfigFiles.leakwatch(spec, whatIf);
        TopologySettings whatIfConfigured = whatIfCfg == null ? null
                : whatIfCfg.topologySettings().withCloseAtEnd(closeAtEnd);
        if (whatIfConfigured != null && !JsonLinesInput.inputTopics(whatIfConfigured.topics())
                .equals(JsonLinesInput.inputTopics(configured.topics()))) {
            throw new UserException("the what-if config " + whatIf + " names other input topics than the base config;"
                    + " a what-if replays the same history, so both must name the same input topics");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        // everything that can refuse does so before the replay, and before anything is written
        ReplaySource source = source(cfg, configured, range);
        long readStarted = System.nanoTime();
        ReplayInput replay = new Backtest(configured).read(source);
        double readSeconds = (System.nanoTime() - readStarted) / 1e9;
        List<LabelledFinding> allLabels = labels == null ? null : LabelledFinding.read(labels);
        // the detectors a missing input turns off come first: they change how every later line reads
        replay.coverage().describe().forEach(stdout::println);
        stdout.printf(java.util.Locale.ROOT, "read %,d records of %s from %s in %.1f s%n", replay.records().size(),
                range, input != null ? input : "the input topics at " + bootstrapServers, readSeconds);
        BacktestFiles.requireWritable(out, OUTPUTS);
        Path whatIfOut = out.resolve(WhatIf.WHAT_IF);
        if (whatIfConfigured != null) {
            BacktestFiles.requireWritable(out, WHAT_IF_OUTPUTS);
            BacktestFiles.requireWritable(whatIfOut, OUTPUTS);
        }
        Pass base = replay(configured, cfg.scoring(), replay, allLabels, out, stdout);
        if (whatIfConfigured == null) {
            return ExitCodes.OK;
        }
        stdout.println();
        stdout.println("== What-if: the same history with " + whatIf + " ==");
        Pass other = replay(whatIfConfigured, whatIfCfg.scoring(), replay, allLabels, whatIfOut, stdout);
        WhatIf comparison = WhatIf.compare(
                new WhatIf.Side(config == null ? "defaults" : config.toString(), base.result().alerts(), base.score()),
                new WhatIf.Side(whatIf.toString(), other.result().alerts(), other.score()));
        Path json = out.resolve("what-if.json");
        Files.writeString(json, comparison.toJson(), StandardCharsets.UTF_8);
        Path differences = out.resolve("what-if-differences.jsonl");
        comparison.writeDifferences(differences);
        stdout.println();
        stdout.println("== Side by side (standing alerts; the same alert_id is the same finding) ==");
        stdout.print(comparison.toTable(20));
        stdout.println("wrote " + json);
        stdout.println("wrote " + differences);
        stdout.flush();
        return ExitCodes.OK;
    }

    /** What one replay of the history gave: its result and, with labels, its scorecard. */
    private record Pass(BacktestResult result, Scorecard score) {
    }

    /** Replays the history under one configuration, writes its files to {@code dir} and prints what it found. */
    private Pass replay(TopologySettings configured, ScoringConfig scoringConfig, ReplayInput replay,
                        List<LabelledFinding> allLabels, Path dir, PrintWriter stdout) throws Exception {
        // the labels of a type switched off in the config say nothing about the detectors that ran
        List<LabelledFinding> truth = allLabels == null ? null : allLabels.stream()
                .filter(label -> configured.detection().switches().isOn(label.type())).toList();
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
        Files.createDirectories(dir);
        Path alertsFile = BacktestFiles.writeAlerts(result.alerts(), dir);
        BacktestFiles.writeDeadLetters(result.deadLetters(), dir);
        Path risksFile = scoringOn ? BacktestFiles.writeRisks(result.risks(), dir) : null;

        stdout.printf("replayed %,d records: %,d alerts stand (%,d alert records, %,d raised and later withdrawn),"
                        + " %,d dead letters%n", result.replayed(), result.alerts().size(), result.alertLog().size(),
                result.log().raisedThenWithdrawn(), result.deadLetters().size());
        Map<String, Long> byType = result.alerts().stream()
                .collect(Collectors.groupingBy(a -> a.getType(), TreeMap::new, Collectors.counting()));
        Map<String, Long> byReason = result.deadLetters().stream()
                .collect(Collectors.groupingBy(DeadLetter::reason, TreeMap::new, Collectors.counting()));
        io.leakwatch.app.TextTable counts = new io.leakwatch.app.TextTable().left("").right("").indent("  ");
        byType.forEach((type, n) -> counts.row(type, String.format("%,d", n)));
        byReason.forEach((reason, n) -> counts.row("dead-letter " + reason, String.format("%,d", n)));
        stdout.print(counts.render(false));
        if (truth == null && !result.coverage().off().isEmpty()) {
            stdout.print(Scorecard.detectorLines(result.coverage()));
        }
        if (result.lastRecord() != null) {
            (closeAtEnd ? OpenAtEnd.closed(result.lastRecord(), configured.detection())
                    : OpenAtEnd.of(result.lastRecord(), configured.detection())).describe().forEach(stdout::println);
        }
        stdout.println("wrote " + alertsFile);
        if (risksFile != null) {
            stdout.printf("wrote %s (%,d published scores)%n", risksFile, result.risks().size());
        }
        Scorecard score = null;
        if (truth != null) {
            score = Scorecard.score(result.alerts(), truth, result.coverage()).withLifecycle(result.log());
            Path report = dir.resolve("report.json");
            Files.writeString(report, score.toJson(), StandardCharsets.UTF_8);
            stdout.println();
            stdout.print(score.toTable());
            stdout.println("wrote " + report);
        }
        stdout.flush();
        return new Pass(result, score);
    }
}
