package io.leakwatch.cli;

/** Exit codes of every subcommand. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed that is not the user's fault (a bug, a crash of the stream). */
    public static final int FAILURE = 1;
    /** Bad flag, bad config value, unreadable or malformed file. */
    public static final int USAGE = 2;
    /** Kafka could not be reached or refused the request. */
    public static final int UNAVAILABLE = 3;

    private ExitCodes() {
    }
}
