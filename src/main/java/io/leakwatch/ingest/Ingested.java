package io.leakwatch.ingest;

/**
 * The outcome of ingesting one input record: the decoded, valid event, or the original bytes and why they
 * were refused. Lives only between processors of one sub-topology (never serialized).
 */
public record Ingested<T>(T value, byte[] rawValue, RejectReason reason, String detail) {

    public static <T> Ingested<T> accepted(T value) {
        return new Ingested<>(value, null, null, null);
    }

    public static <T> Ingested<T> rejected(byte[] rawValue, RejectReason reason, String detail) {
        return new Ingested<>(null, rawValue, reason, detail);
    }

    public boolean isAccepted() {
        return reason == null;
    }
}
