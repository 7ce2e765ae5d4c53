package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code leakwatch run} as a process of its own against a real broker: the exit value an init system sees after a
 * SIGTERM ({@link Process#destroy()} sends it on Linux) and after the stream fails.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunExitCodeIntegrationTest {
    private static TestBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = TestBrokers.start();
    }

    @AfterAll
    static void stopBroker() {
        // null when the broker was skipped (the container broker without Docker)
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldExitZeroAfterACleanShutdownOnSigterm() throws Exception {
        // Given the processor running on its topics
        Process run = startRun("sigterm");
        awaitOutput(run, "-> RUNNING");

        // When the init system asks it to stop
        run.destroy();

        // Then it shuts down cleanly and says so with its exit value
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output()).isZero();
        assertThat(output()).contains("RUNNING -> PENDING_SHUTDOWN").contains("PENDING_SHUTDOWN -> NOT_RUNNING");
    }

    @Test
    void shouldExitOneWhenTheStreamFails() throws Exception {
        // Given the processor running on its topics
        Process run = startRun("failing");
        awaitOutput(run, "-> RUNNING");

        // When an input topic disappears under it (the stream thread fails: a source topic is missing)
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.deleteTopics(List.of("failing.payments")).all().get(30, TimeUnit.SECONDS);
        }

        // Then it stops by itself and reports the failure
        assertThat(run.waitFor(90, TimeUnit.SECONDS)).as(output()).isTrue();
        assertThat(run.exitValue()).as(output()).isEqualTo(ExitCodes.FAILURE);
    }

    private Process startRun(String prefix) throws IOException {
        LeakwatchConfig config = new LeakwatchConfig(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        for (String role : List.of("contracts", "invoices", "usage", "payments", "provisioning", "alert-feedback", "alerts", "alert-state",
                "account-risk", "account-features", "dead-letter", "labels")) {
            config = config.with(LeakwatchKeys.TOPIC_NAMES.prefix() + role, prefix + "." + role);
        }
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());
        }
        StringBuilder file = new StringBuilder();
        file.append("bootstrap.servers=").append(kafka.bootstrapServers()).append('\n')
                .append("application.id=leakwatch-").append(prefix).append('\n')
                .append("state.dir=").append(dir.resolve("state")).append('\n')
                .append("metadata.max.age.ms=1000\n")
                .append("leakwatch.scoring.enabled=false\n")
                .append("leakwatch.http.port=0\n");
        config.catalog().all().forEach(t -> file.append(LeakwatchKeys.TOPIC_NAMES.prefix()).append(t.role()).append('=')
                .append(t.name()).append('\n'));
        Path properties = Files.writeString(dir.resolve("leakwatch.properties"), file, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LeakwatchCommand.class.getName(),
                "run", "--config", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
    }

    private void awaitOutput(Process run, String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!output().contains(text)) {
            assertThat(run.isAlive()).as(output()).isTrue();
            assertThat(Instant.now()).as(output()).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private String output() {
        try {
            Path log = dir.resolve("run.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
