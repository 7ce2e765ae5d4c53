package io.leakwatch.slack;

/**
 * Where an alert was read from, without Kafka types: enough to commit past it and to copy the original record
 * to the dead-letter topic.
 */
public record SourceRef(String topic, int partition, long offset, byte[] key, byte[] value) {
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
