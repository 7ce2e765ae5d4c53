package io.leakwatch.broker;

import java.util.Properties;

/** A {@link TestBroker} on the in-process {@link EmbeddedKafka}: the default, and the only one that restarts. */
final class EmbeddedTestBroker implements TestBroker {
    private final EmbeddedKafka kafka;

    EmbeddedTestBroker(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public Properties clientProperties() {
        return kafka.clientProperties();
    }

    @Override
    public boolean supportsRestart() {
        return true;
    }

    @Override
    public void restart() {
        kafka.restart();
    }

    @Override
    public void close() {
        kafka.close();
    }

    @Override
    public String toString() {
        return "in-process broker at " + kafka.bootstrapServers();
    }
}
