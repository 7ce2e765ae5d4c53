package io.leakwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryOutTest {

    @Test
    void shouldWriteFixedWidthValuesBigEndianAsADataOutputStream() throws IOException {
        Random random = new Random(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BinaryOut actual = new BinaryOut(1);
        try (DataOutputStream reference = new DataOutputStream(expected)) {
            for (int i = 0; i < 500; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> {
                        int v = random.nextInt();
                        reference.writeByte(v);
                        actual.writeByte(v);
                    }
                    case 1 -> {
                        int v = random.nextInt();
                        reference.writeInt(v);
                        actual.writeInt(v);
                    }
                    case 2 -> {
                        long v = random.nextLong();
                        reference.writeLong(v);
                        actual.writeLong(v);
                    }
                    default -> {
                        double v = random.nextGaussian() * 1e6;
                        reference.writeDouble(v);
                        actual.writeDouble(v);
                    }
                }
            }
        }
        assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void shouldWriteVarintsSevenBitsAByteLowFirst() {
        BinaryOut out = new BinaryOut(1);
        out.writeVarint(0);
        out.writeVarint(127);
        out.writeVarint(300);
        out.writeVarint(-1);

        assertThat(out.toByteArray()).containsExactly(0, 127, 0xAC - 256, 0x02,
                -1, -1, -1, -1, -1, -1, -1, -1, -1, 1);
    }

    @Test
    void shouldWriteAsciiAndNothingOfAnythingElse() {
        BinaryOut out = new BinaryOut(1);

        assertThat(out.writeAscii("acct-1")).isTrue();
        assertThat(out.writeAscii("Zürich")).isFalse();
        assertThat(out.toByteArray()).containsExactly('a', 'c', 'c', 't', '-', '1');
    }

    @Test
    void shouldForgetWhatWasWrittenAfterATruncation() {
        BinaryOut out = new BinaryOut(1);
        out.writeLong(-1);
        out.truncate(3);
        out.writeByte(9);

        assertThat(out.toByteArray()).containsExactly(-1, -1, -1, 9);
        assertThatThrownBy(() -> out.truncate(5)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
