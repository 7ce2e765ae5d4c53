package io.leakwatch.cli;

import io.leakwatch.bench.ScoringBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch bench scoring}: ONNX scoring rows/s at batch sizes 1, 64 and 1024. */
@Command(name = "scoring", mixinStandardHelpOptions = true,
        description = {"Measure ONNX risk scoring (three models plus the factor run) in rows/s per batch size.",
                "Reports the median of several runs per batch size; no broker involved."})
final class BenchScoringCommand implements Callable<Integer> {
    @Option(names = "--models-dir", defaultValue = "models", description = "Models directory (default: ${DEFAULT-VALUE}).")
    Path modelsDir;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,64,1024",
            description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--rows", defaultValue = "8192", description = "Rows scored per run (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per batch size (default: ${DEFAULT-VALUE}).")
    int runs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (rows < 1 || runs < 1 || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw new UserException("--rows, --runs and every --batch-sizes value must be at least 1");
        }
        var out = spec.commandLine().getOut();
        ScoringBenchmark bench = new ScoringBenchmark(new ScoringBenchmark.Options(modelsDir, batchSizes, rows, runs, 7), out);
        bench.printTable(bench.run());     // a models directory that does not validate is a usage error (ErrorHandler)
        return ExitCodes.OK;
    }
}
