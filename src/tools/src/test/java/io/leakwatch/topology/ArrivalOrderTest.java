package io.leakwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.BacktestResult;
import io.leakwatch.backtest.JsonLinesInput;
import io.leakwatch.backtest.ReplayRecord;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.ArrivalReplay;
import io.leakwatch.testing.StandingAlerts;
import io.leakwatch.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The arrival-order adversary: one generated world (300 accounts x 12 months, risk scoring with the shipped models)
 * fed to the production topology in many orders a live deployment can see — a topic held back, topics one after
 * another, partitions skewed or lagging, random interleavings, records out of order within a topic
 * — and in every order the alerts that stand at the end are the event-time backtest's: the same
 * alert ids, every type included, each with the same content (revision, reason and detection time aside).
 * The horizon covers the world, so no record is too late to count.
 */
@Execution(ExecutionMode.CONCURRENT)
class ArrivalOrderTest {
    private static final Duration HORIZON = Duration.ofDays(400);
    private static Path world;
    private static RiskScoringRuntime scoring;
    private static TopologySettings settings;
    private static List<ReplayRecord> eventTime;
    private static Map<String, Alert> expected;
    private static Map<String, Long> expectedDeadLetters;

    @BeforeAll
    static void backtestTheWorld() throws Exception {
        world = Files.createTempDirectory("leakwatch-adversary");
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(300, 12, 11)), world);
        TopologySettings defaults = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver()).withHorizon(HORIZON);
        scoring = RiskScoringRuntime.open(LeakwatchConfig.defaults().scoring(), defaults, false);
        settings = scoring.apply(defaults);
        BacktestResult backtest = new Backtest(settings).run(world, Progress.silent());
        expected = StandingAlerts.byId(backtest.alerts());
        expectedDeadLetters = backtest.deadLetters().stream()
                .collect(Collectors.groupingBy(d -> d.reason(), TreeMap::new, Collectors.counting()));
        eventTime = JsonLinesInput.read(world, JsonLinesInput.inputTopics(settings.topics()));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        scoring.close();
        try (var files = Files.walk(world)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void shouldCoverEveryTypeOfFindingAndPrediction() {
        Set<String> types = expected.values().stream().map(Alert::getType).collect(Collectors.toCollection(TreeSet::new));
        Set<AlertType> absent = EnumSet.allOf(AlertType.class);
        absent.removeIf(t -> types.contains(t.name()));
        // a 300-account year need not hold every rare type; the ones it holds are all judged in every order below
        assertThat(types).as("types in the reference").contains("RATE_MISMATCH", "UNBILLED_USAGE", "DUPLICATE_CHARGE",
                "FAILED_PAYMENT_NOT_RECOVERED", "UNPAID_INVOICE", "MISSING_INVOICE", "PROVISIONING_MISMATCH",
                "CHARGE_ARITHMETIC", "REVENUE_DROP", "HIGH_LEAKAGE_RISK");
        assertThat(expected).hasSizeGreaterThan(300);
    }

    static Stream<Arguments> orders() {
        List<Arguments> orders = new ArrayList<>();
        add(orders, "event time", r -> r, 0);
        add(orders, "contracts last", r -> topicsLast(r, "contracts"), 0);
        add(orders, "invoices first", r -> topicsFirst(r, "invoices"), 0);
        add(orders, "payments held back", r -> topicsLast(r, "payments"), 0);
        add(orders, "usage last", r -> topicsLast(r, "usage"), 0);
        add(orders, "provisioning last", r -> topicsLast(r, "provisioning"), 0);
        add(orders, "topics one after another, contracts last",
                r -> concat(r, "payments", "usage", "invoices", "provisioning", "contracts"), 0);
        add(orders, "newest first", ArrivalOrderTest::reversed, 0);
        add(orders, "one partition of four behind all the others", r -> partitionLast(r, 0), 0);
        add(orders, "one partition 30 days behind", r -> lagging(r, rec -> partition(rec) == 1, Duration.ofDays(30)), 0);
        add(orders, "usage 45 days behind", r -> lagging(r, rec -> rec.topic().equals("usage"), Duration.ofDays(45)), 0);
        add(orders, "contracts 60 days behind", r -> lagging(r, rec -> rec.topic().equals("contracts"), Duration.ofDays(60)), 0);
        for (int seed = 1; seed <= 5; seed++) {
            int s = seed;
            add(orders, "random interleaving of the topics, seed " + seed, r -> interleaved(r, s), 0);
        }
        add(orders, "each record up to 20 days out of order", r -> jittered(r, 11, Duration.ofDays(20)), 0);
        add(orders, "contracts and provisioning last", r -> concat(r, "invoices", "usage", "payments", "provisioning", "contracts"), 0);
        add(orders, "invoices 10 days behind", r -> lagging(r, rec -> rec.topic().equals("invoices"), Duration.ofDays(10)), 0);
        add(orders, "payments newest first, the rest in event time",
                r -> { List<ReplayRecord> out = topicsLast(r, "payments"); Collections.reverse(out.subList(out.size()
                        - (int) r.stream().filter(x -> x.topic().equals("payments")).count(), out.size())); return out; }, 0);
        add(orders, "any order at all", r -> shuffled(r, 3), 0);
        return orders.stream();
    }

    private static void add(List<Arguments> orders, String name, Function<List<ReplayRecord>, List<ReplayRecord>> order,
                            int restarts) {
        orders.add(Arguments.of(name, order, restarts));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void shouldEndWithTheBacktestsStandingAlerts(String name, Function<List<ReplayRecord>, List<ReplayRecord>> order,
                                                 int restarts) {
        List<ReplayRecord> records = order.apply(eventTime);
        assertThat(records).hasSameSizeAs(eventTime);
        Set<Integer> restartAt = new TreeSet<>();
        for (int k = 1; k <= restarts; k++) {
            restartAt.add(k * records.size() / (restarts + 1));
        }

        ArrivalReplay.Result result = new ArrivalReplay(settings, 2000).run(records, restartAt);
        Map<String, Alert> standing = StandingAlerts.byId(AlertLog.of(result.alertLog()).standing());

        assertThat(StandingAlerts.difference(expected, standing)).as(name).isEmpty();
        assertThat(result.deadLettersByReason()).as(name + ": dead letters").isEqualTo(expectedDeadLetters);
    }

    // ------------------------------------------------------------------------------------------------- orders

    private static List<ReplayRecord> topicsLast(List<ReplayRecord> records, String topic) {
        List<ReplayRecord> out = new ArrayList<>(records.stream().filter(r -> !r.topic().equals(topic)).toList());
        out.addAll(records.stream().filter(r -> r.topic().equals(topic)).toList());
        return out;
    }

    private static List<ReplayRecord> topicsFirst(List<ReplayRecord> records, String topic) {
        List<ReplayRecord> out = new ArrayList<>(records.stream().filter(r -> r.topic().equals(topic)).toList());
        out.addAll(records.stream().filter(r -> !r.topic().equals(topic)).toList());
        return out;
    }

    private static List<ReplayRecord> concat(List<ReplayRecord> records, String... topics) {
        List<ReplayRecord> out = new ArrayList<>();
        for (String topic : topics) {
            out.addAll(records.stream().filter(r -> r.topic().equals(topic)).toList());
        }
        return out;
    }

    private static List<ReplayRecord> reversed(List<ReplayRecord> records) {
        List<ReplayRecord> out = new ArrayList<>(records);
        Collections.reverse(out);
        return out;
    }

    /** The partition a Java producer puts the record's key on, of four. */
    private static int partition(ReplayRecord r) {
        return r.key() == null ? 0 : Math.floorMod(r.key().hashCode(), 4);
    }

    private static List<ReplayRecord> partitionLast(List<ReplayRecord> records, int partition) {
        List<ReplayRecord> out = new ArrayList<>(records.stream().filter(r -> partition(r) != partition).toList());
        out.addAll(records.stream().filter(r -> partition(r) == partition).toList());
        return out;
    }

    /** The records {@code behind} selects arrive as if their clock were {@code lag} late. */
    private static List<ReplayRecord> lagging(List<ReplayRecord> records, java.util.function.Predicate<ReplayRecord> behind,
                                              Duration lag) {
        List<ReplayRecord> out = new ArrayList<>(records);
        out.sort(Comparator.comparingLong(r -> r.timestamp() + (behind.test(r) ? lag.toMillis() : 0)));
        return out;
    }

    /** Each topic in its own event-time order, the topics interleaved at random (what a consumer of many partitions sees). */
    private static List<ReplayRecord> interleaved(List<ReplayRecord> records, long seed) {
        Map<String, List<ReplayRecord>> byTopic = new LinkedHashMap<>();
        records.forEach(r -> byTopic.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r));
        List<java.util.Iterator<ReplayRecord>> streams = new ArrayList<>(byTopic.values().stream().map(List::iterator).toList());
        Random random = new Random(seed);
        List<ReplayRecord> out = new ArrayList<>(records.size());
        while (!streams.isEmpty()) {
            int pick = random.nextInt(streams.size());
            java.util.Iterator<ReplayRecord> it = streams.get(pick);
            int burst = 1 + random.nextInt(200);
            for (int i = 0; i < burst && it.hasNext(); i++) {
                out.add(it.next());
            }
            if (!it.hasNext()) {
                streams.remove(pick);
            }
        }
        return out;
    }

    private static List<ReplayRecord> jittered(List<ReplayRecord> records, long seed, Duration upTo) {
        Random random = new Random(seed);
        Map<ReplayRecord, Long> key = new java.util.IdentityHashMap<>();
        records.forEach(r -> key.put(r, r.timestamp() + (long) (random.nextDouble() * upTo.toMillis())));
        List<ReplayRecord> out = new ArrayList<>(records);
        out.sort(Comparator.comparingLong(key::get));
        return out;
    }

    private static List<ReplayRecord> shuffled(List<ReplayRecord> records, long seed) {
        List<ReplayRecord> out = new ArrayList<>(records);
        Collections.shuffle(out, new Random(seed));
        return out;
    }
}
