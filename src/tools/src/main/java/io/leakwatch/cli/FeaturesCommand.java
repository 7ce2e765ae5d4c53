package io.leakwatch.cli;

import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.BacktestFiles;
import io.leakwatch.backtest.BacktestResult;
import io.leakwatch.backtest.ReplayInput;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.features.FeatureSnapshotJson;
import io.leakwatch.backtest.TrainingSet;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch features}: training data for the risk models, from a replay with period-end snapshots on. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Write the training set of the risk models (features.csv) from JSON Lines history.",
                "Replays JSON Lines files (<topic>.jsonl) through the same topology with period-end feature snapshots on,",
                "and writes OUT/features.csv: one row per account with an active contract at each month boundary,",
                "its features as of that instant and the labels of the periods after it (docs/risk-scoring.md)."})
final class FeaturesCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "DIR", required = true, description = "Directory with contracts.jsonl, invoices.jsonl, ...")
    Path input;

    @Option(names = "--labels", paramLabel = "FILE", required = true, description = "Ground truth (labels.jsonl): leakage and CHURN labels.")
    Path labels;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write features.csv.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "Optional deployment config: leakwatch.* settings apply to the replay.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(input)) {
            throw new UserException("input directory " + input + " does not exist");
        }
        if (!Files.isRegularFile(labels)) {
            throw new UserException("labels file " + labels + " does not exist");
        }
        List<TrainingSet.LabelRow> truth;
        try {
            truth = TrainingSet.readLabels(labels);
        } catch (IOException e) {
            throw new UserException(e.getMessage());
        }
        TopologySettings settings = config == null
                ? TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver())
                : ConfigFiles.leakwatch(spec, config).topologySettings();
        settings = settings.withRisk(settings.risk().withPeriodEndSnapshots(true));
        Backtest backtest = new Backtest(settings);
        ReplayInput replay = backtest.read(input);
        BacktestFiles.requireWritable(out, "features.csv");
        BacktestResult result = backtest.run(replay, new Progress(System.err, "replay", replay.records().size(), "records"));
        List<FeatureSnapshot> snapshots = result.featureSnapshots().stream().map(FeatureSnapshotJson::fromJson).toList();
        Path csv = out.resolve("features.csv");
        int rows = TrainingSet.write(snapshots, truth, result.lastRecord(), csv);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("replayed %,d records: %,d period-end snapshots%n", result.replayed(), rows);
        stdout.println("wrote " + csv);
        stdout.flush();
        return ExitCodes.OK;
    }
}
