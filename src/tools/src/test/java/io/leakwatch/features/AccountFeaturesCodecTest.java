package io.leakwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.serde.BinaryOut;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The codec keeps the encoded bytes of the parts an event did not change. Whatever the events, that must give
 * exactly the bytes of a full encode: a part changed without {@code touched} would be stored stale (and only show
 * after a restart), so this replays a whole generated world, events in time order and some late, and compares
 * after every event.
 */
class AccountFeaturesCodecTest {
    private record Event(Instant at, String account, SpecificRecord value) {
    }

    @Test
    void shouldEncodeExactlyAsAFullEncodeAfterEveryEventOfAWorld() {
        World world = WorldGenerator.generate(GeneratorOptions.defaults(50, 20, 21));
        List<Event> events = new ArrayList<>();
        world.contracts().forEach(c -> events.add(new Event(c.getSignedAt(), c.getAccountId(), c)));
        world.invoiceLines().forEach(l -> events.add(new Event(l.getIssuedAt(), l.getAccountId(), l)));
        world.usage().forEach(u -> events.add(new Event(u.getOccurredAt(), u.getAccountId(), u)));
        world.payments().forEach(p -> events.add(new Event(p.getAttemptedAt(), p.getAccountId(), p)));
        world.provisioning().forEach(p -> events.add(new Event(p.getEffectiveAt(), p.getAccountId(), p)));
        events.removeIf(e -> e.account() == null);
        events.sort(Comparator.comparing(Event::at));
        // every 50th event arrives late: after the next 10
        for (int i = 0; i + 10 < events.size(); i += 50) {
            events.add(i + 10, events.remove(i));
        }

        Map<String, AccountFeatures> accounts = new HashMap<>();
        BinaryOut scratch = new BinaryOut(64);
        int compared = 0;
        for (Event e : events) {
            AccountFeatures f = accounts.computeIfAbsent(e.account(), a -> new AccountFeatures());
            if (e.value() instanceof Contract c) {
                f.add(c);
            } else if (e.value() instanceof InvoiceLine l) {
                f.add(l);
            } else if (e.value() instanceof UsageRecord u) {
                f.add(u);
            } else if (e.value() instanceof Payment p) {
                f.add(p);
            } else if (e.value() instanceof ProvisioningChange p) {
                f.add(p);
            }
            byte[] incremental = AccountFeaturesCodec.encode(f, scratch);
            assertThat(incremental).as("after event %d (%s)", compared, e.value().getClass().getSimpleName())
                    .isEqualTo(AccountFeaturesCodec.encodeFully(f));
            if (compared % 97 == 0) {
                // a decoded state (no kept bytes) encodes to the same bytes too
                AccountFeatures decoded = AccountFeaturesCodec.decode(incremental);
                assertThat(AccountFeaturesCodec.encode(decoded, new BinaryOut(16))).isEqualTo(incremental);
                accounts.put(e.account(), decoded);
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(5_000);
    }

    @Test
    void shouldRefuseStateOfAnotherFormat() {
        byte[] other = AccountFeaturesCodec.encode(AccountFeatures.restore("USD", 0, 0, null));
        other[0] = AccountFeaturesCodec.VERSION - 1;

        assertThatThrownBy(() -> AccountFeaturesCodec.decode(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown account-features format version " + (AccountFeaturesCodec.VERSION - 1));
    }

    @Test
    void shouldCodeTimesAsDifferencesWhateverTheirRange() throws IOException {
        long t = Instant.parse("2024-07-05T06:12:43Z").toEpochMilli();
        long[][] cases = {
            {t, 0}, {t + 86_400_000L, t}, {t - 1, t}, {t + 7, t}, {AccountFeatures.NONE, t}, {t, AccountFeatures.NONE},
            {Long.MAX_VALUE, t}, {Long.MAX_VALUE, Long.MIN_VALUE + 1}, {Long.MIN_VALUE + 1, Long.MAX_VALUE}, {0, 0},
            {Long.MIN_VALUE + 1, 0}, {1L << 60, -(1L << 60)},
        };
        for (long[] c : cases) {
            BinaryOut out = new BinaryOut(16);
            AccountFeaturesCodec.writeTime(out, c[0], c[1]);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
            assertThat(AccountFeaturesCodec.readTime(in, c[1])).as("%d from %d", c[0], c[1]).isEqualTo(c[0]);
            assertThat(in.available()).isZero();
        }
        BinaryOut day = new BinaryOut(16);
        AccountFeaturesCodec.writeTime(day, t + 86_400_000L, t);
        assertThat(day.size()).as("a day later, in whole seconds").isEqualTo(3);
    }

    @Test
    void shouldGiveBackExactlyTheSameDoubles() throws IOException {
        double[] values = {0, -0.0, 1, -1, 0.1, 5855.1918, 109.675, 1.0 / 3, 1e300, -1e-300, Double.NaN,
            Double.POSITIVE_INFINITY, Double.MIN_VALUE, 9_007_199_254_740_993.0, 123_456_789.123456, 0.0000001};
        for (double v : values) {
            BinaryOut out = new BinaryOut(16);
            AccountFeaturesCodec.writeNumber(out, v);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
            assertThat(Double.doubleToRawLongBits(AccountFeaturesCodec.readNumber(in))).as("%s", v)
                    .isEqualTo(Double.doubleToRawLongBits(v));
            assertThat(in.available()).isZero();
        }
        BinaryOut quantity = new BinaryOut(16);
        AccountFeaturesCodec.writeNumber(quantity, 5855.1918);
        assertThat(quantity.size()).as("5855.1918 as 58551918 / 10^4").isLessThan(8);
    }

    @Test
    void shouldFindTheSameShortestDecimalAsTryingEveryScale() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> new BigDecimal(java.math.BigInteger.valueOf(random.nextLong() % 1_000_000_000_000L), random.nextInt(9)).doubleValue();
                case 1 -> Double.parseDouble((random.nextInt(100_000)) + "." + random.nextInt(10_000));
                case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(20) - 6);
                default -> Math.scalb(random.nextLong() >> random.nextInt(64), random.nextInt(40) - 30);
            };
            assertThat(AccountFeaturesCodec.decimalTag(value)).as("%s", value)
                    .isEqualTo(AccountFeaturesCodec.decimalTagBySearch(value));
        }
    }

    @Test
    void shouldGiveBackEveryDecimalWithItsScale() throws IOException {
        String[] values = {"0", "0.00", "175.28", "-175.28", "102045.47", "1E+3", "-1E-20", "0.00000000000001",
            "123456789012345678.9", "-288230376151711743", "288230376151711744", "1234567890123456789012345678901234.5"};
        for (String v : values) {
            BigDecimal value = new BigDecimal(v);
            BinaryOut out = new BinaryOut(16);
            AccountFeaturesCodec.writeDec(out, value);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
            BigDecimal back = AccountFeaturesCodec.readDec(in);
            assertThat(back.unscaledValue()).as(v).isEqualTo(value.unscaledValue());
            assertThat(back.scale()).as(v).isEqualTo(value.scale());
            assertThat(in.available()).isZero();
        }
        BinaryOut total = new BinaryOut(16);
        AccountFeaturesCodec.writeDec(total, new BigDecimal("175.28"));
        assertThat(total.size()).isEqualTo(3);
    }
}
