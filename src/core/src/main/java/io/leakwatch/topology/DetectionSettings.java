package io.leakwatch.topology;

import io.leakwatch.alerts.DetectorSwitches;
import io.leakwatch.detect.baseline.BaselineSettings;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Windows, grace periods and thresholds of the cross-stream detectors. The rules are in docs/detectors.md.
 *
 * @param periodCloseGrace    a billing period is judged when stream time reaches its end plus this
 * @param duplicateWindow     how long (by issue time) a line signature is remembered to catch a duplicate
 * @param paymentGrace        after the due date, before an unpaid or under-paid invoice is reported
 * @param paymentRetryWindow  how long after a failed payment a successful retry still recovers it
 * @param defaultPaymentTerms due date = issue time + this when a line carries no due_at
 * @param unattributedMinAmount unattributed revenue of a period at or above this (major units) is reported
 * @param unattributedMinShare  ... or at or above this share of the period's billed revenue
 * @param baseline            revenue baselines
 * @param switches            the alert types raised at all
 */
public record DetectionSettings(Duration periodCloseGrace, Duration duplicateWindow, Duration paymentGrace,
                                Duration paymentRetryWindow, Duration defaultPaymentTerms,
                                BigDecimal unattributedMinAmount, BigDecimal unattributedMinShare,
                                BaselineSettings baseline, DetectorSwitches switches) {

    public static DetectionSettings defaults() {
        return new DetectionSettings(Duration.ofDays(5), Duration.ofDays(62), Duration.ofDays(3), Duration.ofDays(7),
                Duration.ofDays(30), new BigDecimal("1000"), new BigDecimal("0.005"), BaselineSettings.defaults(),
                DetectorSwitches.allOn());
    }

    public DetectionSettings withBaseline(BaselineSettings value) {
        return new DetectionSettings(periodCloseGrace, duplicateWindow, paymentGrace, paymentRetryWindow,
                defaultPaymentTerms, unattributedMinAmount, unattributedMinShare, value, switches);
    }

    public DetectionSettings withSwitches(DetectorSwitches value) {
        return new DetectionSettings(periodCloseGrace, duplicateWindow, paymentGrace, paymentRetryWindow,
                defaultPaymentTerms, unattributedMinAmount, unattributedMinShare, baseline, value);
    }
}
