package io.leakwatch.broker;

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
