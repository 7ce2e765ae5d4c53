package io.leakwatch.demo;

import io.leakwatch.events.Alert;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What {@code demo --follow} prints: for every record that reaches an input topic after the demo's own world, what became
 * of it once the processor has read it (accepted, or dead-lettered with the reason and what was wrong), and every change
 * on the alerts topic (raised, revised, withdrawn). A record counts as read when the processor's committed offset has
 * passed it; under exactly-once its dead letter is committed in the same transaction, so one more read of the
 * dead-letter topic settles which it was.
 */
final class Follower implements AutoCloseable {
    /** A record typed into an input topic, not yet read by the processor. */
    private record Typed(TopicPartition partition, long offset, String key) {
    }

    private final Admin admin;
    private final String groupId;
    private final Collection<String> inputs;
    private final String alertsTopic;
    private final String deadLetterTopic;
    private final Consumer<String> say;
    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec<Alert> alerts = WireFormat.JSON.codec(EventType.ALERT, TopicCatalog.ALERTS, new BundledSchemaResolver());
    private final List<Typed> pending = new ArrayList<>();
    /** Dead letters by the input record they were made of: "topic/partition/offset" -> reason and detail. */
    private final Map<String, String> deadLetters = new HashMap<>();

    Follower(Properties client, Admin admin, String groupId, Collection<String> inputs, String alertsTopic,
             String deadLetterTopic, Consumer<String> say) {
        this.admin = admin;
        this.groupId = groupId;
        this.inputs = List.copyOf(inputs);
        this.alertsTopic = alertsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.say = say;
        consumer = new KafkaConsumer<>(Demo.consumerProps(client), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> topics = new ArrayList<>(this.inputs);
        topics.add(alertsTopic);
        topics.add(deadLetterTopic);
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);     // the end now: what was there before is the demo's own world
    }

    /** Reads what arrived within {@code timeout} and prints what it can tell. */
    void poll(Duration timeout) throws Exception {
        consumer.poll(timeout).forEach(this::handle);
        if (!pending.isEmpty()) {
            settle();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (r.topic().equals(alertsTopic)) {
            printAlert(r);
        } else if (r.topic().equals(deadLetterTopic)) {
            String detail = DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.DETAIL);
            deadLetters.put(source(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC),
                            DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_PARTITION),
                            DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_OFFSET)),
                    DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON) + (detail == null ? "" : ": " + detail));
        } else {
            pending.add(new Typed(new TopicPartition(r.topic(), r.partition()), r.offset(), r.key()));
        }
    }

    private static String source(Object topic, Object partition, Object offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private void settle() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        if (pending.stream().noneMatch(t -> read(committed, t))) {
            return;
        }
        // the dead letters of what was read are committed by now: read them before saying what was accepted
        consumer.poll(Duration.ofMillis(200)).forEach(this::handle);
        for (Iterator<Typed> it = pending.iterator(); it.hasNext(); ) {
            Typed t = it.next();
            if (!read(committed, t)) {
                continue;
            }
            it.remove();
            String what = t.partition().topic() + " record " + (t.key() == null ? "without a key" : "'" + t.key() + "'")
                    + " (partition " + t.partition().partition() + ", offset " + t.offset() + ")";
            String dead = deadLetters.remove(source(t.partition().topic(), t.partition().partition(), t.offset()));
            say.accept(dead == null ? "accepted: " + what : "dead-lettered: " + what + " - " + dead);
        }
    }

    private static boolean read(Map<TopicPartition, OffsetAndMetadata> committed, Typed t) {
        OffsetAndMetadata o = committed.get(t.partition());
        return o != null && o.offset() > t.offset();
    }

    private void printAlert(ConsumerRecord<String, byte[]> r) {
        try {
            Alert a = alerts.decode(r.value());
            say.accept(a.getRevision() == 1
                    ? String.format("alert raised: [%s] %s %s: %s", a.getSeverity(), a.getType(), a.getAccountId(),
                    a.getExplanation())
                    : String.format("alert %s (revision %d): %s %s: %s", a.getStatus().toString().toLowerCase(java.util.Locale.ROOT),
                    a.getRevision(), a.getType(), a.getAccountId(), a.getStatusReason()));
        } catch (EventDecodingException e) {
            say.accept("undecodable alert: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
