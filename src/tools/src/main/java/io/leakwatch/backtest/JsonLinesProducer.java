package io.leakwatch.backtest;

import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import io.leakwatch.serde.SchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a directory of JSON Lines files to the input topics, in the same event-time order a backtest
 * replays them: key = account_id, record timestamp = the event's business time, value in the deployment's
 * wire format (Avro with the schema ids its resolver gives each topic). Lines that do not decode are produced as they
 * are (they belong on the dead-letter topic).
 */
public final class JsonLinesProducer {
    private final Properties kafka;
    private final TopicCatalog topics;
    private final WireFormat format;
    private final SchemaResolver schemas;

    /** Avro values carry the bundled schema ids. */
    public JsonLinesProducer(Properties kafka, TopicCatalog topics, WireFormat format) {
        this(kafka, topics, format, new BundledSchemaResolver());
    }

    public JsonLinesProducer(Properties kafka, TopicCatalog topics, WireFormat format, SchemaResolver schemas) {
        this.kafka = kafka;
        this.topics = topics;
        this.format = format;
        this.schemas = schemas;
    }

    /** Produces {@code <topic>.jsonl} to each input topic of the catalog; returns the number of records, per topic. */
    public Map<String, Long> produce(Path dir, Progress progress) throws IOException {
        return produce(dir, topics, progress);
    }

    /**
     * Produces files named after the input topics of {@code files} ({@code <topic>.jsonl}) to the topics of the same
     * roles in this producer's catalog: {@code generate} names its files after the bundled catalog whatever the
     * deployment calls its topics. Returns the number of records produced, per topic.
     */
    public Map<String, Long> produce(Path dir, TopicCatalog files, Progress progress) throws IOException {
        Map<String, EventType<?>> inputs = JsonLinesInput.inputTopics(files);
        Map<String, String> destination = new HashMap<>();
        files.inputs().forEach(file -> destination.put(file.name(), topics.name(file.role())));
        List<ReplayRecord> records = JsonLinesInput.read(dir, inputs);

        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One request in flight: right after the topics are created a broker can refuse a partition's first batch
        // (not yet its leader) while accepting the next ones, which starts the producer's sequence past the first
        // batch; its retry is then out of order for good and expires after the delivery timeout.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Reencoder<?>> reencoders = new HashMap<>();
        AtomicLong refused = new AtomicLong();
        AtomicReference<String> firstRefusal = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            long n = 0;
            for (ReplayRecord r : records) {
                String topic = destination.get(r.topic());
                byte[] value = format == WireFormat.JSON ? r.value()
                        : reencoders.computeIfAbsent(topic, t -> reencoder(inputs.get(r.topic()), t)).reencode(r.value());
                producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.key(), value), (metadata, error) -> {
                    if (error != null) {
                        refused.incrementAndGet();
                        firstRefusal.compareAndSet(null, r.topic() + ".jsonl line " + r.line() + ": " + error.getMessage());
                    }
                });
                counts.merge(topic, 1L, Long::sum);
                progress.advanceTo(++n);
            }
            producer.flush();
        }
        progress.finish();
        if (refused.get() > 0) {
            throw new ProduceException(refused.get() + " record(s) were refused by Kafka; first: " + firstRefusal.get());
        }
        return counts;
    }

    /** Kafka refused some records (e.g. a broker's timestamp limits); the message is one line. */
    public static final class ProduceException extends RuntimeException {
        public ProduceException(String message) {
            super(message);
        }
    }

    private <T extends SpecificRecord> Reencoder<T> reencoder(EventType<T> type, String topic) {
        return new Reencoder<>(new JsonEventCodec<>(type), format.codec(type, topic, schemas));
    }

    /** A JSON line as the wire format of one topic holds it; a line that does not decode stays as it is. */
    private record Reencoder<T extends SpecificRecord>(JsonEventCodec<T> json, EventCodec<T> wire) {
        byte[] reencode(byte[] line) {
            try {
                return wire.encode(json.decode(line));
            } catch (EventDecodingException e) {
                return line;
            }
        }
    }
}
