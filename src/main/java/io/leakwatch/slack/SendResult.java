package io.leakwatch.slack;

import java.time.Duration;

/** What happened to one attempt to post a message. */
public sealed interface SendResult {
    /** Slack accepted the message. */
    record Accepted() implements SendResult {
    }

    /** HTTP 429: try again after {@code delay} (Slack's Retry-After). */
    record RetryAfter(Duration delay) implements SendResult {
    }

    /** 5xx, timeout, connection refused: worth retrying with backoff. */
    record Transient(String reason) implements SendResult {
    }

    /** 404, invalid_token, channel_not_found, ...: retrying cannot help; dead-letter it. */
    record Permanent(String reason) implements SendResult {
    }
}
