package io.leakwatch.slack.bridge;

import io.leakwatch.events.Alert;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.SchemaResolverUnavailableException;
import io.leakwatch.slack.BridgeStats;
import io.leakwatch.slack.DeliveredStore;
import io.leakwatch.slack.Destination;
import io.leakwatch.slack.Relay;
import io.leakwatch.slack.SlackBridgeConfig;
import io.leakwatch.slack.SlackSender;
import io.leakwatch.slack.SourceRef;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack bridge: its own consumer group on {@code alerts}, separate from the stream processor.
 *
 * <p>Input: {@code alerts} (keyed by account, values in the configured wire format) and {@code slack-delivered}
 * (read on start and on every assignment). Output: Slack messages, new and edited; {@code slack-delivered}
 * (alert_id → {@link io.leakwatch.slack.Delivery}: revision applied, status, message ts);
 * {@code slack-dead-letter} (the original alert record, headers {@code leakwatch.dlq.*} naming the reason,
 * source topic, partition, offset, route).
 *
 * <p>Delivery is at-least-once and deduplicated by alert_id and revision: for every record, Slack accepted the
 * post or the change → the revision written to {@code slack-delivered} (acks=all, waited for) → offset
 * committed (manual commits, never past a record still waiting). A crash between the first and last step
 * re-reads the record, finds its revision applied and skips it; records are skipped the same way when a
 * replay or a second producer emits a revision again. What happens to each record is the {@link Relay}'s
 * (Kafka-free) business; this class owns the Kafka clients, the offsets and the dead-letter topic.
 *
 * <p>One thread owns the consumer; the outbox never sleeps, so a channel waiting on a Retry-After or a
 * backoff does not stop other channels, and {@code poll} is called at least every half second. When too many
 * alerts wait, the partitions are paused until the outbox drains.
 */
public final class SlackBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlackBridge.class);
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);
    static final String DLQ_PREFIX = "leakwatch.dlq.";

    private final SlackBridgeConfig config;
    private final boolean dryRun;
    private final InstantSource clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaConsumer<byte[], byte[]> storeReader;
    private final KafkaProducer<byte[], byte[]> producer;
    private final DeliveredStore store;
    private final Relay relay;
    private final EventCodec<Alert> codec;
    private final OffsetTracker offsets = new OffsetTracker();
    private final BridgeStats stats;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean running;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean paused;
    private volatile Instant lastPoll;
    private volatile boolean joined;
    private volatile int assigned;
    private final List<AutoCloseable> binders = new ArrayList<>();

    public SlackBridge(SlackBridgeConfig config, SlackSender sender, boolean dryRun, InstantSource clock) {
        this.config = config;
        this.dryRun = dryRun;
        this.clock = clock;
        this.stats = new BridgeStats(dryRun);
        this.codec = config.wireFormat().codec(EventType.ALERT, config.alertsTopic(), config.schemas());
        this.consumer = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.storeReader = new KafkaConsumer<>(storeReaderProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
        this.store = new KafkaDeliveredStore(config.deliveredTopic(), storeReader, producer, dryRun, clock);
        this.relay = new Relay(config, sender, store, new Settlement(), stats, dryRun, clock);
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.putAll(config.kafka());
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // alerts come from an exactly_once_v2 topology: never post an alert from an aborted transaction
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return clientOnly(p, ConsumerConfig.configNames());
    }

    private Properties storeReaderProps() {
        Properties p = new Properties();
        p.putAll(config.kafka());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId() + "-delivered-reader");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // looking the topic up must never create it (a broker with auto.create.topics.enable would, with its defaults:
        // not compacted); the bridge creates it with the right settings, or says it is missing
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return clientOnly(p, ConsumerConfig.configNames());
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.putAll(config.kafka());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.groupId() + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return clientOnly(p, ProducerConfig.configNames());
    }

    /** Keeps only the keys the client knows, so one file can hold consumer and producer settings quietly. */
    private static Properties clientOnly(Properties p, Set<String> known) {
        Properties out = new Properties();
        p.stringPropertyNames().stream()
                .filter(k -> known.contains(k) || k.startsWith("ssl.") || k.startsWith("sasl.") || k.startsWith("security."))
                .forEach(k -> out.setProperty(k, p.getProperty(k)));
        return out;
    }

    public BridgeStats stats() {
        return stats;
    }

    /**
     * Binds the bridge's meters ({@link BridgeMeters}) and its Kafka clients' metrics (Micrometer's
     * {@link KafkaClientMetrics}: {@code kafka_consumer_*}, {@code kafka_producer_*}) to {@code registry}.
     */
    public void bindMetrics(MeterRegistry registry) {
        new BridgeMeters(this).bindTo(registry);
        for (KafkaClientMetrics metrics : List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(producer))) {
            metrics.bindTo(registry);
            binders.add(metrics);
        }
    }

    /** Alerts waiting for Slack now. */
    public int pending() {
        return relay.pending();
    }

    /**
     * What a health probe needs, as of now.
     *
     * @param running  the consumer subscribed and the delivered ids loaded, and the loop not stopped
     * @param joined   the consumer received an assignment from its group (possibly empty) since it subscribed
     * @param assigned the partitions of the alerts topic assigned to it now
     * @param lastPoll when the loop last polled (null: never)
     * @param stopped  the loop has ended (stopped, or failed)
     */
    public record Status(boolean running, boolean joined, int assigned, Instant lastPoll, boolean stopped) {
        /**
         * Why the bridge is not doing its work (empty: it is): not running yet, not in its group yet, or no poll for
         * longer than {@code maxPollGap}.
         */
        public List<String> notReady(Instant now, Duration maxPollGap) {
            List<String> reasons = new ArrayList<>();
            if (stopped) {
                reasons.add("the bridge has stopped");
            } else if (!running) {
                reasons.add("the bridge is starting: loading the delivered alerts, subscribing");
            } else if (!joined) {
                reasons.add("the consumer has not joined its group yet");
            }
            if (running && lastPoll != null && Duration.between(lastPoll, now).compareTo(maxPollGap) > 0) {
                reasons.add("no poll for " + Duration.between(lastPoll, now).toSeconds() + "s (the limit is "
                        + maxPollGap.toSeconds() + "s)");
            }
            return reasons;
        }
    }

    public Status status() {
        return new Status(running, joined, assigned, lastPoll, stopped.getCount() == 0);
    }

    /** True once the consumer has subscribed and the delivered ids are loaded. */
    public boolean isRunning() {
        return running;
    }

    /**
     * Runs until {@link #close()} (or SIGTERM through the CLI), or until the thread running it is interrupted, which
     * stops it the same way: the final commit, then the clients closed. The interrupt is still set on return.
     */
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a bridge runs once");
        }
        boolean interrupted = false;
        try {
            if (config.createTopics() && !dryRun) {
                ensureTopics();
            }
            store.catchUp();
            consumer.subscribe(List.of(config.alertsTopic()), new Rebalance());
            running = true;
            log.info("Slack bridge started: group {}, reading {}", config.redactor().redact(config.groupId()),
                    config.redactor().redact(config.alertsTopic()));
            while (!stopping) {
                lastPoll = clock.instant();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout())) {
                    handle(record);
                }
                relay.dispatch();
                commit();
                backpressure();
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } catch (InterruptException e) {
            // cleared while the bridge commits and closes its clients, which an interrupt would cut short
            Thread.interrupted();
            interrupted = true;
            stopping = true;
        } finally {
            running = false;
            try {
                commit();
            } catch (KafkaException e) {
                log.warn("Final commit failed; uncommitted records will be read again and skipped as applied: {}", e.toString());
            }
            closeClients();
            log.info("Slack bridge stopped: {}", stats);
            stopped.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Duration pollTimeout() {
        Optional<Instant> next = relay.nextWakeup();
        if (next.isEmpty()) {
            return MAX_POLL_WAIT;
        }
        Duration until = Duration.between(clock.instant(), next.get());
        if (until.isNegative()) {
            return Duration.ZERO;
        }
        return until.compareTo(MAX_POLL_WAIT) > 0 ? MAX_POLL_WAIT : until;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        offsets.received(tp, record.offset());
        SourceRef source = new SourceRef(record.topic(), record.partition(), record.offset(), record.key(), record.value());
        if (record.value() == null) {
            offsets.settled(tp, record.offset());
            return;
        }
        Alert alert;
        try {
            alert = codec.decode(record.value());
        } catch (SchemaResolverUnavailableException e) {
            // the registry is down or refuses us: no alert is at fault, so none is dead-lettered; the bridge stops
            throw e;
        } catch (EventDecodingException | RuntimeException e) {
            deadLetter(source, "undecodable alert: " + e.getMessage(), null, null);
            offsets.settled(tp, record.offset());
            return;
        }
        relay.accept(alert, source);
    }

    private final class Settlement implements Relay.Settlement {
        @Override
        public void settled(SourceRef source) {
            offsets.settled(new TopicPartition(source.topic(), source.partition()), source.offset());
        }

        @Override
        public void deadLetter(SourceRef source, String reason, Destination destination, String route) {
            SlackBridge.this.deadLetter(source, reason, destination, route);
        }
    }

    private void deadLetter(SourceRef source, String reason, Destination destination, String route) {
        String safeReason = config.redactor().redact(reason);
        stats.addDeadLettered();
        if (dryRun) {
            log.warn("--dry-run: would dead-letter {}: {}", source, safeReason);
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        header(headers, "reason", safeReason);
        header(headers, "component", "slack-bridge");
        header(headers, "source.topic", source.topic());
        header(headers, "source.partition", Integer.toString(source.partition()));
        header(headers, "source.offset", Long.toString(source.offset()));
        if (destination != null) {
            header(headers, "destination", destination.key());
        }
        if (route != null) {
            header(headers, "route", route);
        }
        try {
            producer.send(new ProducerRecord<>(config.deadLetterTopic(), null, source.key(), source.value(), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not write to " + config.deadLetterTopic(), e);
        }
        log.debug("Dead-lettered {}: {}", source, safeReason);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(DLQ_PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
    }

    private void commit() {
        if (dryRun) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> due = offsets.committable();
        due.keySet().retainAll(consumer.assignment());
        if (!due.isEmpty()) {
            consumer.commitSync(due);
            offsets.committed(due);
        }
    }

    private void backpressure() {
        if (!paused && relay.pending() >= config.maxPending()) {
            consumer.pause(consumer.assignment());
            paused = true;
            log.info("{} alerts waiting for Slack: pausing consumption", relay.pending());
        } else if (paused && relay.pending() < Math.max(1, config.maxPending() / 2)) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit();
            } catch (KafkaException e) {
                log.warn("Commit on revocation failed: {}", e.toString());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            assigned = consumer.assignment().size();
            // another instance may have delivered or changed alerts of these partitions since we last looked
            store.catchUp();
            if (paused) {
                consumer.pause(partitions);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            assigned = Math.max(0, consumer.assignment().size() - partitions.size());
            Set<TopicPartition> revoked = new HashSet<>(partitions);
            relay.forget(s -> revoked.contains(new TopicPartition(s.topic(), s.partition())));
            offsets.forget(revoked);
        }
    }

    private void ensureTopics() {
        Properties p = new Properties();
        p.putAll(config.kafka());
        try (Admin admin = Admin.create(clientOnly(p, org.apache.kafka.clients.admin.AdminClientConfig.configNames()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(config.deliveredTopic())) {
                missing.add(new NewTopic(config.deliveredTopic(), Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact")));
            }
            if (!existing.contains(config.deadLetterTopic())) {
                missing.add(new NewTopic(config.deadLetterTopic(), Optional.empty(), Optional.empty()));
            }
            if (!missing.isEmpty()) {
                for (var entry : admin.createTopics(missing).values().entrySet()) {
                    try {
                        entry.getValue().get(30, TimeUnit.SECONDS);
                        log.info("Created topic {}", config.redactor().redact(entry.getKey()));
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not create " + config.deliveredTopic() + " / " + config.deadLetterTopic()
                    + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /** Asks the loop to stop (safe from any thread, e.g. a SIGTERM hook) and waits up to {@code timeout}. */
    public boolean stop(Duration timeout) {
        stopping = true;
        if (started.compareAndSet(false, true)) {
            closeClients();
            stopped.countDown();
            return true;
        }
        consumer.wakeup();
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private void closeClients() {
        List<AutoCloseable> closing = new ArrayList<>(binders);
        closing.addAll(List.of(consumer, storeReader, producer));
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing a Kafka client: {}", e.toString());
            }
        }
    }
}
