package io.leakwatch.demo;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (the stream processor) has got through a set of topics: committed offsets
 * against end offsets, summed over partitions.
 */
public final class ProcessingWatcher {
    private final Admin admin;
    private final String groupId;
    private final Collection<String> topics;

    public ProcessingWatcher(Admin admin, String groupId, Collection<String> topics) {
        this.admin = admin;
        this.groupId = groupId;
        this.topics = topics;
    }

    /** End offsets of every input partition and the group's committed offsets. */
    private record InputOffsets(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends,
                                Map<TopicPartition, OffsetAndMetadata> committed) {
    }

    private InputOffsets inputOffsets() throws Exception {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = described.values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return new InputOffsets(ends, committed);
    }

    /** {processed, total} records of the input topics. */
    long[] position() throws Exception {
        InputOffsets offsets = inputOffsets();
        Map<TopicPartition, OffsetAndMetadata> committed = offsets.committed();
        long total = 0;
        long done = 0;
        for (var end : offsets.ends().entrySet()) {
            total += end.getValue().offset();
            OffsetAndMetadata c = committed.get(end.getKey());
            done += c == null ? 0 : Math.min(c.offset(), end.getValue().offset());
        }
        return new long[] {done, total};
    }

    /**
     * Waits until the group has also consumed its internal repartition topics (the second sub-topology runs a
     * little behind the first). A transactional writer leaves a commit marker after its last record, so a
     * committed offset one short of the end offset is caught up. False on timeout.
     */
    public boolean awaitInternalTopics(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!internalTopicsCaughtUp()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private boolean internalTopicsCaughtUp() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = committed.keySet().stream()
                .filter(tp -> tp.topic().endsWith("-repartition"))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        if (request.isEmpty()) {
            return true;
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()).offset() >= e.getValue().offset() - 1);
    }

    /** Partitions whose committed offset is behind their end offset: {@code topic-p committed/end}. */
    public String lagging() throws Exception {
        InputOffsets offsets = inputOffsets();
        Map<TopicPartition, OffsetAndMetadata> committed = offsets.committed();
        return offsets.ends().entrySet().stream()
                .filter(e -> committed.get(e.getKey()) == null || committed.get(e.getKey()).offset() < e.getValue().offset())
                .map(e -> e.getKey() + " " + (committed.get(e.getKey()) == null ? "none" : committed.get(e.getKey()).offset())
                        + "/" + e.getValue().offset())
                .sorted().collect(Collectors.joining(", "));
    }

    /** Waits until every input record is committed as processed; false when nothing moved for {@code stall}. */
    public boolean awaitCaughtUp(Duration stall, java.util.function.LongConsumer progress) throws Exception {
        long lastDone = -1;
        long lastMove = System.nanoTime();
        while (System.nanoTime() - lastMove < stall.toNanos()) {
            long[] p = position();
            progress.accept(p[0]);
            if (p[1] > 0 && p[0] >= p[1]) {
                return true;
            }
            if (p[0] != lastDone) {
                lastDone = p[0];
                lastMove = System.nanoTime();
            }
            Thread.sleep(250);
        }
        return false;
    }

    /**
     * Waits until everything produced so far is reflected in the outputs: the inputs and the internal topics caught
     * up and no account waiting for a replay ({@code accounts-awaiting-replay} 0 on every task), seen twice,
     * {@code settle} apart (a replay runs within its interval of the late record, a commit within the commit interval).
     * False on timeout.
     */
    public boolean awaitSettled(org.apache.kafka.streams.KafkaStreams streams, Duration settle, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quietInARow = 0;
        while (System.nanoTime() < deadline) {
            long[] p = position();
            boolean quiet = p[0] >= p[1] && awaitingReplay(streams) == 0 && internalTopicsCaughtUp();
            quietInARow = quiet ? quietInARow + 1 : 0;
            if (quietInARow >= 2) {
                return true;
            }
            Thread.sleep(quiet ? settle.toMillis() : 250);
        }
        return false;
    }

    /** Accounts waiting for a replay, summed over the client's tasks. */
    public static double awaitingReplay(org.apache.kafka.streams.KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(io.leakwatch.stream.AccountProcessor.AWAITING_REPLAY))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
