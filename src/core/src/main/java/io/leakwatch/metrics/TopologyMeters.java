package io.leakwatch.metrics;

import io.leakwatch.events.Alert;

/**
 * What the topology tells a metrics registry: one call per record it reads from an input topic, per alert record it
 * writes to {@code alerts}, and per record it writes to {@code dead-letter}. Kafka-free and registry-free: the
 * running application implements it on its metrics registry, everything else (backtests, replays, tests) runs with
 * {@link #NONE}.
 *
 * <p>Calls are made on stream threads, from several at once: implementations must be thread-safe, must not block
 * and must not throw. They only observe: nothing the topology writes depends on them. Under exactly-once a task that
 * fails mid-transaction processes its records again after the abort, so every count here may exceed what the
 * output topics hold after a failure (never fall short of it).
 */
public interface TopologyMeters {
    /** Counts nothing. */
    TopologyMeters NONE = new TopologyMeters() {
    };

    /** A record was read from the input topic {@code topic} (before it is decoded or judged). */
    default void recordIn(String topic) {
    }

    /** An alert record (opened, revised, raised again or withdrawn) is written to {@code alerts}. */
    default void alert(Alert alert) {
    }

    /** A record is written to {@code dead-letter} with reason {@code reason} (header {@code leakwatch.dlq.reason}). */
    default void deadLetter(String reason) {
    }
}
