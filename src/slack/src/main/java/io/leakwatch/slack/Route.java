package io.leakwatch.slack;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import java.util.Set;

/**
 * One routing rule: an alert goes to {@code destination} when every condition that is set holds —
 * {@code type ∈ types}, {@code severity >= minSeverity}, {@code |amount| >= minAmount} (in the alert's currency)
 * and {@code account ∈ accounts}. An empty set or a null minimum means "any".
 */
public record Route(String name, Destination destination, Set<String> types, Severity minSeverity,
                    AmountThreshold minAmount, Set<String> accounts) {
    public Route {
        types = Set.copyOf(types);
        accounts = Set.copyOf(accounts);
        minAmount = minAmount == null ? AmountThreshold.NONE : minAmount;
    }

    public static Route catchAll(String name, Destination destination) {
        return new Route(name, destination, Set.of(), null, AmountThreshold.NONE, Set.of());
    }

    public boolean matches(Alert alert) {
        return (types.isEmpty() || types.contains(alert.getType()))
                && (minSeverity == null || alert.getSeverity().compareTo(minSeverity) >= 0)
                && minAmount.admits(alert.getAmount(), alert.getCurrency())
                && (accounts.isEmpty() || accounts.contains(alert.getAccountId()));
    }
}
