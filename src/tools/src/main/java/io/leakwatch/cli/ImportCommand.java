package io.leakwatch.cli;

import io.leakwatch.importer.CsvImport;
import io.leakwatch.importer.ImportMapping;
import io.leakwatch.importer.ImportResult;
import io.leakwatch.importer.MappingException;
import io.leakwatch.progress.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code leakwatch import}: a CSV export of your own, as Leakwatch records, through a mapping file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a CSV export of your own as Leakwatch records, as a mapping file says.",
                "Writes the JSON Lines file of the records' input topic into --out (what",
                "'backtest --input' reads), or produces the records to the input topics with",
                "--bootstrap-servers. Rows that cannot become a valid record go to a rejects",
                "CSV with their row number and the reason (exit code 1).",
                "Writing a mapping: docs/import.md; examples: examples/import/."})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--mapping", paramLabel = "FILE", required = true, description = "The mapping file (YAML).")
    Path mappingFile;

    @Option(names = "--input", paramLabel = "FILE", description = "The CSV file (UTF-8, a header line); not for a mapping"
            + " whose imports name their files.")
    Path input;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--out", paramLabel = "DIR", description = "Write the JSON Lines file into this directory.")
        Path out;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                description = "Produce the records to the input topics of this cluster.")
        String bootstrapServers;
    }

    @Option(names = "--config", paramLabel = "FILE", description = "With --bootstrap-servers: client settings (SASL/SSL), topic names and wire format.")
    Path config;

    @Option(names = "--rejects", paramLabel = "FILE", description = "Where rejected rows go (default: <input>.rejects.csv"
            + " in --out, or beside the input).")
    Path rejects;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (config != null && target.bootstrapServers == null) {
            throw new UserException("--config needs --bootstrap-servers");
        }
        List<ImportMapping.Entry> entries;
        try {
            entries = ImportMapping.readAll(mappingFile);
        } catch (NoSuchFileException e) {
            throw new UserException("mapping file " + mappingFile + " does not exist");
        } catch (MappingException e) {
            throw new UserException("mapping " + mappingFile + ": " + e.getMessage());
        }
        boolean named = entries.get(0).file() != null;
        if (named && input != null) {
            throw new UserException("mapping " + mappingFile + " names its files under imports: give no --input");
        }
        if (!named && input == null) {
            throw new UserException("--input FILE is needed: the CSV file this mapping reads");
        }
        if (named && rejects != null) {
            throw new UserException("--rejects is for one input: each file of this mapping has its own rejects file");
        }
        Path base = mappingFile.toAbsolutePath().getParent();
        List<Path> inputs = entries.stream().map(e -> named ? base.resolve(e.file()) : input).toList();
        for (Path file : inputs) {
            if (!Files.isRegularFile(file)) {
                throw new UserException("input file " + file + " does not exist");
            }
        }
        // a cluster to produce to is checked first: nothing is read when it cannot take the records
        ProduceTarget producing = target.bootstrapServers == null ? null
                : ProduceTarget.connect(spec, config, target.bootstrapServers, false);
        Path dir = target.out != null ? target.out : Files.createTempDirectory("leakwatch-import");
        PrintWriter stdout = spec.commandLine().getOut();
        long rejected = 0;
        try {
            Set<String> written = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                ImportMapping mapping = entries.get(i).mapping();
                Path file = inputs.get(i);
                String rejectsName = file.getFileName().toString().replaceFirst("\\.csv$", "") + ".rejects.csv";
                Path rejectsFile = rejects != null ? rejects
                        : target.out != null ? target.out.resolve(rejectsName) : file.toAbsolutePath().resolveSibling(rejectsName);
                CsvImport csv = new CsvImport(mapping);
                ImportResult result;
                try {
                    result = csv.run(file, dir, rejectsFile, new Progress(System.err, "import", 0, "rows"),
                            !written.add(csv.outputFileName()));
                } catch (MappingException e) {
                    throw new UserException("mapping " + mappingFile + ": " + (named ? "imports[" + (i + 1) + "]." : "")
                            + e.getMessage());
                } catch (IOException e) {
                    throw new UserException(e.getMessage());
                }
                stdout.printf("read %,d rows of %s%s%n", result.rowsRead(), file,
                        result.blankRows() > 0 ? String.format(" (%,d blank, skipped)", result.blankRows()) : "");
                if (producing == null) {
                    stdout.printf("wrote %,d %s records to %s%n", result.records(), mapping.record(), result.output());
                } else {
                    stdout.printf("imported %,d %s records%n", result.records(), mapping.record());
                }
                if (result.rejected() > 0) {
                    stdout.printf("rejected %,d rows: %s (row number, reason, the row's cells)%n", result.rejected(),
                            result.rejectsFile());
                } else {
                    stdout.println("rejected 0 rows");
                }
                rejected += result.rejected();
            }
            if (producing != null) {
                Map<String, Long> produced = producing.produce(dir, new Progress(System.err, "produce", 0, "records"));
                produced.forEach((topic, n) -> stdout.printf("produced %,d records to %s at %s%n", n, topic,
                        producing.bootstrapServers()));
            }
            stdout.flush();
            return rejected > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
        } finally {
            if (target.out == null) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
