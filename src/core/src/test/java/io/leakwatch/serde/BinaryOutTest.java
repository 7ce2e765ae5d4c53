package io.leakwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryOutTest {
    /** Writes the same mix of values to any DataOutput. */
    private static void writeMix(DataOutput out, Random random) throws IOException {
        String[] strings = {"", "acct-000123", "INV-2024-07/0042", "Zürich €", "nul\0in-the-middle", "日本語", "\uD83D\uDE00",
            "lone \uD83D", "\uDE00"};
        for (int i = 0; i < 200; i++) {
            switch (random.nextInt(9)) {
                case 0 -> out.writeByte(random.nextInt());
                case 1 -> out.writeShort(random.nextInt());
                case 2 -> out.writeInt(random.nextInt());
                case 3 -> out.writeLong(random.nextLong());
                case 4 -> out.writeDouble(random.nextGaussian() * 1e6);
                case 5 -> out.writeBoolean(random.nextBoolean());
                case 6 -> out.writeUTF(strings[random.nextInt(strings.length)]);
                case 7 -> out.writeFloat(random.nextFloat());
                default -> out.write(new byte[] {1, 2, (byte) random.nextInt()});
            }
        }
    }

    @Test
    void shouldWriteExactlyTheBytesOfADataOutputStream() throws IOException {
        for (long seed = 1; seed <= 50; seed++) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (DataOutputStream reference = new DataOutputStream(expected)) {
                writeMix(reference, new Random(seed));
            }
            BinaryOut actual = new BinaryOut(4);
            writeMix(actual, new Random(seed));

            assertThat(actual.toByteArray()).as("seed %d", seed).isEqualTo(expected.toByteArray());
            assertThat(actual.size()).isEqualTo(expected.size());
        }
    }

    @Test
    void shouldWriteAnUnscaledValueAsBigIntegerToByteArray() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            BigInteger value = switch (i % 4) {
                case 0 -> BigInteger.valueOf(random.nextInt(256) - 128);
                case 1 -> BigInteger.valueOf(random.nextLong());
                case 2 -> BigInteger.valueOf(random.nextLong() >> random.nextInt(64));
                default -> new BigInteger(70 + random.nextInt(60), random).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
            };
            BinaryOut out = new BinaryOut(16);
            out.writeUnscaled(value);
            byte[] reference = value.toByteArray();
            byte[] expected = new byte[reference.length + 1];
            expected[0] = (byte) reference.length;
            System.arraycopy(reference, 0, expected, 1, reference.length);

            assertThat(out.toByteArray()).as("%s", value).isEqualTo(expected);
        }
    }

    @Test
    void shouldRefuseAStringLongerThanItsLengthPrefix() {
        assertThatThrownBy(() -> new BinaryOut(16).writeUTF("x".repeat(70_000))).isInstanceOf(UTFDataFormatException.class);
    }
}
