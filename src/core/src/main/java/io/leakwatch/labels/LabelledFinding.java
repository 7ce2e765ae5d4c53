package io.leakwatch.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One line of a labels file: a finding that is known to be true. Alerts and labels share the fields
 * {@code type}, {@code account_id}, {@code evidence_key}, {@code amount} and {@code currency}; other fields
 * are ignored here.
 */
public record LabelledFinding(String type, String accountId, String evidenceKey, BigDecimal amount, String currency) {

    public static List<LabelledFinding> read(Path file) throws IOException {
        return readJsonLines(file, "a label", node -> new LabelledFinding(text(node, "type"), text(node, "account_id"),
                text(node, "evidence_key"), new BigDecimal(text(node, "amount")), text(node, "currency")));
    }

    /**
     * Every non-blank line of a JSON Lines file, parsed. A line that is not JSON or that {@code parse} refuses (any
     * runtime exception) is an IOException naming the file, the line number and {@code what} the line should be.
     */
    public static <T> List<T> readJsonLines(Path file, String what, Function<JsonNode, T> parse) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<T> rows = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(parse.apply(mapper.readTree(line)));
                } catch (IOException | RuntimeException e) {
                    throw new IOException(file + " line " + lineNo + " is not " + what + ": "
                            + io.leakwatch.serde.JsonErrors.oneLine(e));
                }
            }
        }
        return rows;
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return value.asText();
    }
}
