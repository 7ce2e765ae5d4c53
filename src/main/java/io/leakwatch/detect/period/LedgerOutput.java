package io.leakwatch.detect.period;

import io.leakwatch.events.Alert;

/** What the period ledger emits: alerts, and records it refused (for the dead-letter topic). Never serialized. */
public sealed interface LedgerOutput {
    record Raised(Alert alert) implements LedgerOutput {
    }

    /** A refused record, re-encoded in the wire format; the dead-letter headers are on the Kafka record. */
    record Refused(byte[] value) implements LedgerOutput {
    }
}
