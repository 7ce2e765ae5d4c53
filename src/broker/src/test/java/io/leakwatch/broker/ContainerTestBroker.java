package io.leakwatch.broker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link TestBroker} in a Testcontainers {@link KafkaContainer} of the compose file's {@code apache/kafka} image.
 * Only {@link TestBrokers} creates one, and only after it found a Docker engine, so that a run on the in-process
 * broker never loads a Testcontainers class.
 *
 * <p>It does not restart: a stopped container comes back on another mapped port, which its clients do not know.
 */
final class ContainerTestBroker implements TestBroker {
    /**
     * The in-process broker's single-node settings (EmbeddedKafka), so that a test sees the same cluster on either:
     * the container's own defaults differ in partitions, auto-creation and timestamp limits.
     */
    private static final Map<String, String> SINGLE_NODE = Map.of(
            "num.partitions", "4",
            "auto.create.topics.enable", "false",
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "4",
            "transaction.state.log.num.partitions", "4",
            "min.insync.replicas", "1",
            "default.replication.factor", "1",
            "log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE),
            "log.message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE),
            "log.retention.ms", "-1");

    private final KafkaContainer container;

    private ContainerTestBroker(KafkaContainer container) {
        this.container = container;
    }

    /** Whether a Docker engine answers (Testcontainers' own check: environment, socket, Docker contexts). */
    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerTestBroker start(String image, Map<String, String> brokerConfig) {
        Map<String, String> settings = new LinkedHashMap<>(SINGLE_NODE);
        settings.putAll(brokerConfig);
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(image));
        settings.forEach((key, value) -> container.withEnv(environmentName(key), value));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        return new ContainerTestBroker(container);
    }

    /**
     * The apache/kafka image's environment variable for a broker setting: {@code KAFKA_} and the key in upper case,
     * with {@code .} as {@code _}, {@code _} as {@code __} and {@code -} as {@code ___} (KAFKA_LOG_RETENTION_MS is
     * log.retention.ms).
     */
    static String environmentName(String key) {
        return "KAFKA_" + key.replace("_", "__").replace("-", "___").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    @Override
    public boolean supportsRestart() {
        return false;
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("a container broker does not restart on the same address: " + this);
    }

    @Override
    public void close() {
        container.close();
    }

    @Override
    public String toString() {
        return container.getDockerImageName() + " container at " + container.getBootstrapServers();
    }
}
