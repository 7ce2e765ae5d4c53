package io.leakwatch.account;

import io.leakwatch.alerts.AlertContent;
import io.leakwatch.events.Alert;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The findings that stand for one account, by alert id, each with the judgement unit that produced it (an invoice
 * line, a billing period, an invoice's payment deadlines, a month's revenue, a scoring tick). A unit judged again
 * replaces its findings: what it no longer finds is withdrawn, what changed is revised.
 *
 * <pre>
 * entry(id) = (unit, content hash, judged at, type, amount, currency)
 * content hash = the alert's content without its lifecycle fields and without detected_at: a judgement that finds
 *                the same thing again changes nothing
 * </pre>
 * Kafka-free; part of {@link AccountState}.
 */
public final class Standing {
    /** One standing finding. {@code amount} and {@code currency} are what the account features counted for it. */
    public record Entry(String unit, long hash, long judgedAt, String type, BigDecimal amount, String currency) {
    }

    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private final Map<String, List<String>> idsByUnit = new HashMap<>();

    public Entry get(String alertId) {
        return byId.get(alertId);
    }

    public Map<String, Entry> entries() {
        return java.util.Collections.unmodifiableMap(byId);
    }

    public List<String> idsOf(String unit) {
        List<String> ids = idsByUnit.get(unit);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    public void put(String alertId, Entry entry) {
        Entry previous = byId.put(alertId, entry);
        if (previous != null && !previous.unit().equals(entry.unit())) {
            unlink(previous.unit(), alertId);
        }
        if (previous == null || !previous.unit().equals(entry.unit())) {
            idsByUnit.computeIfAbsent(entry.unit(), u -> new ArrayList<>(2)).add(alertId);
        }
    }

    public Entry remove(String alertId) {
        Entry removed = byId.remove(alertId);
        if (removed != null) {
            unlink(removed.unit(), alertId);
        }
        return removed;
    }

    private void unlink(String unit, String alertId) {
        List<String> ids = idsByUnit.get(unit);
        if (ids != null) {
            ids.remove(alertId);
            if (ids.isEmpty()) {
                idsByUnit.remove(unit);
            }
        }
    }

    /** Forgets findings judged before {@code before}: they can no longer be judged again (past the horizon). */
    public void forgetJudgedBefore(long before) {
        List<String> old = new ArrayList<>();
        byId.forEach((id, e) -> {
            if (e.judgedAt() < before) {
                old.add(id);
            }
        });
        old.forEach(this::remove);
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public int size() {
        return byId.size();
    }

    /** Ids in a stable order (sorted), for deterministic diffs and encoding. */
    public Collection<String> sortedIds() {
        return new TreeMap<>(byId).keySet();
    }

    /** The content hash a standing entry keeps: {@link AlertContent#hash}. */
    public static long contentHash(Alert alert) {
        return AlertContent.hash(alert);
    }
}
