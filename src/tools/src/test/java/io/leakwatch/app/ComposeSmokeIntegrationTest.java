package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.JsonLinesProducer;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.CommittedRecords;
import io.leakwatch.testing.StandingAlerts;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * docker-compose.yml as shipped, on a Docker engine: the images built from this checkout, the broker waited on
 * through its health check, the topics service applying the catalog and the stream processor ({@code leakwatch run}
 * with risk scoring on the image's models) started after it. A small generated world produced from the host through
 * the published port ends with the alerts its backtest finds standing on the alerts topic.
 *
 * <p>The loader service is left out: it would produce a world of its own first. Runs only under
 * {@code -P containers} and is skipped, with the reason, where no Docker engine answers.
 */
@Tag("integration")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ComposeSmokeIntegrationTest {
    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final Path COMPOSE_CONFIG = Path.of("config/compose/leakwatch.properties");
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void shouldStandTheBacktestsAlertsWhenAWorldIsProducedThroughThePublishedPort() throws Exception {
        TestBrokers.assumeContainersAvailable();
        // Given a small world and what its backtest finds with the compose file's settings (the image's models are
        // this checkout's models/)
        Path world = dir.resolve("world");
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(40, 6, 7)), world);
        int hostPort = freePort();
        LeakwatchConfig config = composeConfig("localhost:" + hostPort);
        Map<String, Alert> expected = StandingAlerts.byId(new Backtest(config.topologySettings())
                .run(world, Progress.silent()).alerts());
        assertThat(expected).as("alerts the backtest finds").isNotEmpty();

        try (ComposeContainer compose = new ComposeContainer(COMPOSE_FILE.toFile())
                .withLocalCompose(true)
                .withBuild(true)
                .withEnv("KAFKA_HOST_PORT", String.valueOf(hostPort))
                .withServices("kafka", "topics", "leakwatch")
                .waitingFor("kafka", Wait.forHealthcheck())
                .withRemoveVolumes(true)
                .withStartupTimeout(Duration.ofMinutes(10))) {
            // When the stack is up and the world is produced to it from the host
            compose.start();
            new JsonLinesProducer(config.kafkaProperties(), config.catalog(), WireFormat.JSON)
                    .produce(world, Progress.silent());

            // Then the alerts standing on the alerts topic come to be the backtest's, by id and content
            List<String> difference = awaitStanding(config, expected);
            assertThat(difference).as("standing alerts that differ from the backtest's").isEmpty();
        }
    }

    /** Reads the alerts topic until its standing alerts are {@code expected} or the time is up; the last difference. */
    private static List<String> awaitStanding(LeakwatchConfig config, Map<String, Alert> expected) throws InterruptedException {
        EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, config.catalog().name(TopicCatalog.ALERTS), config.topologySettings().schemas());
        Properties client = new Properties();
        client.put("bootstrap.servers", config.kafkaProperties().getProperty("bootstrap.servers"));
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        List<String> difference;
        do {
            List<Alert> alerts = CommittedRecords.readAll(client, config.catalog().name(TopicCatalog.ALERTS)).stream()
                    .map(r -> {
                        try {
                            return codec.decode(r.value());
                        } catch (Exception e) {
                            throw new AssertionError("an undecodable alert at offset " + r.offset(), e);
                        }
                    })
                    .toList();
            difference = StandingAlerts.difference(expected, StandingAlerts.byId(AlertLog.of(alerts).standing()));
            if (difference.isEmpty()) {
                return difference;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        return difference;
    }

    /** config/compose/leakwatch.properties as the host sees it: the published listener, the checkout's models. */
    private LeakwatchConfig composeConfig(String bootstrapServers) {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(COMPOSE_CONFIG)) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));
        values.put("bootstrap.servers", bootstrapServers);
        values.put("state.dir", dir.resolve("state").toString());
        values.put(LeakwatchKeys.MODELS_DIR, "models");
        return new LeakwatchConfig(values);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
