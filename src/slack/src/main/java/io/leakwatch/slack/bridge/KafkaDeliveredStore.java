package io.leakwatch.slack.bridge;

import io.leakwatch.slack.DeliveredStore;
import io.leakwatch.slack.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What Slack shows for each alert, in a compacted topic ({@code slack-delivered}), keyed by alert_id, value a
 * {@link Delivery} as JSON (revision applied, status, the message to edit). A tombstone forgets an id, so an
 * operator can have an alert posted again. When the topic holds two records of an id (before compaction, or
 * from two instances during a rebalance), the higher revision wins.
 *
 * <p>Why a topic and not a local file: the bridge then keeps no state on its host (a container can be moved or
 * replaced), and when a partition of {@code alerts} moves to another bridge instance, that instance reads the
 * same topic ({@link #catchUp()} runs on every assignment) and knows what was already posted. Compaction keeps
 * one record per alert id.
 */
public final class KafkaDeliveredStore implements DeliveredStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaDeliveredStore.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration METADATA_WAIT = Duration.ofSeconds(15);
    private static final Duration METADATA_RETRY = Duration.ofMillis(100);
    private final String topic;
    private final Consumer<byte[], byte[]> reader;
    private final Producer<byte[], byte[]> writer;
    private final boolean readOnly;
    private final InstantSource clock;
    private final Map<String, Delivery> delivered = new HashMap<>();
    private boolean missingTold;

    /**
     * @param reader   a consumer with no group: it is assigned every partition of the topic and reads it to the end
     * @param readOnly --dry-run: remember new records in memory only, and take a missing topic for one that holds
     *                 nothing (a dry run neither creates it nor waits for it)
     */
    public KafkaDeliveredStore(String topic, Consumer<byte[], byte[]> reader, Producer<byte[], byte[]> writer,
                               boolean readOnly, InstantSource clock) {
        this.topic = topic;
        this.reader = reader;
        this.writer = writer;
        this.readOnly = readOnly;
        this.clock = clock;
    }

    @Override
    public void catchUp() {
        List<TopicPartition> partitions;
        if (readOnly) {
            List<PartitionInfo> infos = reader.partitionsFor(topic, READ_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                if (!missingTold) {
                    LOG.info("Dry run: {} does not exist yet, so nothing has been delivered; it is not created", topic);
                    missingTold = true;
                }
                return;
            }
            partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        } else {
            partitions = partitions();
        }
        if (!reader.assignment().containsAll(partitions)) {
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = reader.endOffsets(partitions, READ_TIMEOUT);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(tp -> reader.position(tp, READ_TIMEOUT) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("could not read " + topic + " to its end within " + READ_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                if (record.key() == null) {
                    continue;
                }
                String id = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    delivered.remove(id);
                } else {
                    remember(Delivery.parse(id, new String(record.value(), StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /**
     * The topic's partitions. A topic the bridge has just created can be missing from the brokers' metadata for
     * a moment after the controller acknowledged it, so an empty answer is asked again for up to 15 s.
     */
    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            List<PartitionInfo> infos = reader.partitionsFor(topic, READ_TIMEOUT);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("topic " + topic + " does not exist");
            }
            try {
                Thread.sleep(METADATA_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while looking up " + topic, e);
            }
        }
    }

    @Override
    public Optional<Delivery> get(String alertId) {
        return Optional.ofNullable(delivered.get(alertId));
    }

    @Override
    public void record(Collection<Delivery> deliveries) {
        if (!readOnly) {
            Instant at = clock.instant();
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (Delivery d : deliveries) {
                sends.add(writer.send(new ProducerRecord<>(topic, d.alertId().getBytes(StandardCharsets.UTF_8),
                        d.toJson(at).getBytes(StandardCharsets.UTF_8))));
            }
            writer.flush();
            for (Future<RecordMetadata> send : sends) {
                try {
                    send.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted while recording delivered alerts", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new KafkaException("could not record delivered alerts in " + topic, e);
                }
            }
        }
        deliveries.forEach(this::remember);
    }

    private void remember(Delivery d) {
        delivered.merge(d.alertId(), d, (held, next) -> next.revision() >= held.revision() ? next : held);
    }

    /** How many alert ids are known (for logs and tests). */
    public int size() {
        return delivered.size();
    }

}
