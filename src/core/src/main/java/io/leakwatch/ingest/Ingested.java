package io.leakwatch.ingest;

/**
 * The outcome of ingesting one input record: the decoded, valid event, or the original bytes and why they
 * were refused. Lives only between processors of one sub-topology (never serialized).
 *
 * @param misrouted the event is valid but arrived on another partition than its key's (see {@link IngestProcessor})
 */
public record Ingested<T>(T value, byte[] rawValue, RejectReason reason, String detail, boolean misrouted) {

    public static <T> Ingested<T> accepted(T value) {
        return new Ingested<>(value, null, null, null, false);
    }

    public static <T> Ingested<T> misrouted(T value) {
        return new Ingested<>(value, null, null, null, true);
    }

    public static <T> Ingested<T> rejected(byte[] rawValue, RejectReason reason, String detail) {
        return new Ingested<>(null, rawValue, reason, detail, false);
    }

    public boolean isAccepted() {
        return reason == null;
    }
}
