package io.leakwatch.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per channel: {@code ratePerSecond} tokens are added per second up to {@code burst}; a message
 * takes one token. Slack allows about one message per second per channel, so the default is rate 1, burst 1.
 * Time is passed in, so tests drive it without sleeping.
 */
public final class RateLimiter {
    private final double ratePerSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        Instant updated;

        Bucket(double tokens, Instant updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    public RateLimiter(double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** No limit: used by --dry-run, where nothing reaches Slack. */
    public static RateLimiter unlimited() {
        return new RateLimiter(Double.POSITIVE_INFINITY, 1);
    }

    /** Takes a token for {@code key} if one is available at {@code now}. */
    public boolean tryAcquire(String key, Instant now) {
        Bucket bucket = refill(key, now);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return true;
        }
        return false;
    }

    /** The earliest instant at which {@link #tryAcquire} succeeds for {@code key}. */
    public Instant nextAllowed(String key, Instant now) {
        Bucket bucket = refill(key, now);
        if (bucket.tokens >= 1) {
            return now;
        }
        long nanos = (long) Math.ceil((1 - bucket.tokens) / ratePerSecond * 1_000_000_000d);
        return now.plus(Duration.ofNanos(nanos));
    }

    private Bucket refill(String key, Instant now) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        if (Double.isInfinite(ratePerSecond)) {
            // unlimited: full at every instant, also for a second call within the same one
            bucket.tokens = burst;
        } else if (now.isAfter(bucket.updated)) {
            double elapsed = Duration.between(bucket.updated, now).toNanos() / 1_000_000_000d;
            bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerSecond);
            bucket.updated = now;
        }
        return bucket;
    }
}
