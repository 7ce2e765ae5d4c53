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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.io.UncheckedIOException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads a directory of JSON Lines files ({@code <topic>.jsonl}, one event per line) into one replay order:
 * by event time, then by topic (in the order given: contracts before invoices at the same instant), then by
 * line number ({@link ReplayRecord#ORDER}). The order depends only on the files, so a replay is deterministic.
 *
 * <p>The records are streamed, not held: a first pass over each file checks it, counts its records and finds whether
 * it is in time order (as files exported from an event log are); a replay then merges the files line by line
 * ({@link ReplayRecords#merge}). A file that is not in time order is sorted externally once, into sorted runs on
 * disk ({@link SortedRuns}), which the replay merges the same way. Either way the replay order is the one a sort of
 * every record would give.
 *
 * <p>A line that does not decode is still replayed (it must reach the dead-letter topic, as it would in
 * production): with no key, at the event time of the line before it in the same file (before the first line that
 * decodes: the file's earliest event time). Input that cannot be replayed at all is refused with an IOException
 * naming the file and the line: a line that is not UTF-8, a file that cannot be read, a file in which no line is a
 * JSON object.
 */
public final class JsonLinesInput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLinesInput() {
    }

    /**
     * Every input topic of the catalog with its event type, in the tie-break order of a replay: contracts and
     * provisioning before the usage, invoices and payments they govern at the same instant, and people's alert
     * feedback last (a decision given at the instant of an event is about the alerts as that event left them).
     */
    public static Map<String, EventType<?>> inputTopics(io.leakwatch.topics.TopicCatalog topics) {
        Map<String, EventType<?>> inputs = new java.util.LinkedHashMap<>();
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.CONTRACTS), EventType.CONTRACT);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.PROVISIONING), EventType.PROVISIONING);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.USAGE), EventType.USAGE);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.INVOICES), EventType.INVOICE_LINE);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.PAYMENTS), EventType.PAYMENT);
        inputs.put(topics.name(io.leakwatch.topics.TopicCatalog.ALERT_FEEDBACK), EventType.ALERT_FEEDBACK);
        return inputs;
    }

    /** Every record of the files, in memory and in replay order: for small histories and tests. */
    public static List<ReplayRecord> read(Path dir, Map<String, EventType<?>> topics) throws IOException {
        return open(dir, topics, ReplayRange.ALL, Set.of()).toList();
    }

    /**
     * Checks the files and gives their records in replay order, streamed.
     *
     * @param topics   topic name -> event type, in tie-break order
     * @param range    the records read: {@link ReplayRange#reads}
     * @param standing the topics read from the start whatever the range's start
     */
    public static ReplayRecords open(Path dir, Map<String, EventType<?>> topics, ReplayRange range, Set<String> standing)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("input directory " + dir + " does not exist");
        }
        List<ReplayRecords> files = new ArrayList<>();
        int order = 0;
        boolean any = false;
        for (Map.Entry<String, EventType<?>> topic : topics.entrySet()) {
            Path file = dir.resolve(topic.getKey() + ".jsonl");
            if (Files.isRegularFile(file)) {
                any = true;
                files.add(file(file, topic.getKey(), order, topic.getValue(), range, standing.contains(topic.getKey())));
            }
            order++;
        }
        if (!any) {
            throw new IOException("no input files in " + dir + " (expected " + String.join(", ",
                    topics.keySet().stream().map(t -> t + ".jsonl").toList()) + ")");
        }
        return ReplayRecords.merge(files);
    }

    /** One file's records in replay order: a first pass checks and counts them, a file out of time order is sorted. */
    private static <T extends SpecificRecord> ReplayRecords file(Path file, String topic, int order, EventType<T> type,
                                                                 ReplayRange range, boolean standing) throws IOException {
        long count = 0;
        long leadingUndecoded = 0;
        long earliest = Long.MAX_VALUE;
        long previous = Long.MIN_VALUE;
        boolean inOrder = true;
        try (Lines<T> lines = new Lines<>(file, topic, order, type, Long.MIN_VALUE, true)) {
            ReplayRecord r;
            while ((r = lines.next()) != null) {
                if (lines.decoded()) {
                    inOrder &= r.timestamp() >= previous;
                    previous = r.timestamp();
                    earliest = Math.min(earliest, r.timestamp());
                } else if (previous == Long.MIN_VALUE) {
                    leadingUndecoded++;
                    continue;
                }
                if (range.reads(r.timestamp(), standing)) {
                    count++;
                }
            }
            lines.requireJson();
        }
        // undecodable lines before the first decodable one take the file's earliest event time
        long first = earliest == Long.MAX_VALUE ? 0L : earliest;
        if (leadingUndecoded > 0 && range.reads(first, standing)) {
            count += leadingUndecoded;
        }
        FileRecords<T> records = new FileRecords<>(file, topic, order, type, first, range, standing, count);
        if (inOrder) {
            return records;
        }
        try (ReplayRecords.Cursor unsorted = records.open()) {
            return SortedRuns.sort(unsorted, topic, order, SortedRuns.RUN_SIZE);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A file in time order, read line by line at each pass (the records of the range only). */
    private record FileRecords<T extends SpecificRecord>(Path file, String topic, int order, EventType<T> type,
                                                         long first, ReplayRange range, boolean standing, long size)
            implements ReplayRecords {
        @Override
        public Cursor open() throws IOException {
            Lines<T> lines = new Lines<>(file, topic, order, type, first, false);
            return new ReadAhead() {
                @Override
                protected ReplayRecord advance() {
                    try {
                        ReplayRecord r;
                        while ((r = lines.next()) != null) {
                            if (range.reads(r.timestamp(), standing)) {
                                return r;
                            }
                        }
                        return null;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void close() throws IOException {
                    lines.close();
                }
            };
        }
    }

    /**
     * The records of a file in file order: each line checked as UTF-8 and decoded. An undecodable line takes the event
     * time of the last decoded line before it, or {@code first} before any.
     */
    private static final class Lines<T extends SpecificRecord> implements AutoCloseable {
        private final Path file;
        private final String topic;
        private final int order;
        private final EventType<T> type;
        private final long first;
        private final boolean checking;
        private final JsonEventCodec<T> codec;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final RawLines raw;
        private long last = Long.MIN_VALUE;
        private boolean decoded;
        private boolean anyJson;
        private int firstNotJson;

        /** @param checking whether to note lines that are not JSON ({@link #requireJson}) */
        Lines(Path file, String topic, int order, EventType<T> type, long first, boolean checking) throws IOException {
            this.file = file;
            this.topic = topic;
            this.order = order;
            this.type = type;
            this.first = first;
            this.checking = checking;
            this.codec = new JsonEventCodec<>(type);
            this.raw = new RawLines(file);
        }

        /** The next record, or null at the end of the file. */
        ReplayRecord next() throws IOException {
            byte[] bytes;
            while ((bytes = raw.next()) != null) {
                int lineNo = raw.number();
                String text = decode(utf8, bytes, file, lineNo);
                if (text.isBlank()) {
                    continue;
                }
                try {
                    T event = codec.decode(bytes);
                    anyJson = true;
                    decoded = true;
                    last = type.eventTime().apply(event).toEpochMilli();
                    return new ReplayRecord(topic, order, type.accountId().apply(event), bytes, last, lineNo);
                } catch (EventDecodingException e) {
                    if (checking) {
                        if (isJsonObject(bytes)) {
                            anyJson = true;
                        } else if (firstNotJson == 0) {
                            firstNotJson = lineNo;
                        }
                    }
                    decoded = false;
                    return new ReplayRecord(topic, order, null, bytes, last == Long.MIN_VALUE ? first : last, lineNo);
                }
            }
            return null;
        }

        /** Whether the last record decoded. */
        boolean decoded() {
            return decoded;
        }

        /**
         * Refuses a file in which no line is JSON: a line that is not JSON among events is a record to dead-letter;
         * a file with no JSON at all is the wrong file (CSV, compressed, another format), and replaying it would only
         * fill the dead-letter file.
         */
        void requireJson() throws IOException {
            if (!anyJson && firstNotJson > 0) {
                throw new IOException(file + " line " + firstNotJson + " is not JSON, and no line of the file is a JSON"
                        + " object: not a JSON Lines file");
            }
        }

        @Override
        public void close() throws IOException {
            raw.close();
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
    private static final class RawLines implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private int number;
        private boolean skipLineFeed;

        RawLines(Path file) throws IOException {
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
}
