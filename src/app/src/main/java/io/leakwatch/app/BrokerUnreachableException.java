package io.leakwatch.app;

/**
 * The Kafka cluster named by {@code bootstrap.servers} could not be used: nothing answered in time, or (as a
 * {@link BrokerAuthenticationException}) it refused this client. The message is a single line meant to be
 * shown to a CLI user as is: {@code cannot reach Kafka at <servers> within <t>: <cause>}.
 */
public class BrokerUnreachableException extends RuntimeException {

    private final String bootstrapServers;

    public BrokerUnreachableException(String bootstrapServers, String message, Throwable cause) {
        super(message, cause);
        this.bootstrapServers = bootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
