package io.leakwatch.backtest;

import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.topology.DetectionSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a replay leaves unjudged when its input ends, and why: judgements wait for stream time (the latest event
 * time) to pass their moment, and at the end of the input it stops. With {@code e} the last event time:
 * <ul>
 *   <li>every billing period P with {@code end(P) + close-grace > e} is not yet judged (the period checks, unattributed
 *       revenue and the revenue baselines wait for {@code close(P)});</li>
 *   <li>an invoice due after {@code e - payments.grace} is not yet judged unpaid or under-paid;</li>
 *   <li>a payment failed after {@code e - payments.retry-window} is not yet judged unrecovered.</li>
 * </ul>
 * Production leaves them open the same way, until later events move stream time past them.
 *
 * <p>Closed at the end ({@code --close-at-end}, {@link #closed}): what happened by {@code e} is judged as if every grace
 * had passed with nothing more arriving (periods with {@code end(P) <= e}, invoices due by {@code e}, every failed
 * payment), and only what had not happened yet stays open: the period holding {@code e}, which is partial, and the
 * invoices due after {@code e}.
 *
 * @param lastEvent       the last event time of the input (stream time at its end)
 * @param firstOpenPeriod the earliest billing period not yet judged
 * @param periodCloses    when that period would be judged
 * @param dueAfter        invoices due after this are not yet judged unpaid or under-paid
 * @param failedAfter     payments failed after this are not yet judged unrecovered
 * @param closedAtEnd     whether the replay judged what had happened by {@code lastEvent} as if the graces had passed
 */
public record OpenAtEnd(Instant lastEvent, BillingPeriod firstOpenPeriod, Instant periodCloses, Instant dueAfter,
                        Instant failedAfter, Duration closeGrace, Duration paymentGrace, Duration retryWindow,
                        boolean closedAtEnd) {

    public static OpenAtEnd of(Instant lastEvent, DetectionSettings detection) {
        Duration grace = detection.periodCloseGrace();
        BillingPeriod candidate = BillingPeriod.of(lastEvent.minus(grace));
        BillingPeriod latestClosed = !candidate.end().plus(grace).isAfter(lastEvent) ? candidate : candidate.previous();
        BillingPeriod open = latestClosed.next();
        return new OpenAtEnd(lastEvent, open, open.end().plus(grace), lastEvent.minus(detection.paymentGrace()),
                lastEvent.minus(detection.paymentRetryWindow()), grace, detection.paymentGrace(),
                detection.paymentRetryWindow(), false);
    }

    /** What a replay closed at its end ({@code --close-at-end}) still leaves open. */
    public static OpenAtEnd closed(Instant lastEvent, DetectionSettings detection) {
        Duration grace = detection.periodCloseGrace();
        BillingPeriod open = BillingPeriod.of(lastEvent);
        return new OpenAtEnd(lastEvent, open, open.end().plus(grace), lastEvent, lastEvent, grace,
                detection.paymentGrace(), detection.paymentRetryWindow(), true);
    }

    /** The lines a run prints after its summary. */
    public List<String> describe() {
        if (closedAtEnd) {
            return List.of(
                    "closed at the end of the input (last event " + lastEvent + "): the periods ended and the payments"
                            + " due or failed by then are judged as if their grace had passed with nothing more arriving",
                    "  left open: billing period " + firstOpenPeriod + ", which had not ended (partial: it would be"
                            + " judged at " + periodCloses + "), and invoices due after " + dueAfter);
        }
        return List.of(
                "left open at the end of the input (last event " + lastEvent + "), as stream time stops there:",
                "  billing periods from " + firstOpenPeriod + ": a period is judged at its end + " + days(closeGrace)
                        + " (" + firstOpenPeriod + " at " + periodCloses + "); MISSING_INVOICE, UNBILLED_USAGE,"
                        + " PROVISIONING_MISMATCH, UNATTRIBUTED_REVENUE and the revenue checks wait for it",
                "  invoices due after " + dueAfter + ": UNPAID_INVOICE and UNDERPAYMENT are judged " + days(paymentGrace)
                        + " after the due date",
                "  payments failed after " + failedAfter + ": FAILED_PAYMENT_NOT_RECOVERED is judged " + days(retryWindow)
                        + " after the failure",
                "  (--close-at-end judges what had happened by the last event as if the graces had passed)");
    }

    /** {@code 5 days}, or the ISO form of a duration that is not whole days. */
    private static String days(Duration d) {
        return d.equals(Duration.ofDays(d.toDays())) ? d.toDays() + (d.toDays() == 1 ? " day" : " days") : d.toString();
    }
}
