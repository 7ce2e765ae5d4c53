package io.leakwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.PaymentStatus;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Bytes that are not what the reader expects fail with one line naming the state, the problem and where. */
class StateReaderTest {
    private static final StateFormat FORMAT = new StateFormat("test-state", 4);

    private static <T> T decode(byte[] bytes, Function<StateReader, T> read) {
        return StateReader.decode(bytes, "test-state", read);
    }

    /** A small state with a bit of everything: header, strings, a map of decimals, a time, a code. */
    private static byte[] sample() {
        StateWriter out = new StateWriter(16);
        out.header(FORMAT);
        out.string("acct-1");
        TreeMap<String, BigDecimal> totals = new TreeMap<>();
        totals.put("inv-1", new BigDecimal("175.28"));
        totals.put("inv-2", new BigDecimal("1234567890123456789012.5"));
        out.map(totals, StateWriter::string, StateWriter::decimal);
        out.time(1_767_225_600_123L);
        out.code(EventCodes.PAYMENT_STATUS, PaymentStatus.FAILED);
        return out.toByteArray();
    }

    private static String readSample(StateReader in) {
        in.header(FORMAT);
        String account = in.string();
        TreeMap<String, BigDecimal> totals = in.map(new TreeMap<>(), StateReader::string, StateReader::decimal);
        return account + " " + totals + " " + in.time() + " " + in.code(EventCodes.PAYMENT_STATUS);
    }

    @Test
    void shouldReadTheSampleWhole() {
        assertThat(decode(sample(), StateReaderTest::readSample))
                .isEqualTo("acct-1 {inv-1=175.28, inv-2=1234567890123456789012.5} 1767225600123 FAILED");
    }

    @Test
    void shouldRefuseAnotherFormatNamingTheStateAndBothFormats() {
        byte[] bytes = sample();
        bytes[0] = 3;

        assertThatThrownBy(() -> decode(bytes, StateReaderTest::readSample)).isInstanceOf(CorruptStateException.class)
                .hasMessage("test-state: format 3 found where format 4 is expected: written by another version of "
                        + "Leakwatch, and not readable by this one (at byte 0 of " + bytes.length + ")");
    }

    @Test
    void shouldNameAPartOfAnotherFormatInsideTheState() {
        StateWriter out = new StateWriter(4);
        out.string("outer");
        out.header(new StateFormat("inner-part", 1));

        assertThatThrownBy(() -> decode(out.toByteArray(), in -> {
            in.string();
            in.header(new StateFormat("inner-part", 2));
            return null;
        })).hasMessageStartingWith("test-state: inner-part format 1 found where format 2 is expected")
                .hasMessageEndingWith("(at byte 6 of 7)");
    }

    @Test
    void shouldRefuseNoBytesAtAll() {
        assertThatThrownBy(() -> decode(new byte[0], StateReaderTest::readSample))
                .hasMessage("test-state: no test-state format byte (at byte 0 of 0)");
    }

    @Test
    void shouldFailEveryTruncationWithTheMessageNotAnotherError() {
        byte[] whole = sample();
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> decode(cut, StateReaderTest::readSample)).as("cut to %d bytes", length)
                    .isInstanceOf(CorruptStateException.class).hasMessageStartingWith("test-state: ")
                    .hasMessageEndingWith(" of " + length + ")");
        }
        byte[] cut = Arrays.copyOf(whole, whole.length - 2);
        assertThatThrownBy(() -> decode(cut, StateReaderTest::readSample))
                .hasMessageMatching("test-state: truncated: 1 bytes needed, 0 left \\(at byte \\d+ of \\d+\\)");
    }

    @Test
    void shouldRefuseBytesLeftOver() {
        byte[] longer = Arrays.copyOf(sample(), sample().length + 2);

        assertThatThrownBy(() -> decode(longer, StateReaderTest::readSample))
                .hasMessage("test-state: 2 bytes left after the last value (at byte " + sample().length + " of "
                        + longer.length + ")");
    }

    @Test
    void shouldRefuseACountLargerThanTheBytesLeftBeforeAllocatingForIt() {
        StateWriter out = new StateWriter(4);
        out.varint(Integer.MAX_VALUE);
        out.string("x");

        assertThatThrownBy(() -> decode(out.toByteArray(), StateReader::string))
                .hasMessage("test-state: implausible count 2147483647 with 2 bytes left (at byte 0 of 7)");
        byte[] huge = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, 0x01};
        assertThatThrownBy(() -> decode(huge, in -> in.list(StateReader::string)))
                .hasMessage("test-state: implausible count 18446744073709551615 with 0 bytes left (at byte 0 of 10)");
    }

    @Test
    void shouldRefuseAVarintOfMoreThanTenBytes() {
        byte[] endless = new byte[11];
        Arrays.fill(endless, (byte) 0x80);

        assertThatThrownBy(() -> decode(endless, StateReader::varint))
                .hasMessage("test-state: a varint longer than 10 bytes (at byte 10 of 11)");
    }

    @Test
    void shouldRefuseUnknownCodesAndTags() {
        assertThatThrownBy(() -> decode(new byte[] {42}, in -> in.code(EventCodes.PAYMENT_STATUS)))
                .hasMessage("test-state: unknown PaymentStatus code 42 (at byte 0 of 1)");
        assertThatThrownBy(() -> decode(new byte[] {2}, StateReader::bool))
                .hasMessage("test-state: a boolean of 2 (at byte 0 of 1)");
        assertThatThrownBy(() -> decode(new byte[] {4}, StateReader::time))
                .hasMessage("test-state: a time tag of 4 (at byte 1 of 1)");
        assertThatThrownBy(() -> decode(new byte[] {15 + 16}, StateReader::decimal))
                .hasMessage("test-state: a decimal tag of 31 (at byte 1 of 1)");
        assertThatThrownBy(() -> decode(new byte[] {15, 0, 0}, StateReader::decimal))
                .hasMessage("test-state: a decimal without digits (at byte 3 of 3)");
        assertThatThrownBy(() -> decode(new byte[] {7 + 8}, StateReader::number))
                .hasMessage("test-state: a number tag of 15 (at byte 1 of 1)");
        assertThatThrownBy(() -> decode(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10},
                StateReader::zigzagInt)).hasMessage("test-state: an int of 2147483648 (at byte 5 of 5)");
    }

    @Test
    void shouldNameWhereAValueMadeNoSenseWhenACodecFailsOnIt() {
        StateWriter out = new StateWriter(4);
        out.string("not-a-number");

        assertThatThrownBy(() -> decode(out.toByteArray(), in -> Integer.parseInt(in.string())))
                .isInstanceOf(CorruptStateException.class)
                .hasMessageStartingWith("test-state: unreadable (java.lang.NumberFormatException")
                .hasMessageEndingWith("(at byte 13 of 13)")
                .hasCauseInstanceOf(NumberFormatException.class);
    }
}
