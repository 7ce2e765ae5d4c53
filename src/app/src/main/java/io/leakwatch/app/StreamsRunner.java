package io.leakwatch.app;

import io.leakwatch.config.Redactor;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topology.DeadLetterHandlers;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.TopologySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of the stream processor against a real cluster: start-up checks, start, wait, clean
 * shutdown. The topology itself comes from {@link LeakwatchTopology#build}; this class only runs it.
 */
public final class StreamsRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

    private final Properties kafka;
    private final TopologySettings settings;
    private final Redactor redactor;
    private final Set<String> inputs;
    private MeterRegistry registry;
    private KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile KafkaStreams streams;
    private boolean closed;
    private String applicationServer;

    public StreamsRunner(Properties kafka, TopologySettings settings) {
        this(kafka, settings, Redactor.none());
    }

    /** @param redactor masks the config's secrets (a value from the environment) in what this logs */
    public StreamsRunner(Properties kafka, TopologySettings settings, Redactor redactor) {
        this.kafka = kafka;
        this.settings = settings;
        this.redactor = redactor;
        this.inputs = LeakwatchTopology.sourceTopics(LeakwatchTopology.build(settings));
    }

    /**
     * Binds the Kafka Streams client's metrics (its threads, tasks, stores and embedded clients; Micrometer's
     * {@link KafkaStreamsMetrics}, names {@code kafka_stream_*}, {@code kafka_consumer_*}, {@code kafka_producer_*})
     * to {@code registry} once the client is created. Call before {@link #start()}.
     */
    public StreamsRunner withMetrics(MeterRegistry registry) {
        this.registry = registry;
        return this;
    }

    /**
     * Advertises this instance's HTTP endpoint ({@code host:port}) to the other instances as Kafka Streams'
     * {@code application.server}, so that interactive queries can find the instance that owns a key. Call before
     * {@link #start()}.
     */
    public StreamsRunner advertise(String hostAndPort) {
        this.applicationServer = hostAndPort;
        return this;
    }

    /** The settings the topology is built with. */
    public TopologySettings settings() {
        return settings;
    }

    /** The client settings the streams run with (a copy): other clients of the run connect as they do. */
    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    /** The input topics the topology reads. */
    public Set<String> inputs() {
        return inputs;
    }

    /**
     * Checks the input topics (present, co-partitioned) and the catalog's topic settings (nothing the processor needs
     * is deleted by compaction or retention), and in the Avro wire format the ids of the schemas it writes (registered
     * or looked up in a schema registry: an unreachable registry, refused credentials or an incompatible schema stop
     * it here, in one line), then starts processing. Returns once the threads are started, or at
     * once when {@link #close()} came first (a SIGTERM during the checks).
     */
    public void start() {
        int partitions;
        try (Admin admin = Admin.create(kafka)) {
            TopicAdmin topics = new TopicAdmin(admin, Duration.ofSeconds(15));
            partitions = topics.requireCoPartitioned(inputs);
            // records may arrive as late as the lateness grace and still be processed: the inputs must keep them
            topics.requireSafeSettings(settings.topics(), settings.horizon());
        }
        if (settings.wireFormat() == WireFormat.AVRO) {
            LeakwatchTopology.eventOutputs(settings).forEach((topic, schema) -> {
                int id = settings.schemas().idOf(topic, schema);
                LOG.info("{} on {}: schema id {} ({})", schema.getName(), topic, id, settings.schemas());
            });
        }
        Topology topology = LeakwatchTopology.build(settings.withInputPartitions(partitions));
        Properties props = new Properties();
        props.putAll(kafka);
        DeadLetterHandlers.install(props, settings.topics().name(io.leakwatch.topics.TopicCatalog.DEAD_LETTER));
        if (applicationServer != null) {
            props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            streams = new KafkaStreams(topology, props);
            if (registry != null) {
                streamsMetrics = new KafkaStreamsMetrics(streams);
                streamsMetrics.bindTo(registry);
            }
            startStreams(inputs);
        }
    }

    private void startStreams(Set<String> inputs) {
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; shutting down", e);
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("stream processor {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        LOG.info("starting: {}", redactor.redact("application.id=" + kafka.getProperty("application.id") + " inputs="
                + inputs + " processing.guarantee=" + kafka.getProperty("processing.guarantee")));
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Blocks until the processor stops (shutdown or failure). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public Throwable failure() {
        return failure.get();
    }

    /** Stops processing and waits (up to 30 s) for a clean shutdown; safe to call from any thread, more than once. */
    @Override
    public synchronized void close() {
        closed = true;
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        stopped.countDown();
    }

}
