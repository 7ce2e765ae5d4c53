package io.leakwatch.backtest;

import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
 * <p>A line that does not decode is still replayed (it must reach the dead-letter topic, as it would in
 * production): with no key, at the event time of the line before it in the same file. Input that cannot be replayed
 * at all is refused with an IOException naming the file and the line: a line that is not UTF-8, a file that cannot
 * be read, a file in which no line is a JSON object.
 */
public final class JsonLinesInput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        int firstNotJson = 0;
        boolean anyJson = false;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Lines lines = new Lines(file)) {
            byte[] bytes;
            while ((bytes = lines.next()) != null) {
                int lineNo = lines.number();
                String text = decode(utf8, bytes, file, lineNo);
                if (text.isBlank()) {
                    continue;
                }
                try {
                    T event = codec.decode(bytes);
                    anyJson = true;
                    lastTimestamp = type.eventTime().apply(event).toEpochMilli();
                    into.add(new ReplayRecord(topic, order, type.accountId().apply(event), bytes, lastTimestamp, lineNo));
                } catch (EventDecodingException e) {
                    if (isJsonObject(bytes)) {
                        anyJson = true;
                    } else if (firstNotJson == 0) {
                        firstNotJson = lineNo;
                    }
                    if (lastTimestamp == Long.MIN_VALUE) {
                        undatedLines.add(into.size());
                    }
                    into.add(new ReplayRecord(topic, order, null, bytes, lastTimestamp, lineNo));
                }
            }
        }
        if (!anyJson && firstNotJson > 0) {
            // a line that is not JSON among events is a record to dead-letter; a file with no JSON at all is the
            // wrong file (CSV, compressed, another format), and replaying it would only fill the dead-letter file
            throw new IOException(file + " line " + firstNotJson + " is not JSON, and no line of the file is a JSON"
                    + " object: not a JSON Lines file");
        }
        // Undecodable lines before the first decodable one take the first event time of the file.
        for (int index : undatedLines) {
            ReplayRecord r = into.get(index);
            long first = lastTimestamp == Long.MIN_VALUE ? 0L : firstTimestamp(into, topic);
            into.set(index, new ReplayRecord(r.topic(), r.topicOrder(), r.key(), r.value(), first, r.line()));
        }
    }

    private static String decode(CharsetDecoder utf8, byte[] bytes, Path file, int lineNo) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = utf8.reset().decode(in, out, true);
        if (result.isError()) {
            throw new IOException(file + " line " + lineNo + " is not UTF-8 text (byte " + (in.position() + 1)
                    + " of the line); a JSON Lines file is UTF-8");
        }
        utf8.flush(out);
        return out.flip().toString();
    }

    private static boolean isJsonObject(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes) instanceof com.fasterxml.jackson.databind.node.ObjectNode;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The lines of a file as bytes, ended by {@code \n}, {@code \r} or {@code \r\n} as {@link java.io.BufferedReader} ends
     * them: each line is checked as UTF-8 with its number before it is replayed.
     */
    private static final class Lines implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private int number;
        private boolean skipLineFeed;

        Lines(Path file) throws IOException {
            this.file = file;
            try {
                this.in = Files.newInputStream(file);
            } catch (IOException e) {
                throw new IOException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }

        /** The next line without its end, or null at the end of the file. */
        byte[] next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (position == limit && !fill()) {
                    if (line == null) {
                        return null;
                    }
                    number++;
                    return line.toByteArray();
                }
                if (skipLineFeed) {
                    skipLineFeed = false;
                    if (buffer[position] == '\n') {
                        position++;
                        continue;
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                    position++;
                }
                if (line == null) {
                    line = new ByteArrayOutputStream(Math.max(16, position - start));
                }
                line.write(buffer, start, position - start);
                if (position < limit) {
                    skipLineFeed = buffer[position] == '\r';
                    position++;
                    number++;
                    return line.toByteArray();
                }
            }
        }

        int number() {
            return number;
        }

        private boolean fill() throws IOException {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new IOException("cannot read " + file + " after line " + number + " (" + e.getMessage() + ")", e);
            }
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static long firstTimestamp(List<ReplayRecord> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic) && r.timestamp() != Long.MIN_VALUE)
                .mapToLong(ReplayRecord::timestamp).min().orElse(0L);
    }
}
