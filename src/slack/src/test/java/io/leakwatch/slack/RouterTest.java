package io.leakwatch.slack;

import static io.leakwatch.slack.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Severity;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Route critical = new Route("critical", new Destination.Channel("#critical"), Set.of(),
            Severity.CRITICAL, AmountThreshold.NONE, Set.of());
    private final Route bigRates = new Route("big-rates", new Destination.Channel("#rates"), Set.of("RATE_MISMATCH"),
            null, AmountThreshold.parse("1000, JPY 100000"), Set.of());
    private final Route acme = new Route("acme", new Destination.Channel("#acme"), Set.of(), null, AmountThreshold.NONE,
            Set.of("ACME"));
    private final Route fallback = Route.catchAll("default", new Destination.Channel("#alerts"));

    private Router router(Optional<Route> def) {
        return new Router(List.of(critical, bigRates, acme), def, Severity.LOW, AmountThreshold.parse("5"));
    }

    @Test
    void shouldPickTheFirstMatchingRoute() {
        // a CRITICAL rate mismatch for ACME matches all three routes; the first listed wins
        assertThat(router(Optional.of(fallback)).decide(alert("x", Severity.CRITICAL, "ACME", "50000")))
                .isEqualTo(new Router.Post(critical));
        assertThat(router(Optional.of(fallback)).decide(alert("x", Severity.HIGH, "ACME", "5000")))
                .isEqualTo(new Router.Post(bigRates));
        assertThat(router(Optional.of(fallback)).decide(alert("x", Severity.MEDIUM, "ACME", "500")))
                .isEqualTo(new Router.Post(acme));
    }

    @Test
    void shouldCompareAbsoluteAmountsInTheAlertsCurrency() {
        Router r = router(Optional.of(fallback));
        assertThat(r.decide(alert("x", Severity.HIGH, "B", "-1000.00"))).isEqualTo(new Router.Post(bigRates));
        assertThat(r.decide(alert("x", "RATE_MISMATCH", Severity.HIGH, "B", "5000", "JPY"))).isEqualTo(new Router.Post(fallback));
        assertThat(r.decide(alert("x", "RATE_MISMATCH", Severity.HIGH, "B", "100000", "JPY"))).isEqualTo(new Router.Post(bigRates));
        assertThat(r.decide(alert("x", "CHARGE_ARITHMETIC", Severity.HIGH, "B", "5000", "USD"))).isEqualTo(new Router.Post(fallback));
    }

    @Test
    void shouldUseTheDefaultRouteWhenNothingMatchesAndReportUnroutedWithoutOne() {
        assertThat(router(Optional.of(fallback)).decide(alert("x", Severity.MEDIUM, "B", "500"))).isEqualTo(new Router.Post(fallback));
        assertThat(router(Optional.empty()).decide(alert("x", Severity.MEDIUM, "B", "500"))).isInstanceOf(Router.Unrouted.class);
    }

    @Test
    void shouldNotPostAlertsBelowTheFloor() {
        assertThat(router(Optional.of(fallback)).decide(alert("x", Severity.INFO, "ACME", "500")))
                .isInstanceOf(Router.BelowFloor.class);
        assertThat(router(Optional.of(fallback)).decide(alert("x", Severity.CRITICAL, "ACME", "4.99")))
                .isInstanceOf(Router.BelowFloor.class);
    }
}
