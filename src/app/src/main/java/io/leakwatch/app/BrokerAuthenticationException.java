package io.leakwatch.app;

/**
 * The cluster answered but refused this client: wrong SASL user or password, a SASL mechanism it does not
 * enable, a broker certificate the client does not trust, or no client certificate it accepts. The message is
 * one line, {@code authentication failed against <servers>: <what and which setting>}, and never holds a
 * password. A subtype of {@link BrokerUnreachableException}: to a CLI user both mean Kafka cannot be used (exit 3).
 */
public class BrokerAuthenticationException extends BrokerUnreachableException {

    public BrokerAuthenticationException(String bootstrapServers, String message, Throwable cause) {
        super(bootstrapServers, message, cause);
    }
}
