package io.leakwatch.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes replay results as JSON Lines: {@code alerts.jsonl} (canonical alert JSON), {@code dead-letter.jsonl} and,
 * when risk scoring is on, {@code account-risk.jsonl} (the published scores in the order the topology wrote them).
 */
public final class BacktestFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BacktestFiles() {
    }

    /**
     * Creates {@code dir} if needed and makes sure the files about to be written there can be: checked before a
     * replay, so an output that cannot be written fails at once instead of after the whole replay.
     *
     * @throws IOException one line naming the directory or the file
     */
    public static void requireWritable(Path dir, String... files) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create output directory " + dir + " (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".leakwatch-", ".tmp"));
        } catch (IOException e) {
            throw new IOException("output directory " + dir + " is not writable (" + e.getClass().getSimpleName() + ")", e);
        }
        for (String name : files) {
            Path file = dir.resolve(name);
            if (Files.exists(file) && (!Files.isRegularFile(file) || !Files.isWritable(file))) {
                throw new IOException("cannot write " + file + ": it is " + (Files.isDirectory(file) ? "a directory"
                        : Files.isRegularFile(file) ? "not writable" : "not a regular file"));
            }
        }
    }

    public static Path writeAlerts(List<Alert> alerts, Path dir) throws IOException {
        return writeEvents(alerts, EventType.ALERT, dir.resolve("alerts.jsonl"));
    }

    public static Path writeRisks(List<AccountRisk> risks, Path dir) throws IOException {
        return writeEvents(risks, EventType.ACCOUNT_RISK, dir.resolve("account-risk.jsonl"));
    }

    /** One canonical JSON line per event, in list order. */
    private static <T extends SpecificRecord> Path writeEvents(List<T> events, EventType<T> type, Path file)
            throws IOException {
        Files.createDirectories(file.getParent());
        JsonEventCodec<T> codec = new JsonEventCodec<>(type);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (T event : events) {
                out.write(codec.encodeLine(event));
                out.write('\n');
            }
        }
        return file;
    }

    public static Path writeDeadLetters(List<DeadLetter> deadLetters, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("dead-letter.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (DeadLetter d : deadLetters) {
                ObjectNode node = MAPPER.createObjectNode();
                node.put("reason", d.reason());
                node.put("detail", d.detail());
                node.put("source_topic", d.sourceTopic());
                node.put("source_offset", d.sourceOffset());
                node.put("value", d.value());
                out.write(MAPPER.writeValueAsString(node));
                out.write('\n');
            }
        }
        return file;
    }
}
