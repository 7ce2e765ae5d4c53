package io.leakwatch.alerts;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.FeedbackAction;
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
 *                told ACKNOWLEDGED, same content -> nothing
 *                told ACKNOWLEDGED, other content -> a, ACKNOWLEDGED, revision + 1, status_reason "Revised: ..."
 *                told WITHDRAWN      -> a, OPEN, revision + 1, status_reason "Raised again: ..."
 *                told RESOLVED / FALSE_POSITIVE -> nothing: people decided; the rules do not overrule, revise or
 *                                       raise it again (a revised finding or a later raise keeps the person's word)
 * withdrawn(id): told OPEN / ACKNOWLEDGED -> the told record, WITHDRAWN, revision + 1, status_reason, detected_at = when
 *                anything else       -> nothing
 * feedback(f) at time t, status s = ACKNOWLEDGED | RESOLVED | FALSE_POSITIVE for f.action, reason r in words
 *                ("Marked a false positive by Dana: the customer has a side letter."):
 *                never told, or told for another account -> refused (the reason says which)
 *                ACKNOWLEDGE of an alert told WITHDRAWN / RESOLVED / FALSE_POSITIVE -> refused: only a standing
 *                                       finding can be acknowledged
 *                told s with status_reason r -> nothing (a repeat)
 *                otherwise            -> the told record, s, revision + 1, status_reason r, detected_at = max(told, t)
 * </pre>
 * ACKNOWLEDGED is an open alert someone has seen: it follows the rules as OPEN does and keeps its status through a
 * revision. RESOLVED and FALSE_POSITIVE close it for good, from any status (a withdrawn alert too, so that it is not
 * raised again); a later feedback may still change one into the other.
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
        if (status == AlertStatus.RESOLVED || status == AlertStatus.FALSE_POSITIVE) {
            return Optional.empty();
        }
        boolean standing = status == AlertStatus.OPEN || status == AlertStatus.ACKNOWLEDGED;
        if (standing && sameContent(held, alert)) {
            return Optional.empty();
        }
        String reason = status == AlertStatus.WITHDRAWN
                ? sentence("Raised again", why, "the finding holds again")
                : sentence("Revised", why, changes(held, alert));
        Alert next = Alert.newBuilder(alert).setStatus(standing ? status : AlertStatus.OPEN)
                .setRevision(held.getRevision() + 1).setStatusReason(reason).build();
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
        if (held == null || held.getStatus() != AlertStatus.OPEN && held.getStatus() != AlertStatus.ACKNOWLEDGED) {
            return Optional.empty();
        }
        Alert next = Alert.newBuilder(held).setStatus(AlertStatus.WITHDRAWN).setRevision(held.getRevision() + 1)
                .setDetectedAt(judgedAt.isAfter(held.getDetectedAt()) ? judgedAt : held.getDetectedAt())
                .setStatusReason(capitalize(why)).build();
        told.put(next);
        return Optional.of(next);
    }

    /**
     * What a person's feedback makes of an alert: the next record to emit, nothing for a repeat, or a refusal.
     *
     * @param refusal why the feedback cannot be applied, in one sentence; null when it can
     */
    public record FeedbackOutcome(Optional<Alert> next, String refusal) {
        static FeedbackOutcome refused(String why) {
            return new FeedbackOutcome(Optional.empty(), why);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    /** The record to emit for a person's decision about an alert ({@code feedback} in the class comment). */
    public FeedbackOutcome feedback(AlertFeedback feedback) {
        String alertId = feedback.getAlertId();
        Alert held = told.get(alertId);
        if (held == null) {
            return FeedbackOutcome.refused("no alert " + alertId + " is known for account " + feedback.getAccountId()
                    + ": it was never raised for that account, or it is older than the alert retention");
        }
        if (!held.getAccountId().equals(feedback.getAccountId())) {
            return FeedbackOutcome.refused("alert " + alertId + " belongs to account " + held.getAccountId()
                    + ", not to " + feedback.getAccountId());
        }
        AlertStatus status = statusOf(feedback.getAction());
        if (status == AlertStatus.ACKNOWLEDGED && held.getStatus() != AlertStatus.OPEN
                && held.getStatus() != AlertStatus.ACKNOWLEDGED) {
            return FeedbackOutcome.refused("alert " + alertId + " is " + held.getStatus()
                    + ": only a standing alert can be acknowledged");
        }
        String reason = feedbackReason(feedback);
        if (held.getStatus() == status && reason.equals(held.getStatusReason())) {
            return new FeedbackOutcome(Optional.empty(), null);
        }
        Instant at = feedback.getGivenAt();
        Alert next = Alert.newBuilder(held).setStatus(status).setRevision(held.getRevision() + 1)
                .setDetectedAt(at.isAfter(held.getDetectedAt()) ? at : held.getDetectedAt())
                .setStatusReason(reason).build();
        told.put(next);
        return new FeedbackOutcome(Optional.of(next), null);
    }

    /** The status a feedback action sets. */
    public static AlertStatus statusOf(FeedbackAction action) {
        return switch (action) {
            case ACKNOWLEDGE -> AlertStatus.ACKNOWLEDGED;
            case RESOLVE -> AlertStatus.RESOLVED;
            case FALSE_POSITIVE -> AlertStatus.FALSE_POSITIVE;
        };
    }

    /** "Marked a false positive by Dana: the customer has a side letter." */
    static String feedbackReason(AlertFeedback feedback) {
        String what = switch (feedback.getAction()) {
            case ACKNOWLEDGE -> "Acknowledged";
            case RESOLVE -> "Resolved";
            case FALSE_POSITIVE -> "Marked a false positive";
        };
        String comment = feedback.getComment() == null ? "" : feedback.getComment().strip();
        String sentence = what + " by " + feedback.getBy().strip() + (comment.isEmpty() ? "" : ": " + comment);
        return sentence.endsWith(".") || sentence.endsWith("!") || sentence.endsWith("?") ? sentence : sentence + ".";
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
