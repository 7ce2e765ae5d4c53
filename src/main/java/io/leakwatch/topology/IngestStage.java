package io.leakwatch.topology;

import io.leakwatch.ingest.BusinessTimeExtractor;
import io.leakwatch.ingest.EventValidator;
import io.leakwatch.ingest.IngestProcessor;
import io.leakwatch.ingest.Ingested;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Wires the ingest step of each input topic: bytes -> {@link IngestProcessor} -> accepted events, and the
 * rejected records of every topic merged into one dead-letter sink with their original bytes.
 */
final class IngestStage {
    private final StreamsBuilder builder;
    private final TopologySettings settings;
    private final List<KStream<String, byte[]>> rejected = new ArrayList<>();

    IngestStage(StreamsBuilder builder, TopologySettings settings) {
        this.builder = builder;
        this.settings = settings;
    }

    <T extends SpecificRecord> KStream<String, T> accepted(String role, EventType<T> type, EventValidator<T> validator) {
        String topic = settings.topics().name(role);
        EventCodec<T> codec = settings.wireFormat().codec(type, settings.schemas());
        KStream<String, Ingested<T>> ingested = builder
                .stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName(role + "-source")
                        .withTimestampExtractor(new BusinessTimeExtractor(settings.earliestPlausible(), settings.maxAhead())))
                .processValues(() -> new IngestProcessor<>(type, codec, validator, settings.horizon()),
                        Named.as(role + "-ingest"));
        Map<String, KStream<String, Ingested<T>>> branches = ingested.split(Named.as(role + "-"))
                .branch((key, value) -> value.isAccepted(), Branched.as("accepted"))
                .defaultBranch(Branched.as("rejected"));
        rejected.add(branches.get(role + "-rejected")
                .mapValues(Ingested::rawValue, Named.as(role + "-rejected-bytes")));
        return branches.get(role + "-accepted").mapValues(Ingested::value, Named.as(role + "-accepted-events"));
    }

    /**
     * Records a detector refuses after ingest (e.g. usage for a period already judged): values are the
     * re-encoded event, headers must carry the dead-letter reason and detail.
     */
    void deadLetter(KStream<String, byte[]> refused) {
        rejected.add(refused);
    }

    void sendRejectedToDeadLetter(String deadLetterTopic) {
        KStream<String, byte[]> all = rejected.get(0);
        for (int i = 1; i < rejected.size(); i++) {
            all = all.merge(rejected.get(i), Named.as("dead-letter-merge-" + i));
        }
        all.to(deadLetterTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dead-letter-sink"));
    }
}
