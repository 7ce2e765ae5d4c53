package io.leakwatch.slack;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides where an alert is posted. First the floor: an alert with {@code severity < floorSeverity} or
 * {@code |amount| < floorAmount} is not posted at all. Then the routes in their configured order, first match
 * wins; then the default route; with no default, the alert is unrouted (not posted).
 */
public final class Router {
    public sealed interface Decision {
    }

    public record Post(Route route) implements Decision {
    }

    public record BelowFloor(String why) implements Decision {
    }

    public record Unrouted() implements Decision {
    }

    private final List<Route> routes;
    private final Optional<Route> defaultRoute;
    private final Severity floorSeverity;
    private final AmountThreshold floorAmount;

    public Router(List<Route> routes, Optional<Route> defaultRoute, Severity floorSeverity, AmountThreshold floorAmount) {
        this.routes = List.copyOf(routes);
        this.defaultRoute = defaultRoute;
        this.floorSeverity = floorSeverity == null ? Severity.INFO : floorSeverity;
        this.floorAmount = floorAmount == null ? AmountThreshold.NONE : floorAmount;
    }

    public Decision decide(Alert alert) {
        if (alert.getSeverity().compareTo(floorSeverity) < 0) {
            return new BelowFloor("severity " + alert.getSeverity() + " < " + floorSeverity);
        }
        if (!floorAmount.admits(alert.getAmount(), alert.getCurrency())) {
            return new BelowFloor("amount " + alert.getCurrency() + " " + alert.getAmount().abs().toPlainString()
                    + " below the floor");
        }
        for (Route route : routes) {
            if (route.matches(alert)) {
                return new Post(route);
            }
        }
        return defaultRoute.<Decision>map(Post::new).orElseGet(Unrouted::new);
    }

    /**
     * The first configured route (the routes in order, then the default) that posts to the destination with
     * this {@link Destination#key()}: where a change to an alert goes, since it belongs where the alert went.
     */
    public Optional<Route> routeTo(String destinationKey) {
        return Stream.concat(routes.stream(), defaultRoute.stream())
                .filter(r -> r.destination().key().equals(destinationKey)).findFirst();
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Route> defaultRoute() {
        return defaultRoute;
    }
}
