package io.leakwatch.features;

import io.leakwatch.events.PaymentStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The payments section of {@link AccountFeatures}: the failed and successful attempts of the last 90 days in time
 * order, and of those that left, only the time of the latest success, kept for {@value #HISTORY_DAYS} days.
 * <pre>
 * PAYMENT_FAILURES_90D = failed attempts in [t - 90d, t); PAYMENT_FAILURE_RATE_90D = that / attempts in [t - 90d, t)
 * DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT = days from the latest success before t (else the first line issued before t)
 *                                      to t, at most {@value #MAX_DAYS_SINCE_PAYMENT}
 * </pre>
 */
final class PaymentWindow implements FeatureWindow {
    static final int HISTORY_DAYS = 400;
    static final int MAX_DAYS_SINCE_PAYMENT = 365;

    /** A failed or successful payment attempt (in any currency: each counts as an attempt). */
    record Entry(long at, PaymentStatus status) {
    }

    private final List<Entry> payments = new ArrayList<>();
    /** The latest success among the payments that left the 90-day window, or NONE; forgotten after 400 days. */
    private long successBefore = AccountFeatures.NONE;

    /**
     * Keeps a FAILED or SUCCEEDED attempt in time order and returns the time after which it leaves the window; the
     * others are not kept (-1).
     */
    long add(long at, PaymentStatus status) {
        if (status != PaymentStatus.FAILED && status != PaymentStatus.SUCCEEDED) {
            return -1;
        }
        payments.add(new Entry(at, status));
        if (payments.size() > 1 && payments.get(payments.size() - 2).at() > at) {
            payments.sort(Comparator.comparingLong(Entry::at));
        }
        return at + AccountFeatures.W90;
    }

    @Override
    public long pruneDue() {
        long due = Long.MAX_VALUE;
        if (!payments.isEmpty()) {          // sorted by time
            due = payments.get(0).at() + AccountFeatures.W90;
        }
        if (successBefore != AccountFeatures.NONE) {
            due = Math.min(due, successBefore + HISTORY_DAYS * AccountFeatures.DAY_MS);
        }
        return due;
    }

    @Override
    public boolean prune(long latest) {
        boolean pruned = false;
        long w90 = latest - AccountFeatures.W90;
        if (!payments.isEmpty() && payments.get(0).at() < w90) {          // sorted by time
            int left = 0;
            while (left < payments.size() && payments.get(left).at() < w90) {
                if (payments.get(left).status() == PaymentStatus.SUCCEEDED) {
                    successBefore = Math.max(successBefore, payments.get(left).at());
                }
                left++;
            }
            payments.subList(0, left).clear();
            pruned = true;
        }
        if (successBefore != AccountFeatures.NONE && successBefore < latest - HISTORY_DAYS * AccountFeatures.DAY_MS) {
            successBefore = AccountFeatures.NONE;   // 400 days on
            pruned = true;
        }
        return pruned;
    }

    /** The features of the class comment as of {@code t}; {@code firstIssued} = the first line's issue time or NONE. */
    void features(long t, long firstIssued, double[] v) {
        int failed = 0;
        int attempts = 0;
        long lastSuccess = successBefore < t ? successBefore : AccountFeatures.NONE;     // (NONE is below every t)
        for (Entry p : payments) {
            if (p.at() >= t) {
                continue;
            }
            if (p.status() == PaymentStatus.SUCCEEDED) {
                lastSuccess = Math.max(lastSuccess, p.at());
            }
            if (p.at() >= t - AccountFeatures.W90) {
                attempts++;
                failed += p.status() == PaymentStatus.FAILED ? 1 : 0;
            }
        }
        v[Feature.PAYMENT_FAILURES_90D.ordinal()] = failed;
        if (attempts > 0) {
            v[Feature.PAYMENT_FAILURE_RATE_90D.ordinal()] = (double) failed / attempts;
        }
        long none = AccountFeatures.NONE;
        long owingSince = lastSuccess != none ? lastSuccess : firstIssued != none && firstIssued < t ? firstIssued : none;
        if (owingSince != none) {
            v[Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT.ordinal()] =
                    Math.min(MAX_DAYS_SINCE_PAYMENT, (t - owingSince) / (double) AccountFeatures.DAY_MS);
        }
    }

    List<Entry> entries() {
        return payments;
    }

    long successBefore() {
        return successBefore;
    }

    void successBefore(long value) {
        successBefore = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaymentWindow other && payments.equals(other.payments) && successBefore == other.successBefore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(payments.size(), successBefore);
    }
}
