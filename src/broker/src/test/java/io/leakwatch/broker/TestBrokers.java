package io.leakwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the broker of a broker-backed test, picked by one switch, the system property {@value #PROPERTY}:
 * unset or {@code embedded}, the in-process {@link EmbeddedKafka}; {@value #CONTAINER}, a Testcontainers Kafka of
 * the {@code apache/kafka} image and version that docker-compose.yml ships (the Maven profile {@code -P containers}
 * sets it). Where the container broker is asked for and no Docker engine answers, {@link #start()} skips the test
 * (a JUnit assumption) with a one-line reason instead of failing it; a class marked {@link BrokerBacked} is
 * disabled before it sets anything up.
 *
 * <pre>{@code
 * try (TestBroker kafka = TestBrokers.start(); Admin admin = Admin.create(kafka.clientProperties())) { ... }
 * }</pre>
 */
public final class TestBrokers {
    /** The switch: {@value #EMBEDDED} (default) or {@value #CONTAINER}. */
    public static final String PROPERTY = "leakwatch.test.broker";
    public static final String EMBEDDED = "embedded";
    public static final String CONTAINER = "container";
    /** The compose file, relative to the repository root that the tests run in; its kafka image is the broker's. */
    static final Path COMPOSE_FILE = Path.of("docker-compose.yml");

    private static final String NO_DOCKER_REASON = "no Docker engine here: the container-backed tests (" + PROPERTY
            + "=" + CONTAINER + ") need one";
    private static final String RESTART_REASON = "needs a broker restart on the same address, which only the"
            + " in-process broker does (" + PROPERTY + "=" + CONTAINER + ")";
    private static final Logger log = LoggerFactory.getLogger(TestBrokers.class);
    private static final Pattern KAFKA_IMAGE = Pattern.compile("(?m)^\\s*image:\\s*[\"']?(apache/kafka:[^\\s\"']+)");

    private TestBrokers() {
    }

    /** A broker with the single-node defaults; see {@link Builder#start()}. */
    public static TestBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the switch asks for the container broker. */
    public static boolean containerSelected() {
        String value = System.getProperty(PROPERTY, EMBEDDED).trim();
        if (value.isEmpty() || value.equals(EMBEDDED)) {
            return false;
        }
        if (value.equals(CONTAINER)) {
            return true;
        }
        throw new IllegalArgumentException(PROPERTY + "=" + value + ": expected " + EMBEDDED + " or " + CONTAINER);
    }

    /** Skips the calling test unless the container broker is selected and a Docker engine answers. */
    public static void assumeContainersAvailable() {
        runOnlyIf(containerSelected(), "runs only with the container broker (" + PROPERTY + "=" + CONTAINER
                + ", mvn -P containers)");
        runOnlyIf(ContainerTestBroker.dockerAvailable(), NO_DOCKER_REASON);
    }

    /**
     * Why the selected broker cannot run a test, one line; null when it can. Docker is only looked for when the
     * container broker is selected.
     */
    static String unavailableReason(boolean restarts) {
        if (!containerSelected()) {
            return null;
        }
        if (restarts) {
            return RESTART_REASON;
        }
        return ContainerTestBroker.dockerAvailable() ? null : NO_DOCKER_REASON;
    }

    /** Skips the calling test unless {@code condition}, saying why on the console too (the reports alone keep it). */
    private static void runOnlyIf(boolean condition, String reason) {
        if (!condition) {
            log.warn("skipped: {}", reason);
            Assumptions.abort(reason);
        }
    }

    /** The {@code apache/kafka:<version>} image of docker-compose.yml's kafka service. */
    public static String kafkaImage() {
        return kafkaImage(COMPOSE_FILE);
    }

    static String kafkaImage(Path composeFile) {
        String text;
        try {
            text = Files.readString(composeFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the broker image from " + composeFile.toAbsolutePath(), e);
        }
        Matcher m = KAFKA_IMAGE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(composeFile.toAbsolutePath() + " names no apache/kafka image");
        }
        return m.group(1);
    }

    /** Broker settings beyond the single-node defaults, applied to whichever broker the switch picks. */
    public static final class Builder {
        private final Map<String, Object> brokerConfig = new LinkedHashMap<>();

        private Builder() {
        }

        /** Overrides or adds one broker setting, e.g. {@code log.retention.ms} (see {@link EmbeddedKafka.Builder#brokerConfig}). */
        public Builder brokerConfig(String key, Object value) {
            brokerConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Starts the selected broker and returns once it serves requests.
         *
         * @throws org.opentest4j.TestAbortedException when the container broker is selected and no Docker engine answers
         */
        public TestBroker start() {
            if (!containerSelected()) {
                EmbeddedKafka.Builder embedded = EmbeddedKafka.builder();
                brokerConfig.forEach(embedded::brokerConfig);
                return new EmbeddedTestBroker(embedded.start());
            }
            assumeContainersAvailable();
            Map<String, String> settings = new LinkedHashMap<>();
            brokerConfig.forEach((key, value) -> settings.put(key, String.valueOf(value)));
            return ContainerTestBroker.start(kafkaImage(), settings);
        }
    }
}
