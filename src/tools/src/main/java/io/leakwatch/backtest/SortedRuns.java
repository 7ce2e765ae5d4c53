package io.leakwatch.backtest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An external sort of one input's records that are not in replay order: they are taken in chunks of at most
 * {@code runSize}, each chunk sorted by {@link ReplayRecord#ORDER} and spilled to a temporary file (a run), and a pass
 * merges the runs ({@link ReplayRecords#merge}). Memory holds one chunk while sorting and one record per run while
 * replaying. The runs are deleted when the JVM exits.
 */
final class SortedRuns {
    /** Records per run: about 20-50 MB of JSON lines. */
    static final int RUN_SIZE = 100_000;

    private SortedRuns() {
    }

    /** Sorts {@code records} of {@code topic} (input {@code topicOrder}) into runs under the temporary directory. */
    static ReplayRecords sort(Iterator<ReplayRecord> records, String topic, int topicOrder, int runSize) throws IOException {
        List<ReplayRecords> runs = new ArrayList<>();
        List<ReplayRecord> chunk = new ArrayList<>();
        while (records.hasNext()) {
            chunk.add(records.next());
            if (chunk.size() == runSize) {
                runs.add(spill(chunk, topic, topicOrder));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            runs.add(spill(chunk, topic, topicOrder));
        }
        return ReplayRecords.merge(runs);
    }

    private static ReplayRecords spill(List<ReplayRecord> chunk, String topic, int topicOrder) throws IOException {
        chunk.sort(ReplayRecord.ORDER);
        try (Writer writer = new Writer()) {
            for (ReplayRecord r : chunk) {
                writer.write(r);
            }
            return writer.finish(topic, topicOrder, 0);
        }
    }

    /**
     * Records written to a temporary file as they come, read back in the same order: a sorted run, or an input's
     * records spilled as they are read.
     */
    static final class Writer implements java.io.Closeable {
        private final Path file;
        private final DataOutputStream out;
        private long count;

        Writer() throws IOException {
            file = Files.createTempFile("leakwatch-replay-run-", ".bin");
            file.toFile().deleteOnExit();
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }

        void write(ReplayRecord r) throws IOException {
            out.writeLong(r.timestamp());
            out.writeInt(r.line());
            byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
            out.writeInt(key == null ? -1 : key.length);
            if (key != null) {
                out.write(key);
            }
            out.writeInt(r.value().length);
            out.write(r.value());
            count++;
        }

        long count() {
            return count;
        }

        /**
         * The records written, read back as records of {@code topic} (input {@code topicOrder}) with {@code lineBase}
         * added to their lines.
         */
        ReplayRecords finish(String topic, int topicOrder, int lineBase) throws IOException {
            out.close();
            return new Run(file, topic, topicOrder, count, lineBase);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Records on disk, in the order written. */
    private record Run(Path file, String topic, int topicOrder, long size, int lineBase) implements ReplayRecords {
        @Override
        public Cursor open() throws IOException {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            return new Cursor() {
                private long read;

                @Override
                public boolean hasNext() {
                    return read < size;
                }

                @Override
                public ReplayRecord next() {
                    if (read == size) {
                        throw new NoSuchElementException();
                    }
                    try {
                        long timestamp = in.readLong();
                        int line = lineBase + in.readInt();
                        int keyLength = in.readInt();
                        String key = keyLength < 0 ? null : new String(in.readNBytes(keyLength), StandardCharsets.UTF_8);
                        byte[] value = in.readNBytes(in.readInt());
                        read++;
                        return new ReplayRecord(topic, topicOrder, key, value, timestamp, line);
                    } catch (EOFException e) {
                        throw new UncheckedIOException("run " + file + " ends early", e);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read run " + file, e);
                    }
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        }
    }
}
