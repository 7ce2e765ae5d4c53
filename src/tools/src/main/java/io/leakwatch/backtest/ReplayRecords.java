package io.leakwatch.backtest;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * A history's records in replay order ({@link ReplayRecord#ORDER}), read as a replay consumes them rather than held
 * whole: each {@link #open} is one pass from the start.
 */
public interface ReplayRecords {
    /** How many records a pass gives. */
    long size();

    /** A pass over the records in replay order; close it when done. */
    Cursor open() throws IOException;

    /**
     * A pass. {@link #hasNext} and {@link #next} throw {@link UncheckedIOException} when the underlying file or run
     * cannot be read.
     */
    interface Cursor extends Iterator<ReplayRecord>, Closeable {
    }

    /** A cursor that reads one record ahead: {@link #advance} gives the next record, or null at the end. */
    abstract class ReadAhead implements Cursor {
        private ReplayRecord next;
        private boolean started;

        protected abstract ReplayRecord advance();

        @Override
        public boolean hasNext() {
            if (!started) {
                next = advance();
                started = true;
            }
            return next != null;
        }

        @Override
        public ReplayRecord next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            ReplayRecord r = next;
            next = advance();
            return r;
        }
    }

    /** Every record of a pass, in memory: for small histories and tests. */
    default List<ReplayRecord> toList() {
        List<ReplayRecord> all = new ArrayList<>();
        try (Cursor cursor = open()) {
            cursor.forEachRemaining(all::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    default Stream<ReplayRecord> stream() {
        return toList().stream();
    }

    /** Records already in memory and in replay order. */
    static ReplayRecords of(List<ReplayRecord> records) {
        List<ReplayRecord> held = List.copyOf(records);
        return new ReplayRecords() {
            @Override
            public long size() {
                return held.size();
            }

            @Override
            public Cursor open() {
                Iterator<ReplayRecord> it = held.iterator();
                return new Cursor() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public ReplayRecord next() {
                        return it.next();
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public List<ReplayRecord> toList() {
                return held;
            }
        };
    }

    /**
     * The records of several parts, each in replay order, merged into one replay order (a k-way merge that holds one
     * record per part). The parts' records must differ by {@link ReplayRecord#ORDER}: different inputs, or different
     * lines of one input.
     */
    static ReplayRecords merge(List<? extends ReplayRecords> parts) {
        List<ReplayRecords> held = List.copyOf(parts);
        long size = held.stream().mapToLong(ReplayRecords::size).sum();
        return new ReplayRecords() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public Cursor open() throws IOException {
                return new Merge(held);
            }
        };
    }

    /** The k-way merge of {@link #merge}. */
    final class Merge implements Cursor {
        private record Head(ReplayRecord record, Cursor from) {
        }

        private final List<Cursor> cursors = new ArrayList<>();
        private final PriorityQueue<Head> heads =
                new PriorityQueue<>((a, b) -> ReplayRecord.ORDER.compare(a.record(), b.record()));

        private Merge(List<ReplayRecords> parts) throws IOException {
            try {
                for (ReplayRecords part : parts) {
                    Cursor cursor = part.open();
                    cursors.add(cursor);
                    if (cursor.hasNext()) {
                        heads.add(new Head(cursor.next(), cursor));
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public ReplayRecord next() {
            Head head = heads.poll();
            if (head == null) {
                throw new java.util.NoSuchElementException();
            }
            if (head.from().hasNext()) {
                heads.add(new Head(head.from().next(), head.from()));
            }
            return head.record();
        }

        @Override
        public void close() throws IOException {
            IOException failed = null;
            for (Cursor cursor : cursors) {
                try {
                    cursor.close();
                } catch (IOException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
