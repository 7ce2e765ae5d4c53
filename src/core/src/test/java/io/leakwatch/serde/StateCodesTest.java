package io.leakwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.RiskLevel;
import org.junit.jupiter.api.Test;

class StateCodesTest {
    private enum Colour { RED, GREEN, BLUE }

    @Test
    void shouldKeepTheCodesItIsGivenWhateverTheOrdinals() {
        StateCodes<Colour> codes = StateCodes.of(Colour.class, c -> switch (c) {
            case RED -> 7;
            case GREEN -> 0;
            case BLUE -> 3;
        });

        assertThat(codes.code(Colour.RED)).isEqualTo(7);
        assertThat(codes.constant(0)).isEqualTo(Colour.GREEN);
        assertThat(codes.constant(3)).isEqualTo(Colour.BLUE);
        assertThat(codes.constant(1)).as("a code no constant has").isNull();
        assertThat(codes.constant(-1)).isNull();
        assertThat(codes.constant(8)).isNull();
    }

    @Test
    void shouldRefuseTwoConstantsWithOneCode() {
        assertThatThrownBy(() -> StateCodes.of(Colour.class, c -> c == Colour.BLUE ? 0 : c.ordinal()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Colour: RED and BLUE have the same code 0");
    }

    @Test
    void shouldRefuseACodeOutsideOneByte() {
        assertThatThrownBy(() -> StateCodes.of(Colour.class, c -> c == Colour.BLUE ? 256 : c.ordinal()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Colour.BLUE: code 256 is not 0..255");
    }

    @Test
    void shouldGiveTheEventEnumsTheirStoredCodes() {
        assertThat(EventCodes.PAYMENT_STATUS.code(PaymentStatus.SUCCEEDED)).isZero();
        assertThat(EventCodes.PAYMENT_STATUS.code(PaymentStatus.UNKNOWN)).isEqualTo(5);
        assertThat(EventCodes.RISK_LEVEL.code(RiskLevel.LOW)).isZero();
        assertThat(EventCodes.RISK_LEVEL.code(RiskLevel.HIGH)).isEqualTo(2);
    }
}
