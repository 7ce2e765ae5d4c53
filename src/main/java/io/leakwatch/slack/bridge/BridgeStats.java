package io.leakwatch.slack.bridge;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the bridge did with each alert; readable from any thread. */
public final class BridgeStats {
    final AtomicLong messagesPosted = new AtomicLong();
    final AtomicLong alertsDelivered = new AtomicLong();
    final AtomicLong digests = new AtomicLong();
    final AtomicLong belowFloor = new AtomicLong();
    final AtomicLong unrouted = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();

    public long messagesPosted() {
        return messagesPosted.get();
    }

    public long alertsDelivered() {
        return alertsDelivered.get();
    }

    public long digests() {
        return digests.get();
    }

    public long belowFloor() {
        return belowFloor.get();
    }

    public long unrouted() {
        return unrouted.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public String toString() {
        return "messages=" + messagesPosted + " alerts-delivered=" + alertsDelivered + " digests=" + digests
                + " below-floor=" + belowFloor + " unrouted=" + unrouted + " duplicates=" + duplicates
                + " dead-lettered=" + deadLettered;
    }
}
