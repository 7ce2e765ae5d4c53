package io.leakwatch.slack.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.AlertStatus;
import io.leakwatch.slack.Delivery;
import io.leakwatch.slack.MessageRef;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaDeliveredStoreTest {
    private static final String TOPIC = "slack-delivered";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    /** A consumer whose metadata does not show the topic for the first {@code misses} lookups. */
    private static final class LaggingMetadataConsumer extends MockConsumer<byte[], byte[]> {
        final AtomicInteger lookups = new AtomicInteger();
        final int misses;

        LaggingMetadataConsumer(int misses) {
            super(AutoOffsetResetStrategy.EARLIEST.name());
            this.misses = misses;
            updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
            updateBeginningOffsets(Map.of(P0, 0L));
        }

        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            return lookups.incrementAndGet() <= misses ? List.of() : super.partitionsFor(topic, timeout);
        }
    }

    private static KafkaDeliveredStore store(MockConsumer<byte[], byte[]> reader) {
        return store(reader, new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    private static KafkaDeliveredStore store(MockConsumer<byte[], byte[]> reader, MockProducer<byte[], byte[]> writer) {
        return new KafkaDeliveredStore(TOPIC, reader, writer, false, InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String id, String value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, id.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldWaitForAJustCreatedTopicToAppearInMetadata() {
        // Given the topic was just created and the first lookups do not see it yet
        LaggingMetadataConsumer reader = new LaggingMetadataConsumer(3);
        reader.updateEndOffsets(Map.of(P0, 2L));
        reader.schedulePollTask(() -> {
            reader.addRecord(record(0, "alert-1", "{}"));
            reader.addRecord(record(1, "alert-2", "{}"));
        });
        KafkaDeliveredStore store = store(reader);

        // When
        store.catchUp();

        // Then it asked again rather than failing, and read the topic to its end
        assertThat(reader.lookups.get()).isEqualTo(4);
        assertThat(store.get("alert-1")).isPresent();
        assertThat(store.get("alert-2")).isPresent();
    }

    @Test
    void shouldForgetAnIdWhoseRecordIsATombstone() {
        LaggingMetadataConsumer reader = new LaggingMetadataConsumer(0);
        reader.updateEndOffsets(Map.of(P0, 3L));
        reader.schedulePollTask(() -> {
            reader.addRecord(record(0, "alert-1", "{}"));
            reader.addRecord(record(1, "alert-2", "{}"));
            reader.addRecord(record(2, "alert-1", null));
        });
        KafkaDeliveredStore store = store(reader);

        store.catchUp();

        assertThat(store.get("alert-1")).isEmpty();
        assertThat(store.get("alert-2")).isPresent();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void shouldReadANoteWrittenBeforeRevisionsAsDeliveredRevisionOneWithNoMessageToEdit() {
        // Given the two values the previous bridge wrote: its JSON note, and a plain note
        LaggingMetadataConsumer reader = new LaggingMetadataConsumer(0);
        reader.updateEndOffsets(Map.of(P0, 2L));
        reader.schedulePollTask(() -> {
            reader.addRecord(record(0, "alert-1", "{\"destination\":\"channel:#ops\",\"delivered_at\":\"2025-06-01T10:00:00Z\"}"));
            reader.addRecord(record(1, "alert-2", "delivered"));
        });
        KafkaDeliveredStore store = store(reader);

        // When
        store.catchUp();

        // Then
        assertThat(store.get("alert-1")).contains(new Delivery("alert-1", "channel:#ops", 1, AlertStatus.OPEN,
                Optional.empty(), null, null));
        assertThat(store.get("alert-2")).hasValueSatisfying(d -> {
            assertThat(d.revision()).isEqualTo(1);
            assertThat(d.status()).isEqualTo(AlertStatus.OPEN);
            assertThat(d.message()).isEmpty();
        });
    }

    @Test
    void shouldReadBackTheRevisionStatusAndMessageItRecordedAfterARestart() {
        // Given a store that recorded a withdrawal of a message posted with the bot token
        MockProducer<byte[], byte[]> writer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Delivery withdrawn = new Delivery("alert-1", "channel:#ops", 2, AlertStatus.WITHDRAWN,
                Optional.of(new MessageRef("C0OPS", "1767607200.000100")), new BigDecimal("2500.0000"), "USD");
        store(new LaggingMetadataConsumer(0), writer).record(List.of(withdrawn));

        // When a new store (a restarted bridge) reads what was written
        LaggingMetadataConsumer reader = new LaggingMetadataConsumer(0);
        reader.updateEndOffsets(Map.of(P0, 1L));
        byte[] written = writer.history().get(0).value();
        reader.schedulePollTask(() -> reader.addRecord(new ConsumerRecord<>(TOPIC, 0, 0,
                "alert-1".getBytes(StandardCharsets.UTF_8), written)));
        KafkaDeliveredStore restarted = store(reader);
        restarted.catchUp();

        // Then
        assertThat(new String(writer.history().get(0).key(), StandardCharsets.UTF_8)).isEqualTo("alert-1");
        assertThat(restarted.get("alert-1")).contains(withdrawn);
    }

    @Test
    void shouldKeepTheHigherRevisionWhenTheTopicHoldsAnOlderRecordAfterANewerOne() {
        // Given two instances wrote during a rebalance, the older revision last
        LaggingMetadataConsumer reader = new LaggingMetadataConsumer(0);
        reader.updateEndOffsets(Map.of(P0, 2L));
        reader.schedulePollTask(() -> {
            reader.addRecord(record(0, "alert-1", "{\"destination\":\"channel:#ops\",\"revision\":3,\"status\":\"WITHDRAWN\"}"));
            reader.addRecord(record(1, "alert-1", "{\"destination\":\"channel:#ops\",\"revision\":2,\"status\":\"OPEN\"}"));
        });
        KafkaDeliveredStore store = store(reader);

        store.catchUp();

        assertThat(store.get("alert-1")).hasValueSatisfying(d -> assertThat(d.revision()).isEqualTo(3));
    }
}
