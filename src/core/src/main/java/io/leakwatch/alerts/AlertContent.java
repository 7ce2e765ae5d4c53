package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.TreeMap;

/** What an alert says, apart from its lifecycle: two judgements that say the same thing are one record, not two. */
public final class AlertContent {
    private AlertContent() {
    }

    /**
     * 64 bits of SHA-256 over the alert's content: type, severity, account, evidence key, amount, currency,
     * explanation, action, event time and evidence (sorted), the fields a revision can change.
     */
    public static long hash(Alert alert) {
        StringBuilder s = new StringBuilder(256);
        s.append(alert.getType()).append('\u0000').append(alert.getSeverity().name()).append('\u0000')
                .append(alert.getAccountId()).append('\u0000').append(alert.getEvidenceKey()).append('\u0000')
                .append(alert.getAmount().stripTrailingZeros().toPlainString()).append('\u0000')
                .append(alert.getCurrency()).append('\u0000').append(alert.getExplanation()).append('\u0000')
                .append(alert.getRecommendedAction()).append('\u0000').append(alert.getEventTime().toEpochMilli());
        new TreeMap<>(alert.getEvidence()).forEach((k, v) -> s.append('\u0000').append(k).append('=').append(v));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (digest[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
