package io.leakwatch.slack;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Alerts for tests, with explicit UTC instants. */
public final class TestAlerts {
    private TestAlerts() {
    }

    public static Alert alert(String id, String type, Severity severity, String account, String amount, String currency) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("invoice_id", "INV-" + id);
        evidence.put("line_id", "L1");
        evidence.put("expected_unit_rate", "0.10");
        evidence.put("billed_unit_rate", "0.08");
        return Alert.newBuilder()
                .setAlertId(id)
                .setType(type)
                .setSeverity(severity)
                .setAccountId(account)
                .setEvidenceKey("INV-" + id + "/L1")
                .setAmount(new BigDecimal(amount).setScale(4))
                .setCurrency(currency)
                .setExplanation("Invoice INV-" + id + " billed 0.08 per unit, contract says 0.10 <since 2024>.")
                .setRecommendedAction("Issue a supplementary invoice for the difference.")
                .setEventTime(Instant.parse("2024-03-01T00:00:00Z"))
                .setDetectedAt(Instant.parse("2024-03-31T12:00:00Z"))
                .setEvidence(evidence)
                .build();
    }

    public static Alert alert(String id, Severity severity, String account, String amount) {
        return alert(id, "RATE_MISMATCH", severity, account, amount, "USD");
    }

    /** A later revision of {@code alert}: the same finding with a new status and the reason for the change. */
    public static Alert revision(Alert alert, int revision, AlertStatus status, String reason) {
        return Alert.newBuilder(alert).setRevision(revision).setStatus(status).setStatusReason(reason)
                .setDetectedAt(alert.getDetectedAt().plusSeconds(3600L * (revision - 1))).build();
    }

    /** A later OPEN revision of {@code alert} with a new amount. */
    public static Alert revised(Alert alert, int revision, String amount, String reason) {
        return Alert.newBuilder(revision(alert, revision, AlertStatus.OPEN, reason))
                .setAmount(new BigDecimal(amount).setScale(4)).build();
    }

    public static Alert withdrawn(Alert alert, int revision, String reason) {
        return revision(alert, revision, AlertStatus.WITHDRAWN, reason);
    }
}
