package io.leakwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.ingest.RejectReason;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile input through the whole topology, in each wire format: {@value #RECORDS} records a run across the five
 * input topics, half of them a generated world's real events (in order, late, repeated, under odd keys, with record
 * timestamps that are not their business time), half of them those events broken in a seeded way: fields missing, null, of the wrong type, absurdly
 * long or large, times out of any range, bytes flipped, cut or appended, Avro lengths that claim gigabytes. Nothing
 * may escape, nothing may be set aside as a processing error (each would be a defect), and every record is accounted
 * for: per topic, the records sent are exactly those accepted plus those the ingest step dead-lettered, every dead
 * letter has a known reason and comes from one input offset, and the dead-letter count is what the metrics say.
 */
class FuzzTopologyTest {
    private static final int RECORDS = 60_000;
    private static final long SEED = 31;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BundledSchemaResolver SCHEMAS = new BundledSchemaResolver();
    private static final Map<String, EventType<?>> TOPICS = new java.util.LinkedHashMap<>();

    static {
        TOPICS.put("contracts", EventType.CONTRACT);
        TOPICS.put("invoices", EventType.INVOICE_LINE);
        TOPICS.put("usage", EventType.USAGE);
        TOPICS.put("payments", EventType.PAYMENT);
        TOPICS.put("provisioning", EventType.PROVISIONING);
    }

    private record Input(String topic, String key, byte[] value, long timestamp) {
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void hostileInputNeverStopsTheProcessorAndEveryRecordIsAccountedFor(WireFormat format, @TempDir Path state)
            throws Exception {
        World world = WorldGenerator.generate(GeneratorOptions.defaults(250, 12, SEED).withBadRecordCount(0));
        List<Input> inputs = new Fuzzer(world, format, new SplittableRandom(SEED + format.ordinal())).inputs(RECORDS);

        TopicCatalog catalog = TopicCatalog.bundled();
        TopologySettings settings = TopologySettings.defaults(catalog, format, SCHEMAS)
                .withHorizon(Duration.ofDays(120)).withInputPartitions(1);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-fuzz");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "fuzz:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(state.resolve("state")).toString());
        DeadLetterHandlers.install(props, catalog.name(TopicCatalog.DEAD_LETTER));

        Map<String, Integer> sent = new TreeMap<>();
        Map<String, Integer> deadByIngest = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        Set<String> deadOffsets = new HashSet<>();
        int alerts = 0;
        int dead = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(LeakwatchTopology.build(settings), props)) {
            Map<String, TestInputTopic<String, byte[]>> in = new HashMap<>();
            TOPICS.keySet().forEach(t -> in.put(t, driver.createInputTopic(t, new StringSerializer(), new ByteArraySerializer())));
            TestOutputTopic<String, byte[]> deadOut = driver.createOutputTopic(catalog.name(TopicCatalog.DEAD_LETTER),
                    new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> alertsOut = driver.createOutputTopic(catalog.name(TopicCatalog.ALERTS),
                    new StringDeserializer(), new ByteArrayDeserializer());
            int n = 0;
            for (Input input : inputs) {
                in.get(input.topic()).pipeInput(new TestRecord<>(input.key(), input.value(), new RecordHeaders(),
                        input.timestamp()));
                sent.merge(input.topic(), 1, Integer::sum);
                if (++n % 2_000 == 0) {
                    driver.advanceWallClockTime(Duration.ofSeconds(1));
                }
            }
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            for (TestRecord<String, byte[]> d : deadOut.readRecordsToList()) {
                dead++;
                String reason = DeadLetterHeaders.get(d.headers(), DeadLetterHeaders.REASON);
                String topic = DeadLetterHeaders.get(d.headers(), DeadLetterHeaders.SOURCE_TOPIC);
                String node = DeadLetterHeaders.get(d.headers(), DeadLetterHeaders.NODE);
                reasons.merge(reason, 1, Integer::sum);
                assertThat(reason).as("a dead letter's reason").isIn(Arrays.stream(RejectReason.values())
                        .filter(r -> r != RejectReason.PROCESSING_ERROR).map(RejectReason::code).toList());
                assertThat(DeadLetterHeaders.get(d.headers(), DeadLetterHeaders.DETAIL)).isNotBlank();
                assertThat(topic).isIn(TOPICS.keySet());
                assertThat(deadOffsets.add(topic + "@" + DeadLetterHeaders.get(d.headers(), DeadLetterHeaders.SOURCE_OFFSET)))
                        .as("one dead letter per input record").isTrue();
                if (node.equals(TOPICS.get(topic).name() + "-ingest")) {
                    deadByIngest.merge(topic, 1, Integer::sum);
                } else {
                    assertThat(node).isEqualTo("account-processor");
                    assertThat(reason).isEqualTo("late");
                }
            }
            alerts = alertsOut.readRecordsToList().size();

            Map<String, Double> metrics = new TreeMap<>();
            driver.metrics().forEach((name, metric) -> {
                if (name.name().endsWith("-total") && (name.group().contains("leakwatch-dead-letter")
                        || name.group().contains("leakwatch-ingest"))) {
                    metrics.merge(name.group() + "/" + name.tags() + "/" + name.name(),
                            ((Number) metric.metricValue()).doubleValue(), Double::sum);
                }
            });
            for (Map.Entry<String, EventType<?>> topic : TOPICS.entrySet()) {
                double accepted = sum(driver, "leakwatch-ingest", topic.getValue().name(), "accepted-total");
                assertThat(accepted).as("%s: records accepted %s %s", topic.getKey(), metrics, reasons).isPositive();
                assertThat(accepted + deadByIngest.getOrDefault(topic.getKey(), 0))
                        .as("%s: sent = accepted + dead-lettered at ingest %s", topic.getKey(), metrics)
                        .isEqualTo(sent.get(topic.getKey()).doubleValue());
            }
            double counted = 0;
            for (RejectReason r : RejectReason.values()) {
                counted += sum(driver, "leakwatch-dead-letter", null, r.code() + "-total");
            }
            assertThat(counted).as("dead letters counted").isEqualTo(dead);
            assertThat(sum(driver, "stream-task-metrics", null, "dropped-records-total")).isZero();
        }
        System.out.printf("fuzz %s: %,d records %s, %,d dead letters %s, %,d alert records%n", format, RECORDS, sent,
                dead, reasons, alerts);
        assertThat(reasons.keySet()).contains("deserialization", "invalid", "key-mismatch", "implausible-timestamp");
        assertThat(alerts).as("the real events around the broken ones are still judged").isPositive();
    }

    private static double sum(TopologyTestDriver driver, String group, String entity, String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().contains(group))
                .filter(e -> entity == null || e.getKey().tags().containsValue(entity))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** Makes the records: the world's events, and broken copies of them. */
    private static final class Fuzzer {
        private final World world;
        private final WireFormat format;
        private final SplittableRandom random;
        private final List<String> accounts = new ArrayList<>();

        Fuzzer(World world, WireFormat format, SplittableRandom random) {
            this.world = world;
            this.format = format;
            this.random = random;
            world.contracts().forEach(c -> accounts.add(c.getAccountId()));
        }

        List<Input> inputs(int count) {
            List<Input> valid = new ArrayList<>();
            world.contracts().forEach(e -> valid.add(encode("contracts", e)));
            world.provisioning().forEach(e -> valid.add(encode("provisioning", e)));
            world.usage().forEach(e -> valid.add(encode("usage", e)));
            world.invoiceLines().forEach(e -> valid.add(encode("invoices", e)));
            world.payments().forEach(e -> valid.add(encode("payments", e)));
            valid.sort(java.util.Comparator.comparingLong(Input::timestamp));
            List<Input> out = new ArrayList<>(count);
            int cursor = 0;
            while (out.size() < count) {
                double roll = random.nextDouble();
                // broken and repeated records are copies of events near the cursor, mostly a little behind it
                int near = Math.max(0, Math.min(valid.size() - 1, cursor - random.nextInt(3_000) + random.nextInt(50)));
                // (a world of 250 accounts over 12 months has some 32,000 events: the cursor reaches its end about when
                // the records are all made)
                if (roll < 0.45 && cursor < valid.size()) {
                    out.add(valid.get(cursor++));
                } else if (roll < 0.5) {
                    out.add(valid.get(near));                                    // late or repeated
                } else {
                    out.add(broken(valid.get(near)));
                }
            }
            return out;
        }

        private Input encode(String topic, SpecificRecord event) {
            @SuppressWarnings("unchecked")
            EventType<SpecificRecord> type = (EventType<SpecificRecord>) TOPICS.get(topic);
            String account = type.accountId().apply(event);
            return new Input(topic, account, format.codec(type, topic, SCHEMAS).encode(event),
                    type.eventTime().apply(event).toEpochMilli());
        }

        private Input broken(Input base) {
            String key = base.key();
            long timestamp = base.timestamp();
            byte[] value = base.value();
            int what = random.nextInt(10);
            if (what == 0) {
                key = oddKey();
            } else if (what == 1) {
                timestamp = oddTimestamp(timestamp);
            } else if (what < 4 || format == WireFormat.AVRO && what < 6) {
                value = bytes(value);
            } else {
                value = format == WireFormat.JSON ? json(value) : avro(base);
            }
            if (random.nextInt(20) == 0) {
                key = oddKey();
            }
            return new Input(base.topic(), key, value, timestamp);
        }

        private String oddKey() {
            return switch (random.nextInt(5)) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> accounts.get(random.nextInt(accounts.size()));
                case 3 -> "k".repeat(1 + random.nextInt(5_000));
                default -> "acct-" + random.nextInt(1_000_000) + "\u0000\uD83D\uDE00";
            };
        }

        private long oddTimestamp(long t) {
            return switch (random.nextInt(5)) {
                case 0 -> 0L;
                case 1 -> random.nextLong(Long.MAX_VALUE / 2);
                case 2 -> t - Duration.ofDays(random.nextInt(1, 2_000)).toMillis();
                // beyond max-ahead (400 days): a timestamp within it is a plausible one, and moves stream time on
                case 3 -> t + Duration.ofDays(random.nextInt(401, 2_000)).toMillis();
                default -> Long.MAX_VALUE / 1_000;
            };
        }

        /** Byte-level damage: flipped, cut, padded, replaced. */
        private byte[] bytes(byte[] value) {
            byte[] v = value.clone();
            switch (random.nextInt(6)) {
                case 0 -> {
                    int flips = 1 + random.nextInt(4);
                    for (int i = 0; i < flips && v.length > 0; i++) {
                        v[random.nextInt(v.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    return v;
                }
                case 1 -> {
                    return Arrays.copyOf(v, random.nextInt(Math.max(1, v.length)));
                }
                case 2 -> {
                    byte[] more = new byte[1 + random.nextInt(64)];
                    random.nextBytes(more);
                    byte[] out = Arrays.copyOf(v, v.length + more.length);
                    System.arraycopy(more, 0, out, v.length, more.length);
                    return out;
                }
                case 3 -> {
                    byte[] garbage = new byte[random.nextInt(200)];
                    random.nextBytes(garbage);
                    return garbage;
                }
                case 4 -> {
                    return new byte[0];
                }
                default -> {
                    for (int i = 0; i < v.length; i += 1 + random.nextInt(16)) {
                        v[i] = (byte) 0xC3;                                      // invalid UTF-8 sequences
                    }
                    return v;
                }
            }
        }

        /** Field-level damage to a JSON event. */
        private byte[] json(byte[] value) {
            ObjectNode node;
            try {
                node = (ObjectNode) JSON.readTree(value);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            int damages = 1 + random.nextInt(2);
            for (int i = 0; i < damages; i++) {
                List<String> paths = new ArrayList<>();
                collect(node, "", paths);
                damage(node, paths.get(random.nextInt(paths.size())));
            }
            if (random.nextInt(50) == 0) {
                return ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8);
            }
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void collect(JsonNode node, String at, List<String> paths) {
            if (node.isObject()) {
                node.fieldNames().forEachRemaining(f -> {
                    paths.add(at + "/" + f);
                    collect(node.get(f), at + "/" + f, paths);
                });
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    paths.add(at + "/" + i);
                    collect(node.get(i), at + "/" + i, paths);
                }
            }
        }

        private void damage(ObjectNode root, String path) {
            int cut = path.lastIndexOf('/');
            JsonNode parent = root.at(path.substring(0, cut));
            String field = path.substring(cut + 1);
            JsonNode replacement = switch (random.nextInt(14)) {
                case 0 -> null;
                case 1 -> JsonNodeFactory.instance.nullNode();
                case 2 -> JsonNodeFactory.instance.numberNode(random.nextLong());
                case 3 -> JsonNodeFactory.instance.booleanNode(true);
                case 4 -> JsonNodeFactory.instance.objectNode().put("x", 1);
                case 5 -> JsonNodeFactory.instance.textNode("x".repeat(random.nextInt(random.nextInt(10) == 0 ? 300_000 : 3_000)));
                case 6 -> JsonNodeFactory.instance.textNode(pick("1e20000000", "-1", "NaN", "Infinity", "1e-999999",
                        "123456789012345678901234", "0.0000000000001", "99999999999999.9999", "-0", "1e9", " 12 ", ""));
                case 7 -> JsonNodeFactory.instance.textNode(pick("2026-13-45", "0000-01-01", "+999999999-12-31T23:59:59Z",
                        "1970-01-01T00:00:00Z", "9999-12-31", "2026-02-30T00:00:00Z", "yesterday", "2026-01-01T00:00:00+25:00"));
                case 8 -> JsonNodeFactory.instance.numberNode(pick(Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L, 253402300800000L));
                case 9 -> JsonNodeFactory.instance.numberNode(new java.math.BigDecimal("1e400"));
                case 10 -> JsonNodeFactory.instance.textNode(pick("BOGUS", "failed", "XYZ", "usd", "\u0000", "\uD800"));
                case 11 -> {
                    ArrayNode many = JsonNodeFactory.instance.arrayNode();
                    int n = random.nextInt(3) == 0 ? 1_500 : 3;
                    JsonNode like = parent.isArray() && parent.size() > 0 ? parent.get(0) : JsonNodeFactory.instance.textNode("a");
                    for (int i = 0; i < n; i++) {
                        many.add(like.deepCopy());
                    }
                    yield many;
                }
                case 12 -> JsonNodeFactory.instance.arrayNode();
                default -> JsonNodeFactory.instance.textNode("\uD83D\uDE00".repeat(1 + random.nextInt(300)));
            };
            if (parent instanceof ObjectNode object) {
                if (replacement == null) {
                    object.remove(field);
                } else {
                    object.set(field, replacement);
                }
            } else if (parent instanceof ArrayNode array) {
                int i = Integer.parseInt(field);
                if (replacement == null) {
                    array.remove(i);
                } else {
                    array.set(i, replacement);
                }
            }
        }

        /** An Avro record whose fields hold extreme values, or bytes that claim more than they hold. */
        private byte[] avro(Input base) {
            byte[] v = base.value();
            if (random.nextBoolean() && v.length > 6) {
                // a zig-zag varint of a length near 2^31 where a string or bytes length would be read
                byte[] out = v.clone();
                int at = 5 + random.nextInt(v.length - 5);
                byte[] huge = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
                for (int i = 0; i < huge.length && at + i < out.length; i++) {
                    out[at + i] = huge[i];
                }
                return out;
            }
            @SuppressWarnings("unchecked")
            EventType<SpecificRecord> type = (EventType<SpecificRecord>) TOPICS.get(base.topic());
            EventCodec<SpecificRecord> codec = format.codec(type, base.topic(), SCHEMAS);
            try {
                SpecificRecord event = codec.decode(v);
                var schema = event.getSchema();
                var field = schema.getFields().get(random.nextInt(schema.getFields().size()));
                Object now = event.get(field.pos());
                Object odd = oddValue(now);
                if (odd != null || field.schema().isNullable()) {
                    event.put(field.pos(), odd);
                }
                return codec.encode(event);
            } catch (Exception | Error e) {
                return bytes(v);    // the writer itself refused the value: damage bytes instead
            }
        }

        private Object oddValue(Object now) {
            if (now instanceof CharSequence) {
                return random.nextBoolean() ? "" : "z".repeat(1 + random.nextInt(random.nextInt(10) == 0 ? 300_000 : 3_000));
            }
            if (now instanceof java.math.BigDecimal d) {
                return switch (random.nextInt(3)) {
                    case 0 -> d.negate().subtract(java.math.BigDecimal.ONE);
                    case 1 -> new java.math.BigDecimal(new java.math.BigInteger(4_000, new java.util.Random(random.nextLong())),
                            d.scale());
                    default -> new java.math.BigDecimal("99999999999999999").setScale(d.scale());
                };
            }
            if (now instanceof java.time.Instant) {
                return java.time.Instant.ofEpochMilli(pick(Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L, 253402300800000L));
            }
            if (now instanceof Integer) {
                return pick(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE);
            }
            if (now instanceof List<?> list && !list.isEmpty()) {
                List<Object> many = new ArrayList<>();
                for (int i = 0; i < 1_500; i++) {
                    many.add(list.get(0));
                }
                return many;
            }
            return null;
        }

        @SafeVarargs
        private <T> T pick(T... options) {
            return options[random.nextInt(options.length)];
        }
    }
}
