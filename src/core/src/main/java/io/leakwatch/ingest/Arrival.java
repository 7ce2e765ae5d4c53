package io.leakwatch.ingest;

/**
 * One input record's value as it arrived: the bytes, and the event they decode to with its business time, or why
 * they do not decode. Made by {@link ArrivalDeserializer} so that the value is decoded once, before the timestamp
 * extractor needs its business time; lives only inside the source sub-topology (never serialized).
 *
 * @param raw          the value bytes (null for a record without a value)
 * @param event        the decoded event, or null
 * @param businessTime the event's business time in epoch ms ({@code signed_at}, {@code issued_at}, ...) when decoded
 * @param failure      why the bytes do not decode, when {@code event} is null
 */
public record Arrival<T>(byte[] raw, T event, long businessTime, String failure) {

    static <T> Arrival<T> decoded(byte[] raw, T event, long businessTime) {
        return new Arrival<>(raw, event, businessTime, null);
    }

    static <T> Arrival<T> undecodable(byte[] raw, String failure) {
        return new Arrival<>(raw, null, Long.MIN_VALUE, failure);
    }

    public boolean isDecoded() {
        return event != null;
    }
}
