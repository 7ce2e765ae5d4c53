package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a consumer of the {@code alerts} topic makes of it: the records are the event log of every alert's changes,
 * and an alert's current state is its record with the highest revision (what the compacted {@code alert-state} topic
 * holds). Kafka-free; the demo, the backtest and the tests read alerts through it.
 *
 * <pre>
 * latest(id)  = the record of id with the highest revision (a repeat of a revision already seen changes nothing)
 * standing    = { latest(id) : latest(id).status != WITHDRAWN }  the findings that hold at the end, whatever people
 *               said about them (OPEN, or ACKNOWLEDGED / RESOLVED / FALSE_POSITIVE through alert feedback)
 * decided(type) = for each status people set, how many alerts of the type stand with it
 * withdrawn   = { latest(id) : latest(id).status = WITHDRAWN }
 * raised and later withdrawn = ids with an OPEN record and a WITHDRAWN latest record
 * </pre>
 */
public final class AlertLog {
    private final Map<String, Alert> latest = new LinkedHashMap<>();
    private final Set<String> everOpen = new HashSet<>();
    private long records;

    public static AlertLog of(Collection<Alert> records) {
        AlertLog log = new AlertLog();
        records.forEach(log::add);
        return log;
    }

    public void add(Alert alert) {
        records++;
        if (alert.getStatus() == AlertStatus.OPEN) {
            everOpen.add(alert.getAlertId());
        }
        latest.merge(alert.getAlertId(), alert, (held, next) -> next.getRevision() > held.getRevision() ? next : held);
    }

    /** Every alert id's latest record. */
    public Collection<Alert> latest() {
        return latest.values();
    }

    /** The alerts whose latest record is not WITHDRAWN, in event-time order (then detection time, then id). */
    public List<Alert> standing() {
        return latest.values().stream().filter(a -> a.getStatus() != AlertStatus.WITHDRAWN).sorted(ORDER).toList();
    }

    /** The statuses people set through alert feedback, in the order of the enum. */
    public static final List<AlertStatus> DECIDED =
            List.of(AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE);

    /**
     * By alert type, then by each status of {@link #DECIDED}: how many alerts stand with that status at the end.
     * Types without any such alert are absent.
     */
    public Map<String, Map<AlertStatus, Long>> decided() {
        Map<String, Map<AlertStatus, Long>> out = new java.util.TreeMap<>();
        for (Alert a : latest.values()) {
            if (DECIDED.contains(a.getStatus())) {
                out.computeIfAbsent(a.getType(), t -> new java.util.EnumMap<>(AlertStatus.class))
                        .merge(a.getStatus(), 1L, Long::sum);
            }
        }
        return out;
    }

    /** The alerts whose latest record is WITHDRAWN, in event-time order. */
    public List<Alert> withdrawn() {
        return latest.values().stream().filter(a -> a.getStatus() == AlertStatus.WITHDRAWN).sorted(ORDER).toList();
    }

    /** How many alerts were raised (had an OPEN record) and stand withdrawn at the end. */
    public long raisedThenWithdrawn() {
        return latest.values().stream()
                .filter(a -> a.getStatus() == AlertStatus.WITHDRAWN && everOpen.contains(a.getAlertId())).count();
    }

    /** How many records were read, revisions and repeats included. */
    public long records() {
        return records;
    }

    /** Event time, then detection time, then id: the order of {@code alerts.jsonl}. */
    public static final Comparator<Alert> ORDER = Comparator.comparing(Alert::getEventTime)
            .thenComparing(Alert::getDetectedAt).thenComparing(Alert::getAlertId);
}
