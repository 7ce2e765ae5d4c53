package io.leakwatch.detect.payment;

import java.time.Duration;
import java.util.Objects;

/**
 * The durations of the payment rules (docs/detectors.md, "Payments").
 *
 * @param grace        after the due date, before an unpaid or under-paid invoice is judged
 *                     ({@code leakwatch.payments.grace})
 * @param retryWindow  a successful payment up to this long after a failed one recovers it
 *                     ({@code leakwatch.payments.retry-window})
 * @param defaultTerms due = issued_at + this when a line has no {@code due_at}
 *                     ({@code leakwatch.payments.default-terms}); also how long payments for an invoice whose
 *                     lines never arrive are kept before they are forgotten
 * @param lineLateness ingest dead-letters an invoice line older than stream time minus this; a judged invoice is
 *                     kept until {@code issued_at + lineLateness}, so a redelivered line cannot reopen it
 */
public record PaymentTerms(Duration grace, Duration retryWindow, Duration defaultTerms, Duration lineLateness) {
    public PaymentTerms {
        Objects.requireNonNull(grace);
        Objects.requireNonNull(retryWindow);
        Objects.requireNonNull(defaultTerms);
        Objects.requireNonNull(lineLateness);
        if (grace.isNegative() || retryWindow.isNegative() || defaultTerms.isNegative() || lineLateness.isNegative()) {
            throw new IllegalArgumentException("payment durations must not be negative");
        }
    }
}
