package io.leakwatch.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.leakwatch.ingest.EventValidator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.JsonEventCodec;
import io.leakwatch.topics.TopicCatalog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Imports one CSV file (UTF-8, a header line) as records of the mapping's kind, written as the JSON Lines file of
 * their input topic ({@code invoices.jsonl}, ...) in the form {@code generate} writes. Every record is decoded by the
 * product's JSON codec and checked by the validation the topology applies to its topic, so a row the topology would
 * send to the dead-letter topic is refused here instead: it goes to the rejects file (a CSV: the row number, the
 * reason, then the row's own cells), and nothing is dropped silently. Rows of a contract ({@code record: contract})
 * are gathered by contract id and version into one contract whose rate lines they are; a rate line left open-ended
 * while a later row of the same service starts after it ends where that one starts.
 */
public final class CsvImport {
    /** Quotes a cell only when it must (by default Jackson also quotes every cell longer than 24 characters). */
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .build();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ImportMapping mapping;

    public CsvImport(ImportMapping mapping) {
        this.mapping = mapping;
    }

    /** The JSON Lines file this import writes, under the bundled topic names. */
    public String outputFileName() {
        return TopicCatalog.bundled().name(mapping.kind.role) + ".jsonl";
    }

    /**
     * @param input   the CSV file
     * @param outDir  where the JSON Lines file goes (created when missing; a file of the same name is replaced)
     * @param rejects where rejected rows go; written only when a row is rejected, and removed otherwise
     * @throws MappingException when the mapping names a column the CSV does not have
     */
    public ImportResult run(Path input, Path outDir, Path rejects, Progress progress) throws IOException {
        return run(input, outDir, rejects, progress, false);
    }

    /** @param append add to the JSON Lines file instead of replacing it (a second CSV of the same kind of record) */
    public ImportResult run(Path input, Path outDir, Path rejects, Progress progress, boolean append) throws IOException {
        Files.createDirectories(outDir);
        Path output = outDir.resolve(outputFileName());
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(mapping.separator).withQuoteChar(mapping.quote);
        RowMapper rows = new RowMapper(mapping, input.getFileName().toString());
        long read = 0;
        long blank = 0;
        Sink sink;
        try (Reader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
             MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(schema).readValues(reader)) {
            if (!it.hasNextValue()) {
                throw new IOException(input + " is empty: expected a header line");
            }
            List<String> header = header(it.nextValue());
            // the mapping is checked against the header before any output is touched
            checkColumns(header, input);
            Files.deleteIfExists(rejects);
            sink = new Sink(mapping, output, rejects, append);
            try (sink) {
                sink.header(header);
                int rowNumber = 1;
                while (it.hasNextValue()) {
                    List<String> cells = it.nextValue();
                    rowNumber++;
                    read++;
                    progress.advanceTo(read);
                    if (cells.stream().allMatch(c -> c == null || c.isBlank())) {
                        blank++;
                        continue;
                    }
                    if (cells.size() > header.size()) {
                        sink.reject(rowNumber, "the row has " + cells.size() + " cells, the header " + header.size()
                                + " columns (a separator inside a cell that is not quoted?)", cells);
                        continue;
                    }
                    Map<String, String> row = new HashMap<>();
                    for (int i = 0; i < header.size(); i++) {
                        row.putIfAbsent(header.get(i), i < cells.size() ? cells.get(i) : "");
                    }
                    try {
                        sink.accept(rowNumber, rows.map(row, rowNumber), cells);
                    } catch (RowRejected e) {
                        sink.reject(rowNumber, e.getMessage(), cells);
                    }
                }
                sink.finish();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(input + " is not readable CSV: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        progress.finish();
        return new ImportResult(read, blank, sink.records, output, sink.rejected, sink.rejected > 0 ? rejects : null);
    }

    private static List<String> header(List<String> cells) {
        List<String> header = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String name = cells.get(i) == null ? "" : cells.get(i).trim();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1).trim();
            }
            header.add(name);
        }
        return header;
    }

    /** Names every column the mapping reads that the header lacks, with the key that reads it. */
    private void checkColumns(List<String> header, Path input) {
        List<String> missing = new ArrayList<>();
        for (FieldSource source : mapping.fields.values()) {
            for (String column : source.columns()) {
                if (!header.contains(column)) {
                    missing.add("columns." + source.field() + ": column '" + column + "'");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new MappingException(String.join("; ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not in the header of " + input.getFileName() + " (its columns: " + String.join(", ", header) + ")");
        }
    }

    /** Decodes and validates records, writes the good ones and the rejected rows. */
    private static final class Sink implements AutoCloseable {
        private final ImportMapping mapping;
        private final JsonEventCodec<SpecificRecord> codec;
        private final EventValidator<SpecificRecord> validator;
        private final Writer out;
        private final Path rejectsFile;
        private SequenceWriter rejects;
        private List<String> header;
        /** Contract rows by contract id and version, in file order. */
        private final Map<List<String>, List<ContractRow>> contracts = new LinkedHashMap<>();
        long records;
        long rejected;

        private record ContractRow(int rowNumber, ObjectNode fields, List<String> cells) {
        }

        @SuppressWarnings("unchecked")
        Sink(ImportMapping mapping, Path output, Path rejectsFile, boolean append) throws IOException {
            this.mapping = mapping;
            this.codec = new JsonEventCodec<>((io.leakwatch.serde.EventType<SpecificRecord>) mapping.kind.type);
            this.validator = (EventValidator<SpecificRecord>) mapping.kind.validator;
            this.out = append
                    ? Files.newBufferedWriter(output, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND)
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
            this.rejectsFile = rejectsFile;
        }

        void header(List<String> names) {
            this.header = names;
        }

        void accept(int rowNumber, ObjectNode fields, List<String> cells) throws IOException {
            if (mapping.kind == RecordKind.CONTRACT) {
                List<String> key = List.of(fields.path("contract_id").asText(""), fields.path("version").asText(""));
                contracts.computeIfAbsent(key, k -> new ArrayList<>()).add(new ContractRow(rowNumber, fields, cells));
                return;
            }
            String problem = write(fields);
            if (problem != null) {
                reject(rowNumber, problem, cells);
            }
        }

        /** Writes the record; returns why it cannot be written, or null. */
        private String write(ObjectNode fields) throws IOException {
            SpecificRecord record;
            try {
                record = codec.decode(fields.toString());
            } catch (EventDecodingException e) {
                return e.getMessage();
            }
            List<String> problems = validator.problems(record);
            if (!problems.isEmpty()) {
                return String.join("; ", problems);
            }
            out.write(codec.encodeLine(record));
            out.write('\n');
            records++;
            return null;
        }

        void finish() throws IOException {
            for (List<ContractRow> rows : contracts.values()) {
                writeContract(rows);
            }
        }

        private void writeContract(List<ContractRow> rows) throws IOException {
            ObjectNode first = rows.get(0).fields();
            ObjectNode contract = JSON.objectNode();
            for (String field : List.of("contract_id", "account_id", "version", "signed_at")) {
                if (first.has(field)) {
                    contract.set(field, first.get(field));
                }
            }
            List<ContractRow> kept = new ArrayList<>();
            for (ContractRow row : rows) {
                String account = row.fields().path("account_id").asText("");
                if (!account.equals(first.path("account_id").asText(""))) {
                    reject(row.rowNumber(), "account_id '" + account + "' differs from '" + first.path("account_id")
                            .asText("") + "' of row " + rows.get(0).rowNumber() + ", the first row of contract "
                            + first.path("contract_id").asText(""), row.cells());
                } else {
                    kept.add(row);
                }
            }
            List<ObjectNode> lines = new ArrayList<>();
            for (ContractRow row : kept) {
                ObjectNode line = JSON.objectNode();
                for (String field : RecordKind.RATE_LINE_FIELDS) {
                    if (row.fields().has(field)) {
                        line.set(field, row.fields().get(field));
                    }
                }
                lines.add(line);
            }
            closeOpenWindows(lines);
            if (!contract.hasNonNull("signed_at")) {
                lines.stream().map(l -> l.path("effective_from").asText(null)).filter(java.util.Objects::nonNull)
                        .min(Comparator.comparing(java.time.Instant::parse))
                        .ifPresent(t -> contract.put("signed_at", t));
            }
            ArrayNode array = contract.putArray("lines");
            lines.forEach(array::add);
            String problem = kept.isEmpty() ? null : write(contract);
            if (problem != null) {
                for (ContractRow row : kept) {
                    reject(row.rowNumber(), "contract " + contract.path("contract_id").asText("") + " version "
                            + contract.path("version").asText("") + ": " + problem, row.cells());
                }
            }
        }

        /** An open-ended rate line followed by a later one of the same service ends where the later one starts. */
        private static void closeOpenWindows(List<ObjectNode> lines) {
            Map<String, List<ObjectNode>> byService = new LinkedHashMap<>();
            for (ObjectNode line : lines) {
                if (line.hasNonNull("effective_from") && line.hasNonNull("service")) {
                    byService.computeIfAbsent(line.get("service").asText(), s -> new ArrayList<>()).add(line);
                }
            }
            for (List<ObjectNode> same : byService.values()) {
                same.sort(Comparator.comparing(l -> java.time.Instant.parse(l.get("effective_from").asText())));
                for (int i = 0; i + 1 < same.size(); i++) {
                    ObjectNode line = same.get(i);
                    JsonNode nextFrom = same.get(i + 1).get("effective_from");
                    if (!line.hasNonNull("effective_to") && !nextFrom.asText().equals(line.get("effective_from").asText())) {
                        line.set("effective_to", nextFrom);
                    }
                }
            }
        }

        void reject(int rowNumber, String reason, List<String> cells) throws IOException {
            if (rejects == null) {
                CsvSchema.Builder columns = CsvSchema.builder();
                for (int i = 0; i < width(); i++) {
                    columns.addColumn("c" + i);
                }
                rejects = CSV.writer(columns.build().withoutHeader())
                        .writeValues(Files.newBufferedWriter(rejectsFile, StandardCharsets.UTF_8));
                List<String> names = new ArrayList<>(List.of("row", "reason"));
                names.addAll(header);
                rejects.write(names);
            }
            List<String> row = new ArrayList<>(List.of(Integer.toString(rowNumber), reason));
            row.addAll(cells);
            if (row.size() > width()) {
                // a row longer than the header keeps its extra cells in its last one, joined by the separator
                List<String> extra = row.subList(width() - 1, row.size());
                String last = String.join(String.valueOf(mapping.separator), extra);
                row = new ArrayList<>(row.subList(0, width() - 1));
                row.add(last);
            }
            rejects.write(pad(row, width()));
            rejected++;
        }

        /** Row number, reason, then the header's columns. */
        private int width() {
            return header.size() + 2;
        }

        private static List<String> pad(List<String> cells, int width) {
            List<String> padded = new ArrayList<>(cells);
            while (padded.size() < width) {
                padded.add("");
            }
            return padded;
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } finally {
                if (rejects != null) {
                    rejects.close();
                }
            }
        }
    }
}
