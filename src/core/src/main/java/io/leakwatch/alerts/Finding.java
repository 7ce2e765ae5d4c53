package io.leakwatch.alerts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a detector found, before it becomes an alert: Kafka-free, so rules are tested as plain Java.
 *
 * @param evidenceKey  what the finding is about (e.g. {@code invoice_id/line_id}); with type and account
 *                     it determines the alert id
 * @param amount       money at risk in {@code currency}; positive = revenue lost, negative = over-billing
 * @param eventTime    when the leakage happened in business time
 * @param evidence     the facts behind it (ids, expected vs actual, contract version)
 * @param explanation  one sentence a finance person understands
 * @param action       what to do about it
 */
public record Finding(AlertType type, String accountId, String evidenceKey, BigDecimal amount, String currency,
                      Instant eventTime, Map<String, String> evidence, String explanation, String action) {
    public Finding {
        Objects.requireNonNull(type);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(evidenceKey);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(currency);
        Objects.requireNonNull(eventTime);
        evidence = new TreeMap<>(evidence);
    }
}
