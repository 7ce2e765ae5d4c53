package io.leakwatch.demo;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.backtest.JsonLinesProducer;
import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.RiskScoringRuntime;
import io.leakwatch.app.RunMetrics;
import io.leakwatch.app.StreamsRunner;
import io.leakwatch.app.http.Dashboard;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.backtest.BacktestFiles;
import io.leakwatch.broker.EmbeddedKafka;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.StreamsProperties;
import io.leakwatch.topology.TopologySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The whole pipeline on one machine: a real KRaft broker inside this process, the topic catalog applied, a
 * generated billing world produced with its business timestamps, the production topology running with
 * exactly-once, and the alerts read back from the {@code alerts} topic and summarised against what the
 * generator injected.
 */
public final class Demo {
    /**
     * What to generate and where to write.
     *
     * @param httpPort where to serve the processor's dashboard, query API, metrics and health on the loopback (a free
     *                 port when it is taken; 0: a free port)
     */
    public record Options(int accounts, int months, long seed, java.time.YearMonth start, Path out, boolean follow,
                          int top, int httpPort) {
    }

    private static final String APP_ID = "leakwatch-demo";

    private final Options options;
    private final PrintWriter out;

    public Demo(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; returns the alerts it read from the alerts topic. */
    public List<Alert> run() throws Exception {
        long started = System.nanoTime();
        say("Starting a single-node Kafka broker (KRaft) inside this process...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             ScratchDirectory scratchWorld = ScratchDirectory.create("leakwatch-world");
             ScratchDirectory state = ScratchDirectory.create("leakwatch-state")) {
            say("  broker ready at " + kafka.bootstrapServers() + " (" + elapsed(started) + ")");
            TopicCatalog catalog = TopicCatalog.bundled();
            Properties client = kafka.clientProperties();
            try (Admin admin = Admin.create(client)) {
                say("Creating topics from topology/topics.json...");
                new TopicAdmin(admin, Duration.ofSeconds(30)).apply(catalog).forEach(line -> say("  " + line));

                say(String.format("Generating a billing world: %d accounts x %d months from %s, seed %d...",
                        options.accounts(), options.months(), options.start(), options.seed()));
                World world = WorldGenerator.generate(GeneratorOptions.defaults(options.accounts(), options.months(),
                        options.seed()).withStartMonth(options.start()));
                Path worldDir = options.out() != null ? options.out().resolve("world") : scratchWorld.path();
                WorldFiles.write(world, worldDir);
                say("  " + world.summary().replace("\n", "\n  "));

                say("Producing the world to Kafka (record timestamp = business time)...");
                Map<String, Long> produced = new JsonLinesProducer(client, catalog, WireFormat.JSON)
                        .produce(worldDir, new Progress(System.err, "  produce", 0, "records"));
                produced.forEach((topic, n) -> say(String.format("  %,d records -> %s", n, topic)));

                Properties streamsProps = StreamsProperties.with(client);
                streamsProps.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
                streamsProps.put(StreamsConfig.STATE_DIR_CONFIG, state.path().toString());
                TopologySettings defaults = TopologySettings.defaults(catalog, WireFormat.JSON, new BundledSchemaResolver());
                try (RiskScoringRuntime scoring = RiskScoringRuntime.open(LeakwatchConfig.defaults().scoring(), defaults, false);
                     RunMetrics metrics = new RunMetrics();
                     StreamsRunner runner = new StreamsRunner(streamsProps,
                             metrics.instrument(scoring.apply(defaults), scoring)).withMetrics(metrics.registry());
                     HttpEndpoint endpoint = serve(metrics, runner)) {
                    TopologySettings settings = scoring.apply(defaults);
                    say(scoring.describe());
                    say("Running the Leakwatch topology (exactly_once_v2)...");
                    say("  dashboard: " + endpoint.url() + Dashboard.PATH);
                    say("  metrics: " + endpoint.url() + HttpEndpoint.METRICS + "  health: " + endpoint.url()
                            + HttpEndpoint.READY);
                    runner.start();
                    long total = produced.values().stream().mapToLong(Long::longValue).sum();
                    Progress processing = new Progress(System.err, "  processed", total, "records");
                    var inputs = LeakwatchTopology.sourceTopics(LeakwatchTopology.build(settings));
                    boolean caughtUp = new ProcessingWatcher(admin, APP_ID, inputs)
                            .awaitCaughtUp(Duration.ofSeconds(60), processing::advanceTo);
                    if (!caughtUp) {
                        throw new IllegalStateException("the topology made no progress for 60 s (state "
                                + runner.state() + "; behind: " + new ProcessingWatcher(admin, APP_ID, inputs).lagging() + ")");
                    }
                    processing.finish();
                    new ProcessingWatcher(admin, APP_ID, inputs).awaitInternalTopics(Duration.ofSeconds(30));
                    // accounts that received records out of order are judged again within a second; their changes
                    // are committed with the next commit
                    new ProcessingWatcher(admin, APP_ID, inputs).awaitSettled(runner.streams(), Duration.ofMillis(
                            StreamsProperties.COMMIT_INTERVAL_MS + 1500), Duration.ofSeconds(60));
                    say("  all input processed (" + elapsed(started) + " since start)");

                    List<Alert> alerts = readAlerts(client, catalog.name(TopicCatalog.ALERTS));
                    Map<String, Long> dead = countDeadLetters(client, catalog.name(TopicCatalog.DEAD_LETTER));
                    AlertLog log = AlertLog.of(alerts);
                    DemoSummary.print(out, log, dead, world, options.top());
                    if (options.out() != null) {
                        say("wrote " + BacktestFiles.writeAlerts(log.standing(), options.out()));
                    }
                    say("Done in " + elapsed(started) + ".");
                    if (options.follow()) {
                        say("The dashboard stays at " + endpoint.url() + Dashboard.PATH + " while the demo follows.");
                        follow(client, admin, inputs, catalog, runner);
                    } else {
                        say("The dashboard stops with the demo: run it with --follow to keep it (and the processor)"
                                + " running at " + endpoint.url() + Dashboard.PATH + " until Ctrl-C.");
                    }
                    return alerts;
                }
            }
        }
    }

    /**
     * The processor's dashboard, query API, metrics and health on the loopback: at the port asked for, or a free one
     * when it is taken.
     */
    private HttpEndpoint serve(RunMetrics metrics, StreamsRunner runner) {
        LeakwatchConfig.HttpSettings http = new LeakwatchConfig.HttpSettings(true, "127.0.0.1", options.httpPort(),
                LeakwatchKeys.DEFAULT_READINESS_MAX_LAG);
        try {
            return metrics.serve(http, runner);
        } catch (java.io.UncheckedIOException e) {
            say("  port " + options.httpPort() + " is taken: serving the dashboard, metrics and health on a free port");
            return metrics.serve(new LeakwatchConfig.HttpSettings(true, "127.0.0.1", 0, http.maxLag()), runner);
        }
    }

    private List<Alert> readAlerts(Properties client, String topic) {
        EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, TopicCatalog.ALERTS, new BundledSchemaResolver());
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(client, topic)) {
            try {
                alerts.add(codec.decode(r.value()));
            } catch (EventDecodingException e) {
                throw new IllegalStateException("undecodable alert on " + topic + ": " + e.getMessage(), e);
            }
        }
        return alerts;
    }

    private Map<String, Long> countDeadLetters(Properties client, String topic) {
        Map<String, Long> counts = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(client, topic)) {
            counts.merge(String.valueOf(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON)), 1L, Long::sum);
        }
        return counts;
    }

    /** Everything committed on a topic, read to its end offsets. */
    private static List<ConsumerRecord<String, byte[]>> readAll(Properties client, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(client),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Until Ctrl-C (or this thread is interrupted): what became of each record typed into an input topic, and every alert change. */
    private void follow(Properties client, Admin admin, java.util.Set<String> inputs, TopicCatalog catalog,
                        StreamsRunner runner) throws Exception {
        say("Following: produce events to the input topics at " + client.getProperty("bootstrap.servers")
                + "; each is reported once the processor has read it (accepted or dead-lettered), with any alert it"
                + " raised, revised or withdrawn (Ctrl-C to stop)...");
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try (Follower follower = new Follower(client, admin, APP_ID, inputs, catalog.name(TopicCatalog.ALERTS),
                catalog.name(TopicCatalog.DEAD_LETTER), this::say)) {
            while (stop.getCount() > 0 && runner.failure() == null && !Thread.currentThread().isInterrupted()) {
                follower.poll(Duration.ofMillis(500));
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running
            }
        }
    }

    /** A reader of committed records that commits nothing: the demo's, and --follow's. */
    static Properties consumerProps(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private static String elapsed(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
