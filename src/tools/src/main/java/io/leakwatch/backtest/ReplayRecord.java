package io.leakwatch.backtest;

import java.util.Comparator;

/**
 * One record of a history, ready to be replayed: the topic it belongs to, its key (the event's account_id, null when
 * the record does not decode), its raw bytes and its event time.
 *
 * @param topicOrder the input's place in the tie-break order of a replay (contracts before invoices)
 * @param line       1-based position in its input (line of its file, or place in its topic), for messages and as a
 *                   stable tie-breaker
 */
public record ReplayRecord(String topic, int topicOrder, String key, byte[] value, long timestamp, int line) {
    /** Replay order: event time, then input, then position in the input. */
    public static final Comparator<ReplayRecord> ORDER = Comparator.comparingLong(ReplayRecord::timestamp)
            .thenComparingInt(ReplayRecord::topicOrder)
            .thenComparingInt(ReplayRecord::line);
}
