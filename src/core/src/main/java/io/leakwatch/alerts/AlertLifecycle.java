package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.money.MoneyFormat;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns what the rules now say about a finding into the next record of its life on the {@code alerts} topic, given
 * what was last said ({@link Told}). Kafka-free.
 *
 * <pre>
 * raised(a):     never told          -> a, OPEN, revision 1
 *                told OPEN, same content (ignoring detected_at) -> nothing (a repeat)
 *                told OPEN, other content -> a, OPEN, revision + 1, status_reason "Revised: ..."
 *                told WITHDRAWN      -> a, OPEN, revision + 1, status_reason "Raised again: ..."
 *                told ACKNOWLEDGED / RESOLVED / FALSE_POSITIVE -> nothing: people decided; the rules do not overrule
 * withdrawn(id): told OPEN           -> the told record, WITHDRAWN, revision + 1, status_reason, detected_at = when
 *                anything else       -> nothing
 * </pre>
 */
public final class AlertLifecycle {

    /** What was last said about each alert id. */
    public interface Told {
        Alert get(String alertId);

        void put(Alert alert);
    }

    private final Told told;

    public AlertLifecycle(Told told) {
        this.told = told;
    }

    /**
     * The record to emit for a finding that stands as {@code alert} now.
     *
     * @param why what made it change, in words (null for a first judgement): "Contract ctr-1 v2 (signed ...) reached
     *            us after this was judged"
     */
    public Optional<Alert> raised(Alert alert, String why) {
        Alert held = told.get(alert.getAlertId());
        if (held == null) {
            Alert first = Alert.newBuilder(alert).setStatus(AlertStatus.OPEN).setRevision(1).setStatusReason(null).build();
            told.put(first);
            return Optional.of(first);
        }
        AlertStatus status = held.getStatus();
        if (status == AlertStatus.ACKNOWLEDGED || status == AlertStatus.RESOLVED || status == AlertStatus.FALSE_POSITIVE) {
            return Optional.empty();
        }
        if (status == AlertStatus.OPEN && sameContent(held, alert)) {
            return Optional.empty();
        }
        String reason = status == AlertStatus.WITHDRAWN
                ? sentence("Raised again", why, "the finding holds again")
                : sentence("Revised", why, changes(held, alert));
        Alert next = Alert.newBuilder(alert).setStatus(AlertStatus.OPEN).setRevision(held.getRevision() + 1)
                .setStatusReason(reason).build();
        told.put(next);
        return Optional.of(next);
    }

    /**
     * The record to emit when a finding no longer holds.
     *
     * @param judgedAt event time of the judgement that withdrew it
     * @param why      what made it change and what the judgement says now: "Payment p-9 (succeeded, 2024-03-29)
     *                 reached us after the invoice was judged; invoice inv-1 was settled by 2024-04-03: ..."
     */
    public Optional<Alert> withdrawn(String alertId, Instant judgedAt, String why) {
        Alert held = told.get(alertId);
        if (held == null || held.getStatus() != AlertStatus.OPEN) {
            return Optional.empty();
        }
        Alert next = Alert.newBuilder(held).setStatus(AlertStatus.WITHDRAWN).setRevision(held.getRevision() + 1)
                .setDetectedAt(judgedAt.isAfter(held.getDetectedAt()) ? judgedAt : held.getDetectedAt())
                .setStatusReason(capitalize(why)).build();
        told.put(next);
        return Optional.of(next);
    }

    public static boolean sameContent(Alert a, Alert b) {
        return AlertContent.hash(a) == AlertContent.hash(b);
    }

    private static String changes(Alert before, Alert after) {
        if (before.getAmount().compareTo(after.getAmount()) != 0 || !before.getCurrency().equals(after.getCurrency())) {
            return "the amount at risk is now " + MoneyFormat.format(after.getAmount(), after.getCurrency()) + " (was "
                    + MoneyFormat.format(before.getAmount(), before.getCurrency()) + ")";
        }
        if (before.getSeverity() != after.getSeverity()) {
            return "the severity is now " + after.getSeverity() + " (was " + before.getSeverity() + ")";
        }
        return "the evidence changed: " + after.getExplanation();
    }

    private static String sentence(String label, String why, String what) {
        return why == null ? label + ": " + what + "." : label + ": " + uncapitalize(why) + "; " + what + ".";
    }

    private static String capitalize(String s) {
        String t = s.endsWith(".") ? s : s + ".";
        return t.isEmpty() ? t : t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
    }

    private static String uncapitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
