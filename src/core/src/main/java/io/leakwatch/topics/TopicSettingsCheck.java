package io.leakwatch.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the settings a cluster holds for the catalog's topics would delete what Leakwatch needs. The broker judges
 * retention and compaction lag by record timestamps, and the inputs carry business time, so history is old the moment
 * it is written. Kafka-free: the caller passes each topic's effective configs (as describeConfigs returns them).
 *
 * <pre>
 * input topic   refuse  cleanup.policy contains compact                  (one record per account_id is left)
 *               refuse  message.timestamp.type = LogAppendTime           (the broker overwrites business time)
 *               refuse  retention applies and retention.ms &lt; horizon      (records inside the horizon deleted unread)
 *               warn    retention applies and retention.ms finite         (history older than it is deleted on write)
 *               warn    retention applies and retention.bytes != -1       (oldest records deleted whatever their age)
 * dead-letter   warn    retention applies and retention.ms finite, or retention.bytes != -1
 * alert-state   warn    cleanup.policy lacks compact, or retention applies with a finite retention.ms
 *
 * retention applies = cleanup.policy contains delete (or is empty on a topic with remote storage)
 * </pre>
 * Topics absent from the configs (not created yet) are not judged.
 */
public final class TopicSettingsCheck {
    static final String CLEANUP_POLICY = "cleanup.policy";
    static final String RETENTION_MS = "retention.ms";
    static final String RETENTION_BYTES = "retention.bytes";
    static final String TIMESTAMP_TYPE = "message.timestamp.type";
    static final String REMOTE_STORAGE = "remote.storage.enable";
    static final String LOG_APPEND_TIME = "LogAppendTime";

    private TopicSettingsCheck() {
    }

    /** What the check found: refusals keep the processor from starting, warnings are logged. One line each. */
    public record Result(List<String> refusals, List<String> warnings) {
        public Result {
            refusals = List.copyOf(refusals);
            warnings = List.copyOf(warnings);
        }

        public boolean refused() {
            return !refusals.isEmpty();
        }
    }

    /**
     * @param catalog  the deployment's catalog (names after overrides)
     * @param configs  effective topic configs by topic name; topics missing here are skipped
     * @param horizon  how late a record may arrive and still be processed: input records inside it must still exist
     */
    public static Result check(TopicCatalog catalog, Map<String, Map<String, String>> configs, Duration horizon) {
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (TopicSpec spec : catalog.all()) {
            Map<String, String> topic = configs.get(spec.name());
            if (topic == null) {
                continue;
            }
            if (spec.input()) {
                checkInput(spec.name(), topic, horizon, refusals, warnings);
            } else if (spec.role().equals(TopicCatalog.DEAD_LETTER)) {
                checkDeadLetter(spec.name(), topic, warnings);
            } else if (spec.role().equals(TopicCatalog.ALERT_STATE)) {
                checkAlertState(spec.name(), topic, warnings);
            }
        }
        return new Result(refusals, warnings);
    }

    private static void checkInput(String name, Map<String, String> topic, Duration horizon, List<String> refusals,
                                   List<String> warnings) {
        String what = "input topic '" + name + "'";
        if (policies(topic).contains("compact")) {
            refusals.add(what + " has " + CLEANUP_POLICY + "=" + topic.get(CLEANUP_POLICY) + ": compaction keeps only"
                    + " the latest record per account_id and deletes the history the joins and replays read; set "
                    + CLEANUP_POLICY + "=delete");
        }
        if (LOG_APPEND_TIME.equals(topic.get(TIMESTAMP_TYPE))) {
            refusals.add(what + " has " + TIMESTAMP_TYPE + "=" + LOG_APPEND_TIME + ": the broker replaces each record's"
                    + " business time with the time it was written, so event time is lost; set " + TIMESTAMP_TYPE
                    + "=CreateTime");
        }
        if (!deletesByRetention(topic)) {
            return;
        }
        long retentionMs = number(topic, RETENTION_MS);
        if (retentionMs >= 0 && retentionMs < horizon.toMillis()) {
            refusals.add(what + " has " + RETENTION_MS + "=" + retentionMs + " (" + iso(Duration.ofMillis(retentionMs))
                    + "), shorter than the late-data horizon " + iso(horizon) + ": records still inside the horizon are"
                    + " deleted before they are read; set " + RETENTION_MS + "=-1 (or at least " + horizon.toMillis() + ")");
        } else if (retentionMs >= 0) {
            warnings.add(what + " has " + RETENTION_MS + "=" + retentionMs + " (" + iso(Duration.ofMillis(retentionMs))
                    + "): records timestamped longer ago than that are deleted as soon as they are written, so history"
                    + " older than it must never be produced to it; " + RETENTION_MS + "=-1 keeps everything");
        }
        warnIfRetentionBytes(what, topic, warnings);
    }

    private static void checkDeadLetter(String name, Map<String, String> topic, List<String> warnings) {
        String what = "dead-letter topic '" + name + "'";
        if (!deletesByRetention(topic)) {
            return;
        }
        long retentionMs = number(topic, RETENTION_MS);
        if (retentionMs >= 0) {
            String from = LOG_APPEND_TIME.equals(topic.get(TIMESTAMP_TYPE))
                    ? "counted from when each was dead-lettered"
                    : "counted from each record's own timestamp, so a dead-lettered record older than that goes at the"
                            + " next retention check";
            warnings.add(what + " has " + RETENTION_MS + "=" + retentionMs + " (" + iso(Duration.ofMillis(retentionMs))
                    + "): dead letters are deleted after that (" + from + "), whether or not someone has dealt with"
                    + " them; " + RETENTION_MS + "=-1 keeps them");
        }
        warnIfRetentionBytes(what, topic, warnings);
    }

    private static void checkAlertState(String name, Map<String, String> topic, List<String> warnings) {
        String what = "alert-state topic '" + name + "'";
        if (!policies(topic).contains("compact")) {
            warnings.add(what + " has " + CLEANUP_POLICY + "=" + topic.getOrDefault(CLEANUP_POLICY, "")
                    + ": it holds each alert's latest state by alert_id and must be compacted; set "
                    + CLEANUP_POLICY + "=compact");
        } else if (deletesByRetention(topic) && number(topic, RETENTION_MS) >= 0) {
            warnings.add(what + " has " + CLEANUP_POLICY + "=" + topic.get(CLEANUP_POLICY) + " and " + RETENTION_MS
                    + "=" + topic.get(RETENTION_MS) + ": alert states older than that are deleted; set "
                    + CLEANUP_POLICY + "=compact");
        }
    }

    /** A duration as the config keys spell it: whole days as {@code P400D}, anything else as {@code PT36H}. */
    public static String iso(Duration duration) {
        return !duration.isZero() && duration.toMillis() % Duration.ofDays(1).toMillis() == 0
                ? "P" + duration.toDays() + "D" : duration.toString();
    }

    private static void warnIfRetentionBytes(String what, Map<String, String> topic, List<String> warnings) {
        long bytes = number(topic, RETENTION_BYTES);
        if (bytes >= 0) {
            warnings.add(what + " has " + RETENTION_BYTES + "=" + bytes + ": once a partition holds more than that,"
                    + " its oldest records are deleted whatever their age; " + RETENTION_BYTES + "=-1 keeps them");
        }
    }

    private static Set<String> policies(Map<String, String> topic) {
        String policy = topic.getOrDefault(CLEANUP_POLICY, "delete");
        return Arrays.stream(policy.split(",")).map(String::strip).filter(p -> !p.isEmpty()).collect(Collectors.toSet());
    }

    /** Whether the broker deletes this topic's segments by retention.ms and retention.bytes (a compact-only topic: no). */
    private static boolean deletesByRetention(Map<String, String> topic) {
        Set<String> policies = policies(topic);
        return policies.contains("delete") || policies.isEmpty() && "true".equals(topic.get(REMOTE_STORAGE));
    }

    /** A numeric config; absent means Kafka's "no limit" (-1). */
    private static long number(Map<String, String> topic, String key) {
        String text = topic.get(key);
        if (text == null || text.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
