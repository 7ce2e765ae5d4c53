package io.leakwatch.slack;

import java.util.Collection;

/**
 * The alert ids Slack has accepted, remembered across restarts: an alert whose id is here is never posted
 * again. {@link #markDelivered} returns only once the ids are durable, and the bridge commits the alerts'
 * offsets only after that, so the order is always Slack accepted → id durable → offset committed.
 */
public interface DeliveredStore {
    /** Reads what other runs (or other instances) recorded since the last call. */
    void catchUp();

    boolean contains(String alertId);

    void markDelivered(Collection<String> alertIds, String destination);
}
