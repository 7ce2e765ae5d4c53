package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(15)
class KafkaReachabilityTest {

    @Test
    void shouldReportAClosedPortInOneLineWithoutWaitingForTheTimeout() throws IOException {
        String bootstrap = "127.0.0.1:" + closedPort();

        Throwable thrown = catchUnreachable(bootstrap, Duration.ofMinutes(5));

        assertThat(thrown)
                .isInstanceOf(BrokerUnreachableException.class)
                .hasMessage("cannot reach Kafka at " + bootstrap + ": connection refused");
        assertThat(((BrokerUnreachableException) thrown).bootstrapServers()).isEqualTo(bootstrap);
    }

    @Test
    void shouldNameTheUnknownHost() {
        Throwable thrown = catchUnreachable("no-such-host.invalid:9092", Duration.ofSeconds(1));

        assertThat(thrown).isInstanceOf(BrokerUnreachableException.class);
        assertThat(thrown).hasMessage(
                "cannot reach Kafka at no-such-host.invalid:9092: unknown host no-such-host.invalid");
    }

    @Test
    void shouldKeepTheMessageOnOneLineForSeveralServers() throws IOException {
        String bootstrap = "127.0.0.1:" + closedPort() + ",127.0.0.1:" + closedPort();

        Throwable thrown = catchUnreachable(bootstrap, Duration.ofMillis(1500));

        assertThat(thrown.getMessage())
                .startsWith("cannot reach Kafka at " + bootstrap + ": 127.0.0.1:")
                .contains("connection refused")
                .doesNotContain("\n");
    }

    @Test
    void shouldRejectMissingBootstrapServers() {
        assertThatThrownBy(() -> KafkaReachability.requireReachable(new Properties(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void shouldMaskEveryPasswordOfTheSettingsInAMessage() {
        Properties settings = new Properties();
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"leakwatch\" password=\"jaas-secret-1\";");
        settings.put("ssl.truststore.password", "store-secret-2");
        settings.put("ssl.key.password", "key-secret-3");

        String redacted = KafkaReachability.redact("refused jaas-secret-1 while store-secret-2 opened, key key-secret-3;"
                + " config ScramLoginModule required username=\"leakwatch\" password=\"jaas-secret-1\";", settings);

        assertThat(redacted).doesNotContain("jaas-secret-1", "store-secret-2", "key-secret-3")
                .startsWith("refused [hidden] while [hidden] opened, key [hidden];");
    }

    @Test
    void shouldLeaveAMessageAloneWhenTheSettingsHoldNoPassword() {
        Properties settings = new Properties();
        settings.put("bootstrap.servers", "127.0.0.1:9092");

        assertThat(KafkaReachability.redact("connection refused", settings)).isEqualTo("connection refused");
    }

    private static Throwable catchUnreachable(String bootstrap, Duration timeout) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("application.id", "ignored-by-admin"); // Streams keys in the same Properties are tolerated
        try {
            KafkaReachability.requireReachable(props, timeout);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected " + bootstrap + " to be unreachable");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
