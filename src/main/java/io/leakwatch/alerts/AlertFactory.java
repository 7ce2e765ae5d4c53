package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
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
        return Alert.newBuilder()
                .setAlertId(AlertIds.of(finding.type(), finding.accountId(), finding.evidenceKey()))
                .setType(finding.type().name())
                .setSeverity(severity.severityOf(finding.amount(), finding.currency()))
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
