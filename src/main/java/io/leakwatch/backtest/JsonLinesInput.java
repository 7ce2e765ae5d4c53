package io.leakwatch.backtest;

import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads a directory of JSON Lines files ({@code <topic>.jsonl}, one event per line) into one replay order:
 * by event time, then by topic (in the order given: contracts before invoices at the same instant), then by
 * line number. The order depends only on the files, so a replay is deterministic.
 *
 * <p>A line that does not decode is still replayed (it must reach the dead-letter topic): with no key, at the
 * event time of the line before it in the same file.
 */
public final class JsonLinesInput {
    private JsonLinesInput() {
    }

    /**
     * Every input topic of the catalog with its event type, in the tie-break order of a replay: contracts and
     * provisioning before the usage, invoices and payments they govern at the same instant.
     */
    public static Map<String, EventType<?>> inputTopics(io.leakwatch.topics.TopicCatalog topics) {
        Map<String, EventType<?>> inputs = new java.util.LinkedHashMap<>();
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.CONTRACTS), EventType.CONTRACT);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.PROVISIONING), EventType.PROVISIONING);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.USAGE), EventType.USAGE);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.INVOICES), EventType.INVOICE_LINE);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.PAYMENTS), EventType.PAYMENT);
        return inputs;
    }

    /** @param topics topic name -> event type, in tie-break order */
    public static List<ReplayRecord> read(Path dir, Map<String, EventType<?>> topics) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("input directory " + dir + " does not exist");
        }
        List<ReplayRecord> records = new ArrayList<>();
        int order = 0;
        boolean any = false;
        for (Map.Entry<String, EventType<?>> topic : topics.entrySet()) {
            Path file = dir.resolve(topic.getKey() + ".jsonl");
            if (Files.isRegularFile(file)) {
                any = true;
                readFile(file, topic.getKey(), order, topic.getValue(), records);
            }
            order++;
        }
        if (!any) {
            throw new IOException("no input files in " + dir + " (expected " + String.join(", ",
                    topics.keySet().stream().map(t -> t + ".jsonl").toList()) + ")");
        }
        records.sort(Comparator.comparingLong(ReplayRecord::timestamp)
                .thenComparingInt(ReplayRecord::topicOrder)
                .thenComparingInt(ReplayRecord::line));
        return records;
    }

    private static <T extends SpecificRecord> void readFile(Path file, String topic, int order, EventType<T> type,
                                                            List<ReplayRecord> into) throws IOException {
        JsonEventCodec<T> codec = new JsonEventCodec<>(type);
        long lastTimestamp = Long.MIN_VALUE;
        List<Integer> undatedLines = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                lineNo++;
                if (text.isBlank()) {
                    continue;
                }
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                try {
                    T event = codec.decode(bytes);
                    lastTimestamp = type.eventTime().apply(event).toEpochMilli();
                    into.add(new ReplayRecord(topic, order, type.accountId().apply(event), bytes, lastTimestamp, lineNo));
                } catch (EventDecodingException e) {
                    if (lastTimestamp == Long.MIN_VALUE) {
                        undatedLines.add(into.size());
                    }
                    into.add(new ReplayRecord(topic, order, null, bytes, lastTimestamp, lineNo));
                }
            }
        }
        // Undecodable lines before the first decodable one take the first event time of the file.
        for (int index : undatedLines) {
            ReplayRecord r = into.get(index);
            long first = lastTimestamp == Long.MIN_VALUE ? 0L : firstTimestamp(into, topic);
            into.set(index, new ReplayRecord(r.topic(), r.topicOrder(), r.key(), r.value(), first, r.line()));
        }
    }

    private static long firstTimestamp(List<ReplayRecord> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic) && r.timestamp() != Long.MIN_VALUE)
                .mapToLong(ReplayRecord::timestamp).min().orElse(0L);
    }
}
