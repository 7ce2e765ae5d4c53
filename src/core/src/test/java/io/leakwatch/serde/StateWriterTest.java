package io.leakwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.PaymentStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every value a {@link StateWriter} writes, read back by a {@link StateReader}: the same value, every byte read. */
class StateWriterTest {

    /** Writes {@code value} alone and reads it back, checking that the reader used exactly the bytes written. */
    private static <T> T roundTrip(T value, BiConsumer<StateWriter, T> write, Function<StateReader, T> read) {
        return StateReader.decode(bytes(value, write), "test-state", read);
    }

    private static <T> byte[] bytes(T value, BiConsumer<StateWriter, T> write) {
        StateWriter out = new StateWriter(1);
        write.accept(out, value);
        return out.toByteArray();
    }

    @Test
    void shouldGiveBackEveryLongAsVarintZigzagAndFixed() {
        long[] values = {0, 1, -1, 63, -64, 64, 127, 128, 300, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 1L << 62, -(1L << 62)};
        for (long v : values) {
            assertThat(roundTrip(v, StateWriter::varint, StateReader::varint)).as("varint %d", v).isEqualTo(v);
            assertThat(roundTrip(v, StateWriter::zigzag, StateReader::zigzag)).as("zigzag %d", v).isEqualTo(v);
            assertThat(roundTrip(v, StateWriter::fixedLong, StateReader::fixedLong)).as("fixed %d", v).isEqualTo(v);
            assertThat(roundTrip(v, StateWriter::time, StateReader::time)).as("time %d", v).isEqualTo(v);
        }
        assertThat(bytes(Long.MAX_VALUE, StateWriter::varint)).hasSize(9);
        assertThat(bytes(-1L, StateWriter::varint)).as("an unsigned varint of a negative long").hasSize(10);
        assertThat(bytes(Long.MIN_VALUE, StateWriter::zigzag)).hasSize(10);
        assertThat(bytes(-64L, StateWriter::zigzag)).hasSize(1);
        assertThat(bytes(127L, StateWriter::varint)).hasSize(1);
        assertThat(bytes(128L, StateWriter::varint)).hasSize(2);
    }

    @Test
    void shouldGiveBackIntsAndBooleans() {
        for (int v : new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThat(roundTrip(v, StateWriter::fixedInt, StateReader::fixedInt)).isEqualTo(v);
            assertThat(roundTrip(v, (o, x) -> o.zigzag(x), StateReader::zigzagInt)).isEqualTo(v);
        }
        assertThat(roundTrip(true, StateWriter::bool, StateReader::bool)).isTrue();
        assertThat(roundTrip(false, StateWriter::bool, StateReader::bool)).isFalse();
    }

    @Test
    void shouldGiveBackStringsOfAnyLengthAndAnyCharacters() {
        String[] values = {"", "acct-000123", "Zürich €", "nul\0in-the-middle", "日本語", "\uD83D\uDE00 four-byte UTF-8",
            "x".repeat(70_000), "é".repeat(40_000)};
        for (String v : values) {
            assertThat(roundTrip(v, StateWriter::string, StateReader::string)).isEqualTo(v);
        }
        assertThat(bytes("", StateWriter::string)).containsExactly(0);
        assertThat(bytes("\uD83D\uDE00", StateWriter::string)).as("one code point, four UTF-8 bytes")
                .containsExactly(4, 0xF0 - 256, 0x9F - 256, 0x98 - 256, 0x80 - 256);
        assertThat(bytes("x".repeat(70_000), StateWriter::string)).as("no 64 KiB limit").hasSize(70_000 + 3);
    }

    @Test
    void shouldGiveBackBytesAndNullables() {
        byte[] data = {0, -1, 127, -128};
        assertThat(roundTrip(data, StateWriter::bytes, StateReader::bytes)).containsExactly(data);
        assertThat(roundTrip(new byte[0], StateWriter::bytes, StateReader::bytes)).isEmpty();
        assertThat(roundTrip("x", (o, v) -> o.nullable(v, StateWriter::string), in -> in.nullable(StateReader::string)))
                .isEqualTo("x");
        assertThat(roundTrip((String) null, (o, v) -> o.nullable(v, StateWriter::string),
                in -> in.nullable(StateReader::string))).isNull();
    }

    @Test
    void shouldGiveBackEveryDecimalWithItsScale() {
        String[] values = {"0", "0.00", "-0.00", "0E+3", "175.28", "-175.28", "102045.47", "1E+3", "-1E-20",
            "0.00000000000001", "0.000000000000001", "123456789012345678.9", "-288230376151711743", "288230376151711744",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1234567890123456789012345678901234.5"};
        for (String v : values) {
            assertSameDecimal(new BigDecimal(v));
        }
        assertSameDecimal(new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE));
        assertSameDecimal(new BigDecimal(BigInteger.TEN.negate(), Integer.MIN_VALUE));
        assertSameDecimal(new BigDecimal(BigInteger.TWO.pow(1000).negate(), 3));
        Random random = new Random(5);
        for (int i = 0; i < 5_000; i++) {
            assertSameDecimal(new BigDecimal(new BigInteger(1 + random.nextInt(100), random)
                    .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), random.nextInt(40) - 10));
        }
        assertThat(bytes(new BigDecimal("175.28"), StateWriter::decimal)).as("an invoice amount").hasSize(3);
    }

    private static void assertSameDecimal(BigDecimal value) {
        BigDecimal back = roundTrip(value, StateWriter::decimal, StateReader::decimal);
        assertThat(back.unscaledValue()).as("%s", value).isEqualTo(value.unscaledValue());
        assertThat(back.scale()).as("%s", value).isEqualTo(value.scale());
    }

    @Test
    void shouldGiveBackExactlyTheSameDoubles() {
        double[] values = {0, -0.0, 1, -1, 0.1, 5855.1918, 109.675, 1.0 / 3, 1e300, -1e-300, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
            9_007_199_254_740_993.0, 123_456_789.123456, 0.0000001};
        for (double v : values) {
            assertThat(Double.doubleToRawLongBits(roundTrip(v, StateWriter::number, StateReader::number))).as("%s", v)
                    .isEqualTo(Double.doubleToRawLongBits(v));
            assertThat(Double.doubleToRawLongBits(roundTrip(v, StateWriter::rawDouble, StateReader::rawDouble)))
                    .as("%s", v).isEqualTo(Double.doubleToRawLongBits(v));
        }
        assertThat(bytes(5855.1918, StateWriter::number)).as("5855.1918 as 58551918 / 10^4").hasSizeLessThan(8);
    }

    @Test
    void shouldFindTheSameShortestDecimalAsTryingEveryScale() {
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> new BigDecimal(BigInteger.valueOf(random.nextLong() % 1_000_000_000_000L), random.nextInt(9)).doubleValue();
                case 1 -> Double.parseDouble(random.nextInt(100_000) + "." + random.nextInt(10_000));
                case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(20) - 6);
                default -> Math.scalb(random.nextLong() >> random.nextInt(64), random.nextInt(40) - 30);
            };
            assertThat(StateWriter.decimalTag(value)).as("%s", value).isEqualTo(StateWriter.decimalTagBySearch(value));
        }
    }

    @Test
    void shouldCodeTimesAsDifferencesWhateverTheirRange() {
        long t = Instant.parse("2024-07-05T06:12:43Z").toEpochMilli();
        long none = StateWriter.NO_TIME;
        long[][] cases = {
            {t, 0}, {t + 86_400_000L, t}, {t - 1, t}, {t + 7, t}, {none, t}, {t, none}, {none, none},
            {Long.MAX_VALUE, t}, {Long.MAX_VALUE, Long.MIN_VALUE + 1}, {Long.MIN_VALUE + 1, Long.MAX_VALUE}, {0, 0},
            {Long.MIN_VALUE + 1, 0}, {1L << 60, -(1L << 60)}, {Long.MAX_VALUE, Long.MAX_VALUE},
        };
        for (long[] c : cases) {
            long back = roundTrip(c[0], (o, v) -> o.time(v, c[1]), in -> in.time(c[1]));
            assertThat(back).as("%d from %d", c[0], c[1]).isEqualTo(c[0]);
        }
        assertThat(bytes(t + 86_400_000L, (o, v) -> o.time(v, t))).as("a day later, in whole seconds").hasSize(3);
        assertThat(bytes(t, StateWriter::time)).as("a time of this century in whole seconds").hasSize(5);
        assertThat(bytes(none, StateWriter::time)).containsExactly(0);
    }

    @Test
    void shouldGiveBackInstantsDaysAndMonthsOrNone() {
        for (Instant i : new Instant[] {Instant.parse("2026-12-07T13:28:24.123Z"), Instant.EPOCH, Instant.ofEpochMilli(-1),
            Instant.ofEpochMilli(Long.MAX_VALUE), null}) {
            assertThat(roundTrip(i, StateWriter::instant, StateReader::instant)).isEqualTo(i);
        }
        for (LocalDate d : new LocalDate[] {LocalDate.parse("2026-03-14"), LocalDate.EPOCH, LocalDate.EPOCH.minusDays(1),
            LocalDate.MIN, LocalDate.MAX, null}) {
            assertThat(roundTrip(d, StateWriter::day, StateReader::day)).isEqualTo(d);
        }
        YearMonth base = YearMonth.of(2024, 7);
        for (YearMonth m : new YearMonth[] {YearMonth.of(2024, 1), YearMonth.of(0, 1), YearMonth.of(-1, 12),
            YearMonth.of(999_999_999, 12), YearMonth.of(-999_999_999, 1), base, null}) {
            assertThat(roundTrip(m, StateWriter::month, StateReader::month)).isEqualTo(m);
            assertThat(roundTrip(m, (o, v) -> o.month(v, base), in -> in.month(base))).isEqualTo(m);
        }
        assertThat(bytes(YearMonth.of(2024, 8), (o, v) -> o.month(v, base))).as("the month after").hasSize(1);
    }

    @Test
    void shouldGiveBackEnumsByTheirCodes() {
        for (PaymentStatus status : PaymentStatus.values()) {
            assertThat(roundTrip(status, (o, v) -> o.code(EventCodes.PAYMENT_STATUS, v),
                    in -> in.code(EventCodes.PAYMENT_STATUS))).isEqualTo(status);
        }
        assertThat(bytes(PaymentStatus.UNKNOWN, (o, v) -> o.code(EventCodes.PAYMENT_STATUS, v))).containsExactly(5);
    }

    @Test
    void shouldGiveBackListsAndMapsInTheirOrder() {
        List<String> list = List.of("b", "a", "c");
        assertThat(roundTrip(list, (o, v) -> o.list(v, StateWriter::string), in -> in.list(StateReader::string)))
                .containsExactly("b", "a", "c");
        Map<String, BigDecimal> map = new LinkedHashMap<>();
        map.put("z", new BigDecimal("1.5"));
        map.put("a", BigDecimal.ZERO);
        Map<String, BigDecimal> back = roundTrip(map, (o, v) -> o.map(v, StateWriter::string, StateWriter::decimal),
                in -> in.map(new LinkedHashMap<>(), StateReader::string, StateReader::decimal));
        assertThat(back).containsExactly(Map.entry("z", new BigDecimal("1.5")), Map.entry("a", BigDecimal.ZERO));
        assertThat(roundTrip(new TreeMap<String, String>(), (o, v) -> o.map(v, StateWriter::string, StateWriter::string),
                in -> in.map(new TreeMap<>(), StateReader::string, StateReader::string))).isEmpty();
    }

    @Test
    void shouldReadAFormatHeaderItWrote() {
        StateFormat format = new StateFormat("test-state", 255);
        StateWriter out = new StateWriter(4);
        out.header(format);
        out.string("after");

        String after = StateReader.decode(out.toByteArray(), "test-state", in -> {
            in.header(format);
            return in.string();
        });

        assertThat(after).isEqualTo("after");
    }

    @Test
    void shouldKeepItsArrayAcrossResets() {
        StateWriter out = new StateWriter(4);
        out.string("a longer string than four bytes");
        out.reset();
        out.zigzag(-1);

        assertThat(out.toByteArray()).containsExactly(1);
        assertThat(out.size()).isEqualTo(1);
    }
}
