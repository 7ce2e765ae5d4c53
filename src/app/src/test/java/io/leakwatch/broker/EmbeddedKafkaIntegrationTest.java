package io.leakwatch.broker;

import io.leakwatch.app.KafkaReachability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process broker itself (start, transactions, restart, close); it runs on it under {@code -P containers} too. */
@Tag("integration")
@Timeout(120)
class EmbeddedKafkaIntegrationTest {

    private static final int PARTITIONS = 4;
    private static final int RECORDS = 1000;
    private static final Instant BASE_TIME = Instant.parse("2025-03-01T00:00:00Z");

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldDeliverTransactionalRecordsWithTheirTimestampsToReadCommittedConsumer() throws Exception {
        String topic = createTopic("usage-");

        Map<String, Long> sent = new HashMap<>();
        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            // Two committed transactions, so more than one transaction marker lands per partition.
            for (int batch = 0; batch < 2; batch++) {
                producer.beginTransaction();
                for (int i = batch * RECORDS / 2; i < (batch + 1) * RECORDS / 2; i++) {
                    String key = "customer-" + i;
                    long timestamp = BASE_TIME.plusSeconds(i).toEpochMilli();
                    producer.send(new ProducerRecord<>(topic, null, timestamp, key, "usage-" + i));
                    sent.put(key, timestamp);
                }
                producer.commitTransaction();
            }
        }

        List<ConsumerRecord<String, String>> received = consumeReadCommitted(topic, RECORDS);

        assertThat(received).hasSize(RECORDS);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(r.timestamp()).as("timestamp of %s", r.key()).isEqualTo(sent.get(r.key()));
        });
        assertThat(received).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(sent.keySet());
        assertThat(received).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2, 3);
    }

    @Test
    void shouldHideAbortedTransactionsFromReadCommittedConsumer() throws Exception {
        String topic = createTopic("aborted-");

        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, "aborted-" + i, "x"));
            }
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "committed-" + i, "y"));
            }
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> received = consumeReadCommitted(topic, 10);

        assertThat(received).extracting(ConsumerRecord::key).allMatch(k -> k.startsWith("committed-")).hasSize(10);
    }

    @Test
    void shouldCreateTopicsWithFourPartitionsByDefault() throws Exception {
        String topic = "defaults-" + UUID.randomUUID();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.empty(), java.util.Optional.empty())))
                    .all().get();
            TopicDescription description = describeOnceVisible(admin, topic);
            assertThat(description.partitions()).hasSize(4);
            assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
        }
    }

    /** A new topic's metadata reaches the broker a moment after creation returns: retry for a few seconds. */
    private static TopicDescription describeOnceVisible(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void shouldBeReachableForTheCliCheck() {
        assertThatCode(() -> KafkaReachability.requireReachable(kafka.clientProperties(), Duration.ofSeconds(5)))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldDeleteItsDataDirectoryAndTolerateRepeatedClose() {
        EmbeddedKafka second = EmbeddedKafka.start();
        assertThat(second.bootstrapServers()).startsWith("127.0.0.1:").isNotEqualTo(kafka.bootstrapServers());
        assertThat(second.logDir()).exists();

        second.close();

        assertThat(Files.exists(second.logDir())).isFalse();
        assertThatCode(second::close).doesNotThrowAnyException();
    }

    @Test
    void shouldKeepCommittedRecordsAndTransactionalOffsetsAcrossARestart() throws Exception {
        // Given a broker of this test's own, holding a committed transaction that wrote records and a group's offset
        EmbeddedKafka restarted = EmbeddedKafka.start();
        try {
            String topic = "restart-" + UUID.randomUUID();
            String group = "restart-group-" + UUID.randomUUID();
            String transactionalId = "restart-tx-" + UUID.randomUUID();
            try (Admin admin = Admin.create(restarted.clientProperties())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            TopicPartition partition = new TopicPartition(topic, 0);
            try (KafkaProducer<String, String> producer = transactionalProducer(restarted, transactionalId)) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(topic, "before-" + i, "x"));
                }
                producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(7)),
                        new ConsumerGroupMetadata(group));
                producer.commitTransaction();
            }
            String bootstrap = restarted.bootstrapServers();

            // When it is restarted
            restarted.restart();

            // Then it answers on the same address, with the records, the group's offset and the transactional id's state
            assertThat(restarted.bootstrapServers()).isEqualTo(bootstrap);
            try (Admin admin = Admin.create(restarted.clientProperties())) {
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
                        .containsEntry(partition, new OffsetAndMetadata(7));
            }
            try (KafkaProducer<String, String> producer = transactionalProducer(restarted, transactionalId)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "after-0", "y"));
                producer.commitTransaction();
            }
            assertThat(consumeReadCommitted(restarted, topic, 11)).extracting(ConsumerRecord::key)
                    .containsExactly("before-0", "before-1", "before-2", "before-3", "before-4", "before-5", "before-6",
                            "before-7", "before-8", "before-9", "after-0");
        } finally {
            restarted.close();
        }

        // and closing it afterwards stops the new server too: its port is free and its directory gone
        assertThat(Files.exists(restarted.logDir())).isFalse();
        int port = Integer.parseInt(restarted.bootstrapServers().substring(restarted.bootstrapServers().indexOf(':') + 1));
        assertThatCode(() -> new ServerSocket(port, 0, InetAddress.getByName("127.0.0.1")).close())
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseToRestartOnceClosed() {
        EmbeddedKafka closed = EmbeddedKafka.start();
        closed.close();

        assertThatThrownBy(closed::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void shouldFailWithAnExceptionNotAJvmHaltWhenTheControllerPortIsTaken() throws Exception {
        // A controller startup failure is a "fatal fault" that Kafka answers with Runtime.halt(1).
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedKafka.builder().ports(0, taken.getLocalPort()).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not bind its listeners after 3 attempts");
        }
        // the JVM is still here, and so is the shared broker
        assertThatCode(() -> KafkaReachability.requireReachable(kafka.clientProperties(), Duration.ofSeconds(5)))
                .doesNotThrowAnyException();
    }

    private static String createTopic(String prefix) throws Exception {
        String topic = prefix + UUID.randomUUID();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        return topic;
    }

    private static KafkaProducer<String, String> transactionalProducer() {
        return transactionalProducer(kafka, "it-" + UUID.randomUUID());
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka broker, String transactionalId) {
        Properties props = broker.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> consumeReadCommitted(String topic, int expected) {
        return consumeReadCommitted(kafka, topic, expected);
    }

    private static List<ConsumerRecord<String, String>> consumeReadCommitted(EmbeddedKafka broker, String topic, int expected) {
        Properties props = broker.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Keep polling briefly after reaching the expected count to catch unexpected extra records.
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                if (received.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofMillis(500).toNanos();
                }
            }
            consumer.commitSync();
        }
        return received;
    }
}
