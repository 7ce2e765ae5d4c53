package io.leakwatch.app;

/**
 * The Kafka client settings cannot make a client at all: a key or trust store that cannot be read, a SASL
 * protocol without {@code sasl.jaas.config}, a value Kafka rejects. A configuration mistake, found before any
 * connection; the message is one line and never holds a password.
 */
public class KafkaClientSettingsException extends RuntimeException {

    public KafkaClientSettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
