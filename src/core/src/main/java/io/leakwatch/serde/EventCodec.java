package io.leakwatch.serde;

/** Turns events into bytes on the wire and back. Implementations are thread-safe. */
public interface EventCodec<T> {
    T decode(byte[] bytes) throws EventDecodingException;

    byte[] encode(T value);
}
