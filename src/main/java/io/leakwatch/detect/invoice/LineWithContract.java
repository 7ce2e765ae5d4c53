package io.leakwatch.detect.invoice;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;

/**
 * An invoice line and the contract version in force at its record time (null when the account has none).
 *
 * @param redelivery the identical line was seen before: its per-line alerts repeat (and are suppressed), but it
 *                   must not be counted again in period totals
 */
public record LineWithContract(InvoiceLine line, Contract contract, boolean redelivery) {

    public LineWithContract(InvoiceLine line, Contract contract) {
        this(line, contract, false);
    }

    /** No contract version at the line's time: the account is unknown to every contract, the line is unattributed. */
    public boolean accountHasNoContract() {
        return contract == null;
    }
}
