package io.leakwatch.detect.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.RiskLevel;
import java.time.LocalDate;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RiskStateSerdeTest {
    private final RiskStateSerde serde = new RiskStateSerde();

    @Test
    void shouldRoundTripInElevenBytes() {
        RiskState state = new RiskState(RiskLevel.HIGH, LocalDate.parse("2026-03-14"), RiskLevel.MEDIUM, null);
        byte[] bytes = serde.serializer().serialize("t", state);

        assertThat(bytes).hasSize(11);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(state);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", RiskState.NONE))).isEqualTo(RiskState.NONE);
    }

    @Test
    void shouldRefuseBytesOfAnotherFormat() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {9, 0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("risk-state");
    }
}
