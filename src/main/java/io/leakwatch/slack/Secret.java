package io.leakwatch.slack;

import java.util.Objects;

/**
 * A credential (webhook URL, bot token) read from the environment or a file. Its {@link #toString()} never
 * shows the value, so a secret that ends up in a log line or an exception message stays masked; only
 * {@link #reveal()} hands it to the code that talks to Slack.
 */
public final class Secret {
    private final String value;
    private final String source;

    /**
     * @param value  the credential
     * @param source where it came from, safe to show (e.g. {@code env:SLACK_BOT_TOKEN})
     */
    public Secret(String value, String source) {
        this.value = Objects.requireNonNull(value);
        this.source = Objects.requireNonNull(source);
    }

    public String reveal() {
        return value;
    }

    /** Where the secret came from, e.g. {@code env:SLACK_WEBHOOK_OPS}; never the value. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "****(" + source + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
