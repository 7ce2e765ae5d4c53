package io.leakwatch.slack;

import java.time.Duration;
import java.util.Optional;

/** What happened to one attempt to post or edit a message. */
public sealed interface SendResult {
    /**
     * Slack accepted the call. {@code posted} is the new message's channel id and ts when the bot token posted it
     * (chat.postMessage); empty for webhooks, which do not say, and for edits, which keep the message's ts.
     */
    record Accepted(Optional<MessageRef> posted) implements SendResult {
        public Accepted() {
            this(Optional.empty());
        }
    }

    /** HTTP 429: try again after {@code delay} (Slack's Retry-After). */
    record RetryAfter(Duration delay) implements SendResult {
    }

    /** 5xx, timeout, connection refused: worth retrying with backoff. */
    record Transient(String reason) implements SendResult {
    }

    /** 404, invalid_token, channel_not_found, message_not_found, ...: retrying cannot help; dead-letter it. */
    record Permanent(String reason) implements SendResult {
    }
}
