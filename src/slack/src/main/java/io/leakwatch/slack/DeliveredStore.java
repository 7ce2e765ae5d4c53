package io.leakwatch.slack;

import java.util.Collection;
import java.util.Optional;

/**
 * What Slack shows for each alert_id, remembered across restarts: an alert with a record here is never posted
 * again, and a revision not newer than the recorded one is never applied again. {@link #record} returns only
 * once the records are durable, and the bridge commits the alerts' offsets only after that, so the order is
 * always Slack accepted → record durable → offset committed.
 */
public interface DeliveredStore {
    /** Reads what other runs (or other instances) recorded since the last call. */
    void catchUp();

    Optional<Delivery> get(String alertId);

    void record(Collection<Delivery> deliveries);
}
