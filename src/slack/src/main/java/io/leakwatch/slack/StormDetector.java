package io.leakwatch.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts alerts per channel over a sliding window: a channel is in a storm when
 * {@code count(arrivals in (now - window, now]) > threshold}. While it is, the outbox collapses the channel's
 * alerts into one digest per window instead of posting them one by one.
 */
public final class StormDetector {
    private final int threshold;
    private final Duration window;
    private final Map<String, Deque<Instant>> arrivals = new HashMap<>();

    public StormDetector(int threshold, Duration window) {
        if (threshold < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("storm threshold must be >= 1 and window > 0");
        }
        this.threshold = threshold;
        this.window = window;
    }

    /** Records one arrival for {@code key} and says whether the channel is now in a storm. */
    public boolean arrive(String key, Instant now) {
        Deque<Instant> times = arrivals.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(now);
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
        return times.size() > threshold;
    }

    public int threshold() {
        return threshold;
    }

    public Duration window() {
        return window;
    }
}
