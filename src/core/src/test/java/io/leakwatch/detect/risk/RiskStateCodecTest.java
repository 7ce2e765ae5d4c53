package io.leakwatch.detect.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.RiskLevel;
import io.leakwatch.scoring.RiskPublishing.Published;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RiskStateCodecTest {

    @Test
    void shouldRoundTripInTwelveBytesBeforeTheFirstPublication() {
        RiskState state = new RiskState(RiskLevel.HIGH, LocalDate.parse("2026-03-14"), RiskLevel.MEDIUM, null);
        byte[] bytes = RiskStateCodec.encode(state);

        assertThat(bytes).hasSize(12);
        assertThat(RiskStateCodec.decode(bytes)).isEqualTo(state);
        assertThat(RiskStateCodec.decode(RiskStateCodec.encode(RiskState.NONE))).isEqualTo(RiskState.NONE);
    }

    @Test
    void shouldRoundTripWhatWasLastPublished() {
        RiskState state = new RiskState(RiskLevel.LOW, null, RiskLevel.HIGH, LocalDate.parse("2026-02-01"),
                new Published(1_767_225_600_000L, 0.123456789, 0.75, 12_345.67, "leakage_risk:v2".hashCode()));
        byte[] bytes = RiskStateCodec.encode(state);

        assertThat(bytes).hasSize(48);
        assertThat(RiskStateCodec.decode(bytes)).isEqualTo(state);
    }

    @Test
    void shouldKeepNoStateAsNoBytes() {
        assertThat(RiskStateCodec.encode(null)).isNull();
        assertThat(RiskStateCodec.decode(null)).isNull();
    }

    @Test
    void shouldRefuseBytesOfAnotherFormat() {
        byte[] former = ByteBuffer.allocate(11).put((byte) 1).put((byte) 2).putInt(20_526).put((byte) 1).putInt(-1).array();
        assertThatThrownBy(() -> RiskStateCodec.decode(former)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 11 bytes of format 1");
        assertThatThrownBy(() -> RiskStateCodec.decode(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("risk-state");
    }
}
