package io.leakwatch.detect.invoice;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;

/** An invoice line and the contract version in force at its record time (null when the account has none). */
public record LineWithContract(InvoiceLine line, Contract contract) {
}
