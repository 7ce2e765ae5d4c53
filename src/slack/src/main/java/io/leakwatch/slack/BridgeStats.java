package io.leakwatch.slack;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the bridge did with each alert record; readable from any thread. */
public final class BridgeStats {
    final AtomicLong messagesPosted = new AtomicLong();
    final AtomicLong alertsDelivered = new AtomicLong();
    final AtomicLong digests = new AtomicLong();
    final AtomicLong messagesEdited = new AtomicLong();
    final AtomicLong followUps = new AtomicLong();
    final AtomicLong updateDigests = new AtomicLong();
    final AtomicLong updatesApplied = new AtomicLong();
    final AtomicLong belowFloor = new AtomicLong();
    final AtomicLong unrouted = new AtomicLong();
    final AtomicLong neverPosted = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final boolean dryRun;

    /** @param dryRun nothing reaches Slack: the counts are of messages printed, and say so */
    public BridgeStats(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** New messages in a channel: alerts, digests, follow-ups and digests of changes. */
    public long messagesPosted() {
        return messagesPosted.get();
    }

    /** Alerts Slack shows for the first time (on their own or in a digest). */
    public long alertsDelivered() {
        return alertsDelivered.get();
    }

    /** Storm digests of new alerts. */
    public long digests() {
        return digests.get();
    }

    /** chat.update calls Slack accepted. */
    public long messagesEdited() {
        return messagesEdited.get();
    }

    /** Follow-up posts about a change to an alert whose message cannot be edited. */
    public long followUps() {
        return followUps.get();
    }

    /** Storm digests of changes. */
    public long updateDigests() {
        return updateDigests.get();
    }

    /** Later revisions applied to alerts Slack shows (edited, followed up, or listed in a digest). */
    public long updatesApplied() {
        return updatesApplied.get();
    }

    public long belowFloor() {
        return belowFloor.get();
    }

    public long unrouted() {
        return unrouted.get();
    }

    /** Changes (not OPEN) to alerts Slack never showed: nothing was sent. */
    public long neverPosted() {
        return neverPosted.get();
    }

    /** Records whose revision was applied or waiting already (replays, restarts). */
    public long duplicates() {
        return duplicates.get();
    }

    /** Calls that failed in a way worth retrying (5xx, network) and wait for their backoff. */
    public long retries() {
        return retries.get();
    }

    /** Calls Slack refused for now with a Retry-After (HTTP 429). */
    public long rateLimited() {
        return rateLimited.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public void addDeadLettered() {
        deadLettered.incrementAndGet();
    }

    @Override
    public String toString() {
        return (dryRun ? "dry run, nothing sent; printed: " : "") + "messages=" + messagesPosted
                + " alerts-delivered=" + alertsDelivered + " digests=" + digests + " edits=" + messagesEdited
                + " follow-ups=" + followUps + " update-digests=" + updateDigests + " updates-applied=" + updatesApplied
                + " below-floor=" + belowFloor + " unrouted=" + unrouted + " never-posted=" + neverPosted
                + " duplicates=" + duplicates + " dead-lettered=" + deadLettered;
    }
}
