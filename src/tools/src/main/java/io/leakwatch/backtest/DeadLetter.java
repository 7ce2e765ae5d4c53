package io.leakwatch.backtest;

/** A record the topology refused during a replay, as written to {@code dead-letter.jsonl}. */
public record DeadLetter(String reason, String detail, String sourceTopic, String sourceOffset, String value) {
}
