package io.leakwatch.detect.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.RiskLevel;
import io.leakwatch.scoring.RiskPublishing.Published;
import io.leakwatch.serde.CorruptStateException;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RiskStateCodecTest {

    @Test
    void shouldRoundTripInEightBytesBeforeTheFirstPublication() {
        RiskState state = new RiskState(RiskLevel.HIGH, LocalDate.parse("2026-03-14"), RiskLevel.MEDIUM, null);
        byte[] bytes = RiskStateCodec.encode(state);

        assertThat(bytes).hasSize(8);
        assertThat(RiskStateCodec.decode(bytes)).isEqualTo(state);
        assertThat(RiskStateCodec.encode(RiskState.NONE)).hasSize(6);
        assertThat(RiskStateCodec.decode(RiskStateCodec.encode(RiskState.NONE))).isEqualTo(RiskState.NONE);
    }

    @Test
    void shouldRoundTripWhatWasLastPublished() {
        RiskState state = new RiskState(RiskLevel.LOW, null, RiskLevel.HIGH, LocalDate.parse("2026-02-01"),
                new Published(1_767_225_600_000L, 0.123456789, 0.75, 12_345.67, "leakage_risk:v2".hashCode()));
        byte[] bytes = RiskStateCodec.encode(state);

        assertThat(bytes).hasSize(41);
        assertThat(RiskStateCodec.decode(bytes)).isEqualTo(state);
    }

    @Test
    void shouldStoreLevelsByTheirCodesNotTheAvroOrder() {
        // the Avro enum lists HIGH, MEDIUM, LOW: the codes are 0 LOW, 1 MEDIUM, 2 HIGH whatever that order
        byte[] bytes = RiskStateCodec.encode(new RiskState(RiskLevel.LOW, null, RiskLevel.HIGH, null));

        assertThat(bytes[1]).isEqualTo((byte) 0);
        assertThat(bytes[3]).isEqualTo((byte) 2);
    }

    @Test
    void shouldRefuseBytesOfAnotherFormatNamingBothFormats() {
        byte[] former = ByteBuffer.allocate(12).put((byte) 2).put((byte) 2).putInt(20_526).put((byte) 1).putInt(-1)
                .put((byte) 0).array();
        assertThatThrownBy(() -> RiskStateCodec.decode(former)).isInstanceOf(CorruptStateException.class)
                .hasMessageStartingWith("risk-state: format 2 found where format 3 is expected");
    }

    @Test
    void shouldRefuseAnUnknownLevelCode() {
        assertThatThrownBy(() -> RiskStateCodec.decode(new byte[] {3, 9, 0, 0, 0, 0}))
                .isInstanceOf(CorruptStateException.class)
                .hasMessage("risk-state: unknown RiskLevel code 9 (at byte 1 of 6)");
    }
}
