package io.leakwatch.stream;

import io.leakwatch.detect.unattributed.TaskPartial;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;

/** What {@link AccountProcessor} forwards; the topology splits it by kind to the sinks. */
public sealed interface AccountOutput {
    /** A record of an alert's life (raised, revised, withdrawn), keyed by account. */
    record AlertRecord(Alert alert) implements AccountOutput {
    }

    /** A published risk score, keyed by account. */
    record Risk(AccountRisk risk) implements AccountOutput {
    }

    /** A period-end feature snapshot as one JSON line, keyed by account. */
    record Snapshot(String json) implements AccountOutput {
    }

    /** This task's changes to period totals and its closed-through watermark, for the unattributed summary. */
    record Partial(TaskPartial partial) implements AccountOutput {
    }

    /** An event refused after ingest, in the wire format, with dead-letter headers on the record. */
    record Refused(byte[] value) implements AccountOutput {
    }
}
