package io.leakwatch.backtest;

/**
 * One line of a JSON Lines input file, ready to be replayed: the topic it belongs to, its key (the event's
 * account_id, null when the line does not decode), its raw bytes and its event time.
 *
 * @param line 1-based line number in its file, for messages and as a stable tie-breaker
 */
public record ReplayRecord(String topic, int topicOrder, String key, byte[] value, long timestamp, int line) {
}
