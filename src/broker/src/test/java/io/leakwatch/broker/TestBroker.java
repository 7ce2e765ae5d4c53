package io.leakwatch.broker;

import java.util.Properties;

/**
 * The broker a broker-backed test runs against, whichever {@link TestBrokers#start()} picked: the in-process
 * {@link EmbeddedKafka} or a container of the image docker-compose.yml ships. Both are one plaintext node with
 * the same settings (replication 1, four partitions by default, no topic auto-creation, no timestamp limits).
 */
public interface TestBroker extends AutoCloseable {

    /** {@code host:port} of the plaintext listener the test's clients use. */
    String bootstrapServers();

    /** Client properties with only {@code bootstrap.servers} set, to be extended by the caller. */
    Properties clientProperties();

    /** Whether {@link #restart()} keeps the address and the data, so that connected clients can ride it out. */
    boolean supportsRestart();

    /**
     * Stops the node and starts it again on the same address and data (see {@link EmbeddedKafka#restart()}).
     *
     * @throws UnsupportedOperationException when {@link #supportsRestart()} is false
     */
    void restart();

    /** Stops the node and removes its data; safe to call repeatedly. */
    @Override
    void close();
}
