package io.leakwatch.backtest;

import io.leakwatch.app.BrokerUnreachableException;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import io.leakwatch.serde.SchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The history held by a cluster's input topics, read for a replay with a plain consumer in assign mode: no
 * {@code group.id}, no commits, no internal topics and no state, so it cannot touch the production consumer group,
 * state or output topics, and leaves nothing behind to clean up.
 *
 * <p>Where to read, per partition: the event topics from the first offset at or after {@code from}
 * ({@code offsetsForTimes}), the standing inputs ({@link ReplaySource#standingTopics}) from their first held offset; up
 * to the first offset at or after {@code to}, or the end the partition had when the read started. The offsets are
 * found by record timestamp, which the product's producers set to the event's business time; each record is then
 * kept or skipped by its business time, as the file replay keeps its lines ({@link ReplayRange#reads}).
 *
 * <p>Each record is decoded with the deployment's wire format, as {@code run} reads it: its account and business time
 * order the replay, and an Avro record is replayed as its JSON (the replay reads JSON). A record that does not decode
 * is replayed as it is, at its record timestamp, to reach the dead letters as in production. The order is the file
 * replay's: event time, then input, then position (partition, offset), so a topic produced from files (one
 * partition per account, in file order) replays in the order of the files.
 *
 * <p>The records are not held: each partition's are spilled to a temporary file in offset order as they are read, and
 * the replay merges the partitions in replay order ({@link ReplayRecords#merge}); a partition whose timestamps go
 * back is sorted through runs on disk first ({@link SortedRuns}).
 *
 * <p>Refuses, with one line, a range the topics do not hold: a partition whose log no longer starts at offset 0
 * (retention or {@code deleteRecords} removed its oldest records) and whose first held record is later than
 * {@code from} (or, for a standing input, any partition that lost records: the terms in force might be gone); and a
 * range in which no record has its time.
 */
public final class TopicSource implements ReplaySource {
    private static final Duration STALL = Duration.ofSeconds(60);

    private final Properties kafka;
    private final WireFormat format;
    private final SchemaResolver schemas;
    private final ReplayRange range;
    private final LongFunction<Progress> progress;

    /**
     * @param kafka    client settings (bootstrap servers, security); group and commit settings are overridden
     * @param progress the progress of the read, given the number of records to read (an upper bound)
     */
    public TopicSource(Properties kafka, WireFormat format, SchemaResolver schemas, ReplayRange range,
                       LongFunction<Progress> progress) {
        this.kafka = kafka;
        this.format = format;
        this.schemas = schemas;
        this.range = range;
        this.progress = progress;
    }

    /** The range is not held by the topics; the message is one line. */
    public static final class RangeNotHeldException extends IOException {
        public RangeNotHeldException(String message) {
            super(message);
        }
    }

    /** Consumer settings that cannot join, commit for or create anything. */
    static Properties consumerProperties(Properties client) {
        Properties props = new Properties();
        // the connection and security settings only: a deployment's Streams settings mean nothing to a consumer
        client.stringPropertyNames().stream().filter(ConsumerConfig.configNames()::contains)
                .forEach(k -> props.put(k, client.get(k)));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "leakwatch-replay");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
        return props;
    }

    /** Where one partition is read: offsets {@code [start, stop)}. */
    private record Span(TopicPartition partition, long start, long stop, boolean standing) {
        long size() {
            return Math.max(0, stop - start);
        }
    }

    /** A record read and decoded, before it takes its place in the replay. */
    private record Read(int partition, long offset, String key, byte[] value, long timestamp) {
    }

    @Override
    public ReplayInput read(Map<String, EventType<?>> inputs, TopicCatalog topics) throws IOException {
        Set<String> standing = ReplaySource.standingTopics(topics);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(kafka),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Span> spans = spans(consumer, inputs.keySet(), standing);
            Map<String, TreeMap<Integer, SortedRuns.Writer>> read = readSpans(consumer, spans, inputs);
            List<ReplayRecords> parts = new ArrayList<>();
            int order = 0;
            long inRange = 0;
            for (Map.Entry<String, EventType<?>> input : inputs.entrySet()) {
                boolean standingInput = standing.contains(input.getKey());
                // positions run through the partitions in partition order, each in offset order
                int position = 0;
                for (SortedRuns.Writer spilled : read.getOrDefault(input.getKey(), new TreeMap<>()).values()) {
                    ReplayRecords partition = spilled.finish(input.getKey(), order, position);
                    position += (int) spilled.count();
                    Kept kept = keep(partition, input.getKey(), order, standingInput);
                    inRange += kept.inRange();
                    parts.add(kept.records());
                }
                order++;
            }
            if (inRange == 0) {
                throw new RangeNotHeldException("no record of the input topics (" + String.join(", ", inputs.keySet())
                        + ") has a time in " + range + ": nothing to replay");
            }
            return new ReplayInput(ReplayRecords.merge(parts), InputCoverage.complete(topics), range);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable("Kafka did not answer while the input topics were read: " + e.getMessage(), e);
        }
    }

    /** A partition's records of the range, in replay order, and how many have a time in the range itself. */
    private record Kept(ReplayRecords records, long inRange) {
    }

    /**
     * The records of a partition (spilled in offset order) the range reads, in replay order: as they are when their
     * times do not go back (the usual case), sorted through runs on disk otherwise.
     */
    private Kept keep(ReplayRecords partition, String topic, int order, boolean standing) throws IOException {
        long count = 0;
        long inRange = 0;
        long previous = Long.MIN_VALUE;
        boolean inOrder = true;
        try (ReplayRecords.Cursor all = partition.open()) {
            while (all.hasNext()) {
                ReplayRecord r = all.next();
                if (range.reads(r.timestamp(), standing)) {
                    count++;
                    inOrder &= r.timestamp() >= previous;
                    previous = r.timestamp();
                    if (range.holds(r.timestamp())) {
                        inRange++;
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        ReplayRecords kept = new InRange(partition, standing, count);
        if (inOrder) {
            return new Kept(kept, inRange);
        }
        try (ReplayRecords.Cursor unsorted = kept.open()) {
            return new Kept(SortedRuns.sort(unsorted, topic, order, SortedRuns.RUN_SIZE), inRange);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The records of a partition the range reads. */
    private final class InRange implements ReplayRecords {
        private final ReplayRecords all;
        private final boolean standing;
        private final long size;

        InRange(ReplayRecords all, boolean standing, long size) {
            this.all = all;
            this.standing = standing;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Cursor open() throws IOException {
            Cursor cursor = all.open();
            return new ReadAhead() {
                @Override
                protected ReplayRecord advance() {
                    while (cursor.hasNext()) {
                        ReplayRecord r = cursor.next();
                        if (range.reads(r.timestamp(), standing)) {
                            return r;
                        }
                    }
                    return null;
                }

                @Override
                public void close() throws IOException {
                    cursor.close();
                }
            };
        }
    }

    private Map<TopicPartition, Span> spans(KafkaConsumer<String, byte[]> consumer, Set<String> inputs,
                                            Set<String> standing) throws RangeNotHeldException {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : inputs) {
            List<PartitionInfo> info = consumer.partitionsFor(topic);
            if (info == null || info.isEmpty()) {
                throw new RangeNotHeldException("input topic " + topic + " does not exist");
            }
            info.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        // assigned before the offsets are asked for: a read_committed consumer warns about every partition it is asked
        // about but not assigned
        consumer.assign(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> atFrom = offsetsAt(consumer, partitions, range.from());
        Map<TopicPartition, OffsetAndTimestamp> atTo = offsetsAt(consumer, partitions, range.to());
        Map<TopicPartition, OffsetAndTimestamp> firstHeld = offsetsAt(consumer,
                partitions.stream().filter(tp -> begin.get(tp) > 0).toList(), Instant.EPOCH);

        List<String> lost = new ArrayList<>();
        long latestFirst = Long.MIN_VALUE;
        Map<TopicPartition, Span> spans = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            boolean isStanding = standing.contains(tp.topic());
            long logStart = begin.get(tp);
            long logEnd = end.get(tp);
            OffsetAndTimestamp first = firstHeld.get(tp);
            if (logStart > 0 && range.from() != null && first != null
                    && (isStanding || first.timestamp() > range.from().toEpochMilli())) {
                lost.add(tp + " (log starts at offset " + logStart + ", first held record at "
                        + Instant.ofEpochMilli(first.timestamp()) + ")");
                latestFirst = Math.max(latestFirst, first.timestamp());
            }
            long start = logStart;
            if (!isStanding && range.from() != null) {
                OffsetAndTimestamp f = atFrom.get(tp);
                start = f == null ? logEnd : f.offset();
            }
            long stop = logEnd;
            if (range.to() != null && atTo.get(tp) != null) {
                stop = Math.min(logEnd, atTo.get(tp).offset());
            }
            spans.put(tp, new Span(tp, start, stop, isStanding));
        }
        if (!lost.isEmpty()) {
            throw new RangeNotHeldException("the input topics no longer hold " + range + ": the oldest records of "
                    + lost.size() + " partition(s) were deleted (retention or deleteRecords), e.g. " + lost.get(0)
                    + (lost.stream().anyMatch(l -> standing.stream().anyMatch(s -> l.startsWith(s + "-")))
                    ? "; a standing input (contracts, provisioning) must hold every version for a range replay"
                    : "; the earliest --from they all hold is " + Instant.ofEpochMilli(latestFirst)));
        }
        return spans;
    }

    private static Map<TopicPartition, OffsetAndTimestamp> offsetsAt(KafkaConsumer<String, byte[]> consumer,
                                                                     List<TopicPartition> partitions, Instant time) {
        if (time == null || partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
        consumer.offsetsForTimes(query).forEach((tp, o) -> {
            if (o != null) {
                found.put(tp, o);
            }
        });
        return found;
    }

    /**
     * Reads every span, spilling each partition's records to a temporary file in offset order as they come (memory
     * holds one poll): topic -> partition -> its records.
     */
    private Map<String, TreeMap<Integer, SortedRuns.Writer>> readSpans(KafkaConsumer<String, byte[]> consumer,
                                                                       Map<TopicPartition, Span> spans,
                                                                       Map<String, EventType<?>> inputs) throws IOException {
        Map<String, TreeMap<Integer, SortedRuns.Writer>> read = new HashMap<>();
        Map<String, Decoder<?>> decoders = new HashMap<>();
        inputs.forEach((topic, type) -> decoders.put(topic, new Decoder<>(type, topic, format, schemas)));
        List<TopicPartition> toRead = spans.values().stream().filter(s -> s.size() > 0).map(Span::partition).toList();
        Progress shown = progress.apply(spans.values().stream().mapToLong(Span::size).sum());
        consumer.pause(spans.values().stream().filter(s -> s.size() == 0).map(Span::partition).toList());
        toRead.forEach(tp -> consumer.seek(tp, spans.get(tp).start()));
        Set<TopicPartition> remaining = new HashSet<>(toRead);
        long count = 0;
        long lastProgress = System.nanoTime();
        while (!remaining.isEmpty()) {
            boolean any = false;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= spans.get(tp).stop()) {
                    continue;
                }
                any = true;
                TreeMap<Integer, SortedRuns.Writer> partitions = read.computeIfAbsent(r.topic(), t -> new TreeMap<>());
                SortedRuns.Writer spill = partitions.get(r.partition());
                if (spill == null) {
                    spill = new SortedRuns.Writer();
                    partitions.put(r.partition(), spill);
                }
                Read decoded = decoders.get(r.topic()).read(r);
                // the line is the place in the partition; the place in the topic is set once every partition is read
                spill.write(new ReplayRecord(r.topic(), 0, decoded.key(), decoded.value(), decoded.timestamp(),
                        (int) spill.count() + 1));
                shown.advanceTo(++count);
            }
            for (TopicPartition tp : List.copyOf(remaining)) {
                if (consumer.position(tp) >= spans.get(tp).stop()) {
                    remaining.remove(tp);
                    consumer.pause(List.of(tp));
                }
            }
            if (any) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw unreachable("no record read from " + remaining.iterator().next() + " for " + STALL.toSeconds()
                        + "s although it holds more of the range: is the cluster still there?", null);
            }
        }
        shown.finish();
        return read;
    }

    private BrokerUnreachableException unreachable(String message, Throwable cause) {
        return new BrokerUnreachableException(kafka.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG), message, cause);
    }

    /** Decodes the records of one input topic as {@code run} does, and gives them as the replay reads them. */
    private static final class Decoder<T extends SpecificRecord> {
        private final EventType<T> type;
        private final EventCodec<T> codec;
        private final JsonEventCodec<T> json;
        private final boolean reencode;

        Decoder(EventType<T> type, String topic, WireFormat format, SchemaResolver schemas) {
            this.type = type;
            this.codec = format.codec(type, topic, schemas);
            this.json = new JsonEventCodec<>(type);
            this.reencode = format != WireFormat.JSON;
        }

        Read read(ConsumerRecord<String, byte[]> r) {
            if (r.value() != null) {
                try {
                    T event = codec.decode(r.value());
                    byte[] value = reencode ? json.encode(event) : r.value();
                    return new Read(r.partition(), r.offset(), r.key(), value, type.eventTime().apply(event).toEpochMilli());
                } catch (EventDecodingException | RuntimeException e) {
                    // not an event: replayed as it is, to be dead-lettered
                }
            }
            return new Read(r.partition(), r.offset(), r.key(), r.value() == null ? new byte[0] : r.value(), r.timestamp());
        }
    }
}
