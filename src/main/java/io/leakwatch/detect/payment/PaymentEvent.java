package io.leakwatch.detect.payment;

import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;

/**
 * What the payment detector consumes: the invoice-line stream and the payment stream, merged into one stream
 * keyed by account so a single processor owns each invoice's state. Never serialized: the merge happens inside
 * one sub-topology and nothing is repartitioned.
 */
public sealed interface PaymentEvent {

    /** An invoice line: adds to the invoice's total and fixes its currency, issue time and due date. */
    record LineIssued(InvoiceLine line) implements PaymentEvent {
    }

    /** A payment attempt, refund or credit note against an invoice. */
    record PaymentMade(Payment payment) implements PaymentEvent {
    }
}
