package io.leakwatch.detect.invoice;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import org.apache.kafka.streams.kstream.ValueJoiner;

/**
 * Pairs an invoice line with the contract version the versioned table held at the line's timestamp. A left
 * join: a line for an account with no contract still arrives here (contract = null) so it can be reported.
 */
public final class InvoiceLineContractJoiner implements ValueJoiner<InvoiceLine, Contract, LineWithContract> {
    @Override
    public LineWithContract apply(InvoiceLine line, Contract contract) {
        return new LineWithContract(line, contract);
    }
}
