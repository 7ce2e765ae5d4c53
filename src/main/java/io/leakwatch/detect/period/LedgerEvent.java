package io.leakwatch.detect.period;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;

/**
 * One input of the period ledger: the four account-keyed streams merged into one. Lives only between two
 * processors of one sub-topology (never serialized).
 */
public sealed interface LedgerEvent {
    record Usage(UsageRecord record) implements LedgerEvent {
    }

    record Line(InvoiceLine line) implements LedgerEvent {
    }

    record Provisioning(ProvisioningChange change) implements LedgerEvent {
    }

    /** A contract version arrived: the account's open periods must be judged even if nothing else happens. */
    record ContractSeen(Contract contract) implements LedgerEvent {
    }
}
