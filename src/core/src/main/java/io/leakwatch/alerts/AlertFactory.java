package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;

/** Turns a {@link Finding} into the {@link Alert} record: deterministic id, severity, detection time. */
public final class AlertFactory {
    private final SeverityPolicy severity;

    public AlertFactory(SeverityPolicy severity) {
        this.severity = severity;
    }

    /**
     * @param detectedAt event time of the record that revealed the finding (never the wall clock, so a
     *                   replay reproduces the alert byte for byte)
     */
    public Alert toAlert(Finding finding, Instant detectedAt) {
        return toAlert(finding, detectedAt, Severity.CRITICAL);
    }

    /**
     * As {@link #toAlert(Finding, Instant)}, with the severity capped at {@code atMost}: for findings whose
     * strength is not only money (a statistically weak anomaly on a big account is not critical).
     */
    public Alert toAlert(Finding finding, Instant detectedAt, Severity atMost) {
        Severity byAmount = severity.severityOf(finding.amount(), finding.currency());
        return Alert.newBuilder()
                .setAlertId(AlertIds.of(finding.type(), finding.accountId(), finding.evidenceKey()))
                .setType(finding.type().name())
                .setSeverity(byAmount.compareTo(atMost) <= 0 ? byAmount : atMost)
                .setAccountId(finding.accountId())
                .setEvidenceKey(finding.evidenceKey())
                .setAmount(finding.amount().setScale(4))
                .setCurrency(finding.currency())
                .setExplanation(finding.explanation())
                .setRecommendedAction(finding.action())
                .setEventTime(finding.eventTime())
                .setDetectedAt(detectedAt)
                .setEvidence(new LinkedHashMap<>(finding.evidence()))
                .build();
    }
}
