package io.leakwatch.slack.bridge;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed. Records settle out of order (one channel waits on a 429 while another
 * posts), so per partition the committable offset is {@code min(unsettled offsets)}, or one past the highest
 * offset read when everything is settled. Committing never passes an alert that Slack has not accepted yet.
 */
final class OffsetTracker {
    private static final class PartitionState {
        final TreeSet<Long> unsettled = new TreeSet<>();
        long next = -1;
        long committed = -1;
    }

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

    void received(TopicPartition tp, long offset) {
        PartitionState s = partitions.computeIfAbsent(tp, k -> new PartitionState());
        s.unsettled.add(offset);
        s.next = Math.max(s.next, offset + 1);
    }

    void settled(TopicPartition tp, long offset) {
        PartitionState s = partitions.get(tp);
        if (s != null) {
            s.unsettled.remove(offset);
        }
    }

    /** Offsets that advanced since the last {@link #committed}; empty when there is nothing new. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        partitions.forEach((tp, s) -> {
            long offset = s.unsettled.isEmpty() ? s.next : s.unsettled.first();
            if (offset > s.committed) {
                result.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return result;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            PartitionState s = partitions.get(tp);
            if (s != null) {
                s.committed = Math.max(s.committed, o.offset());
            }
        });
    }

    void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    int unsettled() {
        return partitions.values().stream().mapToInt(s -> s.unsettled.size()).sum();
    }
}
