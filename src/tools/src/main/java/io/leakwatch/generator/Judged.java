package io.leakwatch.generator;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A label with the instant its detector judges it (see {@link Label}): a finding is only labelled when that
 * instant is not after the world's last record timestamp, because stream time never gets further.
 */
record Judged(Label label, Instant judgedAt) {
    /** {@code leakwatch.periods.close-grace}: a period closes this long after its end. */
    static final Duration CLOSE_GRACE = Duration.ofDays(5);
    /** {@code leakwatch.payments.retry-window}. */
    static final Duration RETRY_WINDOW = Duration.ofDays(7);
    /** {@code leakwatch.payments.grace}. */
    static final Duration PAYMENT_GRACE = Duration.ofDays(3);

    /** The close of a period: {@code end(P) + 5 days}. */
    static Instant closeOf(YearMonth period) {
        return period.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(CLOSE_GRACE);
    }
}
