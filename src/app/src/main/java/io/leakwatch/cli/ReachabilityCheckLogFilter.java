package io.leakwatch.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.leakwatch.app.KafkaReachability;

/**
 * Drops the log lines of the start-up check's own Kafka client: when the check fails, the command prints the
 * reason in one line and exits, and the client's log line (NetworkClient logs a refused login at ERROR) would
 * say the same thing a second time. Kafka prefixes every client log line with its client id.
 */
public final class ReachabilityCheckLogFilter extends Filter<ILoggingEvent> {
    private static final String MARK = "clientId=" + KafkaReachability.CLIENT_ID + "]";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        return message != null && message.contains(MARK) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
