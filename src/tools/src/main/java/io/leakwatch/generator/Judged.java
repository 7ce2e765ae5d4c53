package io.leakwatch.generator;

import io.leakwatch.topology.DetectionSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A label with the instant its detector judges it (see {@link Label}): a finding is only labelled when that
 * instant is not after the world's last record timestamp, because stream time never gets further.
 */
record Judged(Label label, Instant judgedAt) {
    /** The detectors' defaults, which the labels are written for. */
    static final DetectionSettings DETECTION = DetectionSettings.defaults();
    /** {@code leakwatch.periods.close-grace}: a period closes this long after its end. */
    static final Duration CLOSE_GRACE = DETECTION.periodCloseGrace();
    /** {@code leakwatch.payments.retry-window}. */
    static final Duration RETRY_WINDOW = DETECTION.paymentRetryWindow();
    /** {@code leakwatch.payments.grace}. */
    static final Duration PAYMENT_GRACE = DETECTION.paymentGrace();

    /** The close of a period: {@code end(P) + close grace}. */
    static Instant closeOf(YearMonth period) {
        return period.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(CLOSE_GRACE);
    }
}
