package io.leakwatch.account;

import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.scoring.ModelRegistry;
import io.leakwatch.scoring.OnnxRiskScorer;
import io.leakwatch.scoring.RiskThresholds;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.TopologySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The cost of {@link AccountStateCodec} on real states, without JMH: a generated world (300 accounts, 18 months,
 * seed 11, as the backtest reference) is run through the account engine with the ONNX models, each account's state
 * is encoded every 20th event, and those states are then decoded and encoded in timed rounds. Prints the thread's CPU
 * time in ns per decode, per encode of a state just decoded (every part written afresh) and per encode of a state
 * encoded before (the parts an event did not change kept), the bytes each allocates, and the encoded sizes.
 * <pre>
 * mvn -B -o -q -pl src/tools -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -Xms2g -Xmx2g -cp "src/tools/target/test-classes:src/tools/target/classes:$(cat /tmp/cp.txt)" \
 *     io.leakwatch.account.AccountStateCodecTiming [models dir, default models] [rounds, default 15]
 * </pre>
 * Not a test: a measurement to run by hand before and after a change to the state format (on a shared machine,
 * compare the best rounds).
 */
public final class AccountStateCodecTiming {
    private static final int EVERY = 20;

    private AccountStateCodecTiming() {
    }

    public static void main(String[] args) {
        Path models = Path.of(args.length > 0 ? args[0] : "models");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<byte[]> samples = samples(models);
        int[] sizes = samples.stream().mapToInt(b -> b.length).sorted().toArray();
        long total = Arrays.stream(sizes).asLongStream().sum();
        System.out.printf("states: %d; bytes: mean %d, median %d, p95 %d, max %d, total %d%n", sizes.length,
                total / sizes.length, sizes[sizes.length / 2], sizes[sizes.length * 95 / 100], sizes[sizes.length - 1], total);

        long sink = 0;
        long[] decode = new long[rounds];
        long[] fresh = new long[rounds];
        long[] again = new long[rounds];
        long[] allocated = new long[3];
        for (int round = 0; round < rounds; round++) {
            List<AccountState> states = new ArrayList<>(samples.size());
            long a0 = allocated();
            long t0 = cpu();
            for (byte[] b : samples) {
                states.add(AccountStateCodec.decode(b));
            }
            long t1 = cpu();
            long a1 = allocated();
            for (AccountState s : states) {
                sink += AccountStateCodec.encode(s).length;
            }
            long t2 = cpu();
            long a2 = allocated();
            for (AccountState s : states) {
                sink += AccountStateCodec.encode(s).length;
            }
            long t3 = cpu();
            long a3 = allocated();
            decode[round] = (t1 - t0) / samples.size();
            fresh[round] = (t2 - t1) / samples.size();
            again[round] = (t3 - t2) / samples.size();
            allocated = new long[] {(a1 - a0) / samples.size(), (a2 - a1) / samples.size(), (a3 - a2) / samples.size()};
            System.out.printf("round %2d: decode %,6d ns, encode fresh %,6d ns, encode again %,6d ns%n", round + 1,
                    decode[round], fresh[round], again[round]);
        }
        System.out.printf("median of the last %d rounds: decode %,d ns, encode fresh %,d ns, encode again %,d ns%n",
                rounds - 5, median(decode), median(fresh), median(again));
        System.out.printf("best of the last %d rounds:   decode %,d ns, encode fresh %,d ns, encode again %,d ns (%d)%n",
                rounds - 5, best(decode), best(fresh), best(again), sink % 10);
        System.out.printf("bytes allocated per state:    decode %,d, encode fresh %,d, encode again %,d%n", allocated[0],
                allocated[1], allocated[2]);
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    /** This thread's CPU time: on a shared machine, the time others took the core is not counted. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** The median of all rounds but the first five (warm-up). */
    private static long median(long[] rounds) {
        long[] kept = Arrays.copyOfRange(rounds, Math.min(5, rounds.length - 1), rounds.length);
        Arrays.sort(kept);
        return kept[kept.length / 2];
    }

    /** The fastest of all rounds but the first five: on a shared machine, the one least disturbed. */
    private static long best(long[] rounds) {
        return Arrays.stream(rounds, Math.min(5, rounds.length - 1), rounds.length).min().orElseThrow();
    }

    private static List<byte[]> samples(Path models) {
        World world = WorldGenerator.generate(GeneratorOptions.defaults(300, 18, 11));
        Map<String, List<AccountEvent>> byAccount = new HashMap<>();
        add(byAccount, world.contracts(), c -> c.getAccountId(), c -> c.getSignedAt().toEpochMilli());
        add(byAccount, world.invoiceLines(), l -> l.getAccountId(), l -> l.getIssuedAt().toEpochMilli());
        add(byAccount, world.usage(), u -> u.getAccountId(), u -> u.getOccurredAt().toEpochMilli());
        add(byAccount, world.payments(), p -> p.getAccountId(), p -> p.getAttemptedAt().toEpochMilli());
        add(byAccount, world.provisioning(), p -> p.getAccountId(), p -> p.getEffectiveAt().toEpochMilli());
        List<byte[]> samples = new ArrayList<>();
        try (ModelRegistry registry = ModelRegistry.open(models)) {
            RiskSettings risk = RiskSettings.off().withScorer(new OnnxRiskScorer(registry, RiskThresholds.DEFAULTS));
            AccountEngine engine = new AccountEngine(LeakwatchTopology.engineSettings(TopologySettings.defaults(
                    TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver()).withRisk(risk)));
            byAccount.keySet().stream().sorted().forEach(account -> {
                List<AccountEvent> events = byAccount.get(account);
                events.sort((a, b) -> a.position().compareTo(b.position()));
                AccountState state = new AccountState(account);
                for (int i = 0; i < events.size(); i++) {
                    engine.apply(state, events.get(i), EngineSink.NONE);
                    if (i % EVERY == EVERY - 1 || i == events.size() - 1) {
                        samples.add(AccountStateCodec.encode(state));
                    }
                }
            });
        }
        return samples;
    }

    private static <T extends SpecificRecord> void add(Map<String, List<AccountEvent>> into, List<T> records,
                                                       java.util.function.Function<T, String> account,
                                                       java.util.function.ToLongFunction<T> time) {
        for (T r : records) {
            if (account.apply(r) != null) {
                into.computeIfAbsent(account.apply(r), a -> new ArrayList<>()).add(AccountEvent.of(time.applyAsLong(r), r));
            }
        }
    }
}
