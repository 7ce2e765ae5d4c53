package io.leakwatch.slack;

import java.time.Duration;

/**
 * Backoff for transient failures (HTTP 5xx, network errors): the n-th retry waits
 * {@code min(initial * 2^(n-1), max)}; after {@code maxAttempts} failed attempts the message is dead-lettered
 * so one broken destination never blocks its partition forever. A 429 is not counted: it waits exactly the
 * Retry-After that Slack asked for.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
    public RetryPolicy {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0
                || maxAttempts < 1) {
            throw new IllegalArgumentException("retry needs 0 < initial-backoff <= max-backoff and max-attempts >= 1");
        }
    }

    public static RetryPolicy standard() {
        return new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 8);
    }

    /** Wait before the next try, after {@code failedAttempts} (>= 1) failures. */
    public Duration backoff(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        Duration wait = initialBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    public boolean exhausted(int failedAttempts) {
        return failedAttempts >= maxAttempts;
    }
}
