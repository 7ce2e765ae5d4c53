package io.leakwatch.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class TestBrokersTest {
    @TempDir
    Path dir;

    private final String before = System.getProperty(TestBrokers.PROPERTY);

    @AfterEach
    void restoreSwitch() {
        if (before == null) {
            System.clearProperty(TestBrokers.PROPERTY);
        } else {
            System.setProperty(TestBrokers.PROPERTY, before);
        }
    }

    @Test
    void shouldTakeTheContainerImageFromTheComposeFilesKafkaService() throws Exception {
        Path compose = Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  kafka:
                    image: apache/kafka:9.8.7
                  leakwatch:
                    image: leakwatch:dev
                """);

        assertThat(TestBrokers.kafkaImage(compose)).isEqualTo("apache/kafka:9.8.7");
    }

    @Test
    void shouldTakeTheContainerImageFromTheShippedComposeFile() {
        assertThat(TestBrokers.kafkaImage()).matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void shouldNameABrokerSettingAsTheKafkaImageReadsItFromTheEnvironment() {
        assertThat(ContainerTestBroker.environmentName("log.retention.ms")).isEqualTo("KAFKA_LOG_RETENTION_MS");
        assertThat(ContainerTestBroker.environmentName("some_key.with-dash")).isEqualTo("KAFKA_SOME__KEY_WITH___DASH");
    }

    @Test
    void shouldPickTheInProcessBrokerWhenTheSwitchIsUnset() {
        System.clearProperty(TestBrokers.PROPERTY);

        assertThat(TestBrokers.containerSelected()).isFalse();
    }

    @Test
    void shouldRejectAnUnknownSwitchValue() {
        System.setProperty(TestBrokers.PROPERTY, "docker");

        assertThatThrownBy(TestBrokers::containerSelected).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedded or container");
    }

    @Test
    void shouldDisableARestartingTestUnderTheContainerSwitch() {
        System.setProperty(TestBrokers.PROPERTY, TestBrokers.CONTAINER);

        assertThat(TestBrokers.unavailableReason(true)).contains("only the in-process broker");
    }

    @Test
    void shouldEnableEveryBrokerBackedTestUnderTheDefaultSwitch() {
        System.clearProperty(TestBrokers.PROPERTY);

        assertThat(TestBrokers.unavailableReason(true)).isNull();
        assertThat(TestBrokers.unavailableReason(false)).isNull();
    }

    @Test
    void shouldSkipAContainerOnlyTestUnderTheDefaultSwitch() {
        System.clearProperty(TestBrokers.PROPERTY);

        assertThatThrownBy(TestBrokers::assumeContainersAvailable).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("mvn -P containers");
    }
}
