package io.leakwatch.config;

import java.util.Objects;

/**
 * A value that must never be shown: a credential (password, JAAS config, webhook URL, bot token), or any config
 * value that came from the environment or a file. Its {@link #toString()} is {@code ****} and where it came from,
 * so a secret that ends up in a log line, an exception message or an error stays masked; only {@link #reveal()}
 * hands it to the code that needs it (a Kafka client, the Slack SDK, a parser).
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
        return Redactor.MASK + "(" + source + ")";
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
