package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class ReachabilityCheckLogFilterTest {
    private final ReachabilityCheckLogFilter filter = new ReachabilityCheckLogFilter();
    private final LoggerContext context = new LoggerContext();

    @Test
    void shouldDropALineOfTheStartUpCheckClient() {
        LoggingEvent event = event("[AdminClient clientId=leakwatch-reachability] Connection to node -1 (127.0.0.1:9093)"
                + " failed authentication due to: {}", "Authentication failed");

        assertThat(filter.decide(event)).isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldLeaveTheLinesOfOtherClientsToTheLevels() {
        LoggingEvent event = event("[Consumer clientId=leakwatch-StreamThread-1-consumer, groupId=leakwatch] Connection to"
                + " node 1 failed authentication due to: {}", "Authentication failed");

        assertThat(filter.decide(event)).isEqualTo(FilterReply.NEUTRAL);
    }

    private LoggingEvent event(String message, Object argument) {
        return new LoggingEvent(getClass().getName(), context.getLogger("org.apache.kafka.clients.NetworkClient"),
                Level.ERROR, message, null, new Object[] {argument});
    }
}
