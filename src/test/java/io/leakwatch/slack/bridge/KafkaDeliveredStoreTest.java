package io.leakwatch.slack.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
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
        return new KafkaDeliveredStore(TOPIC, reader, new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()), false, InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
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
        assertThat(store.contains("alert-1")).isTrue();
        assertThat(store.contains("alert-2")).isTrue();
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

        assertThat(store.contains("alert-1")).isFalse();
        assertThat(store.contains("alert-2")).isTrue();
        assertThat(store.size()).isEqualTo(1);
    }
}
