package io.leakwatch.topology;

import io.leakwatch.ingest.Arrival;
import io.leakwatch.ingest.ArrivalDeserializer;
import io.leakwatch.ingest.BusinessTimeExtractor;
import io.leakwatch.ingest.DeadLetterFit;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.ingest.EventValidator;
import io.leakwatch.ingest.IngestProcessor;
import io.leakwatch.ingest.Ingested;
import io.leakwatch.metrics.TopologyMeters;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import io.leakwatch.stream.EventBytes;

/**
 * Wires the ingest step of each input topic: bytes decoded once at the source ({@link ArrivalDeserializer}, never
 * throwing), event time = business time ({@link BusinessTimeExtractor}), {@link IngestProcessor} -> accepted events,
 * and the rejected records of every topic merged into one dead-letter sink with their original bytes.
 */
final class IngestStage {
    private final StreamsBuilder builder;
    private final TopologySettings settings;
    private final List<KStream<String, byte[]>> rejected = new ArrayList<>();
    private final List<KStream<String, SpecificRecord>> misrouted = new ArrayList<>();
    private final int partitions;

    IngestStage(StreamsBuilder builder, TopologySettings settings) {
        this.builder = builder;
        this.settings = settings;
        this.partitions = settings.topics().role(io.leakwatch.topics.TopicCatalog.INVOICES).partitions();
    }

    <T extends SpecificRecord> KStream<String, T> accepted(String role, EventType<T> type, EventValidator<T> validator) {
        String topic = settings.topics().name(role);
        EventCodec<T> codec = settings.wireFormat().codec(type, topic, settings.schemas());
        BusinessTimeExtractor times = new BusinessTimeExtractor(settings.earliestPlausible(), settings.maxAhead());
        KStream<String, Ingested<T>> ingested = builder
                .stream(topic, Consumed.with(Serdes.String(), Serdes.serdeFrom(new NoSerializer<Arrival<T>>(),
                                new ArrivalDeserializer<>(type, codec)))
                        .withName(role + "-source")
                        .withTimestampExtractor(times))
                .processValues(() -> new Counted<>(topic, settings.meters(),
                                new IngestProcessor<>(type, validator, times, settings.horizon(), partitions)),
                        Named.as(role + "-ingest"));
        Map<String, KStream<String, Ingested<T>>> branches = ingested.split(Named.as(role + "-"))
                .branch((key, value) -> value.isAccepted() && !value.misrouted(), Branched.as("accepted"))
                .branch((key, value) -> value.isAccepted(), Branched.as("misrouted"))
                .defaultBranch(Branched.as("rejected"));
        rejected.add(branches.get(role + "-rejected")
                .mapValues(Ingested::rawValue, Named.as(role + "-rejected-bytes")));
        misrouted.add(branches.get(role + "-misrouted").mapValues(v -> (SpecificRecord) v.value(),
                Named.as(role + "-misrouted-events")));
        return branches.get(role + "-accepted").mapValues(Ingested::value, Named.as(role + "-accepted-events"));
    }

    /**
     * Every input's valid events that arrived on another partition than their account's, through the
     * {@code misrouted-events} repartition topic to the partition the Java client's partitioner gives their key: the
     * stream of them as they arrive there, to merge with the accepted events.
     */
    KStream<String, SpecificRecord> misroutedEventsRerouted() {
        KStream<String, SpecificRecord> all = misrouted.get(0);
        for (int i = 1; i < misrouted.size(); i++) {
            all = all.merge(misrouted.get(i), Named.as("misrouted-merge-" + i));
        }
        return all.repartition(Repartitioned.<String, SpecificRecord>as("misrouted-events")
                .withNumberOfPartitions(partitions).withKeySerde(Serdes.String())
                .withValueSerde(new EventBytes()));
    }

    /**
     * Records a detector refuses after ingest (e.g. usage for a period already judged): values are the
     * re-encoded event, headers must carry the dead-letter reason and detail.
     */
    void deadLetter(KStream<String, byte[]> refused) {
        rejected.add(refused);
    }

    /** Every rejected record, cut to fit ({@link DeadLetterFit}), to the dead-letter topic. */
    void sendRejectedToDeadLetter(String deadLetterTopic) {
        KStream<String, byte[]> all = rejected.get(0);
        for (int i = 1; i < rejected.size(); i++) {
            all = all.merge(rejected.get(i), Named.as("dead-letter-merge-" + i));
        }
        all.process(FitDeadLetter::new, Named.as("dead-letter-fit"))
                .to(deadLetterTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dead-letter-sink"));
    }

    /** The ingest step of one input topic, each record it reads counted in {@link TopologyMeters#recordIn}. */
    private static final class Counted<T extends SpecificRecord>
            implements FixedKeyProcessor<String, Arrival<T>, Ingested<T>> {
        private final String topic;
        private final TopologyMeters meters;
        private final IngestProcessor<T> ingest;

        Counted(String topic, TopologyMeters meters, IngestProcessor<T> ingest) {
            this.topic = topic;
            this.meters = meters;
            this.ingest = ingest;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Ingested<T>> context) {
            ingest.init(context);
        }

        @Override
        public void process(FixedKeyRecord<String, Arrival<T>> record) {
            meters.recordIn(topic);
            ingest.process(record);
        }

        @Override
        public void close() {
            ingest.close();
        }
    }

    /** Cuts each dead letter to fit, and counts it by reason in {@link TopologyMeters#deadLetter}. */
    private final class FitDeadLetter implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            Headers headers = record.headers();
            DeadLetterFit.headers(headers);
            String key = DeadLetterFit.key(record.key(), headers);
            byte[] value = DeadLetterFit.value(record.value(), headers);
            context.forward(record.withKey(key).withValue(value).withHeaders(headers));
            String reason = DeadLetterHeaders.get(headers, DeadLetterHeaders.REASON);
            settings.meters().deadLetter(reason == null ? "unknown" : reason);
        }
    }

    /** Source values are only ever read. */
    private static final class NoSerializer<V> implements org.apache.kafka.common.serialization.Serializer<V> {
        @Override
        public byte[] serialize(String topic, V data) {
            throw new UnsupportedOperationException("input values are never written");
        }
    }
}
