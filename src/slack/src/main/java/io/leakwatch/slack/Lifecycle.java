package io.leakwatch.slack;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the bridge does with one record of the {@code alerts} topic, given what Slack shows for its alert_id
 * (the {@link Delivery} recorded, if any) and the revision of it waiting in the outbox, if any:
 *
 * <pre>
 * revision ≤ recorded revision               → Repeat            (applied already: a replay or a restart)
 * revision ≤ waiting revision                → Repeat            (joins the waiting item)
 * recorded, message ts known, bot token      → Update, edit      (chat.update of that message)
 * recorded otherwise                         → Update, follow-up (a new post where the alert went)
 * not recorded, status OPEN                  → the Router: Post, or NotPosted (below the floor, unrouted)
 * not recorded, status not OPEN              → NotPosted         (Slack never showed it: nothing to take back)
 * </pre>
 *
 * A NotPosted step also cancels the post of an earlier revision still waiting in the outbox: for an alert Slack
 * has not shown, the latest revision decides, as if the earlier ones had never been read. A change goes where
 * the alert went (the recorded destination); when the configuration no longer has that destination, a
 * follow-up goes where the router sends the alert today.
 */
public final class Lifecycle {
    public sealed interface Step {
    }

    /** Post the alert: Slack has not shown it. */
    public record Post(Route route) implements Step {
    }

    /**
     * Apply a later revision to the alert Slack shows as {@code prior}: rewrite {@code edit} when present, else
     * post a follow-up to {@code destination}. Either way the lane (rate limit, storm control) is {@code destination}'s.
     */
    public record Update(Delivery prior, String routeName, Destination destination, Optional<MessageRef> edit)
            implements Step {
    }

    /** The revision is not newer than the one applied ({@code waiting} false) or waiting in the outbox (true). */
    public record Repeat(boolean waiting) implements Step {
    }

    public record NotPosted(Reason reason, String why) implements Step {
    }

    public enum Reason {
        BELOW_FLOOR,
        UNROUTED,
        /** A change (not OPEN) to an alert Slack never showed. */
        NEVER_POSTED,
        /** A change to an alert shown in Slack, with no destination left to send it to. */
        NO_DESTINATION
    }

    /** The route name a change carries when it edits a message whose destination is no longer configured. */
    static final String ORIGINAL_MESSAGE = "(original message)";

    private final Router router;
    private final boolean canEdit;

    /** @param canEdit whether a bot token is configured: without one, a message cannot be edited */
    public Lifecycle(Router router, boolean canEdit) {
        this.router = router;
        this.canEdit = canEdit;
    }

    public Step decide(Alert alert, Optional<Delivery> recorded, OptionalInt waiting) {
        int revision = alert.getRevision();
        if (recorded.isPresent() && revision <= recorded.get().revision()) {
            return new Repeat(false);
        }
        if (waiting.isPresent() && revision <= waiting.getAsInt()) {
            return new Repeat(true);
        }
        if (recorded.isPresent()) {
            return update(alert, recorded.get());
        }
        if (alert.getStatus() != AlertStatus.OPEN) {
            return new NotPosted(Reason.NEVER_POSTED, "revision " + revision + " is " + alert.getStatus()
                    + " and Slack never showed the alert");
        }
        Router.Decision decision = router.decide(alert);
        if (decision instanceof Router.Post post) {
            return new Post(post.route());
        }
        if (decision instanceof Router.BelowFloor below) {
            return new NotPosted(Reason.BELOW_FLOOR, below.why());
        }
        return new NotPosted(Reason.UNROUTED, "no route matches and there is no default route");
    }

    private Step update(Alert alert, Delivery prior) {
        Optional<Route> original = router.routeTo(prior.destination());
        if (canEdit && prior.message().isPresent()) {
            MessageRef message = prior.message().get();
            Destination lane = original.map(Route::destination).orElseGet(() -> new Destination.Channel(message.channel()));
            return new Update(prior, original.map(Route::name).orElse(ORIGINAL_MESSAGE), lane, Optional.of(message));
        }
        Optional<Route> route = original.or(() -> router.decide(alert) instanceof Router.Post post
                ? Optional.of(post.route()) : Optional.empty());
        if (route.isEmpty()) {
            return new NotPosted(Reason.NO_DESTINATION, "the alert went to " + prior.destination()
                    + ", which is no longer configured, and no route matches it today");
        }
        return new Update(prior, route.get().name(), route.get().destination(), Optional.empty());
    }
}
