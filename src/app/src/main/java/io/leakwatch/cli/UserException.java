package io.leakwatch.cli;

/**
 * A mistake the user can fix (bad flag value, unreadable file, unreachable broker). The CLI prints its
 * message as one line, without a stack trace, and exits with {@link #exitCode()}.
 */
public class UserException extends RuntimeException {
    private final int exitCode;

    public UserException(String message) {
        this(message, ExitCodes.USAGE);
    }

    public UserException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
