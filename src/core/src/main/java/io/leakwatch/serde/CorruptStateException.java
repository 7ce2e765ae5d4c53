package io.leakwatch.serde;

/**
 * Stored state bytes that cannot be read: another format, truncated, or corrupt. The message names the state, what
 * was wrong and where, in one line ({@code account-state: truncated: 8 bytes needed at byte 2855 of 2860}).
 */
public final class CorruptStateException extends IllegalArgumentException {
    public CorruptStateException(String message) {
        super(message);
    }

    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
