package io.leakwatch.serde;

/** Bytes that are not a valid event of the expected type. The message says why, for the dead-letter topic. */
public class EventDecodingException extends Exception {
    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
