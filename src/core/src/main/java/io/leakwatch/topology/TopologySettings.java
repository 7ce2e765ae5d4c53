package io.leakwatch.topology;

import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.serde.SchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything the topology builder needs, already parsed and validated. Durations are named here, once.
 *
 * @param topics               topic names by role
 * @param wireFormat           JSON or Avro on input topics and on alerts
 * @param schemas              schema ids for the Avro wire format
 * @param horizon              how late a record may be and still be judged: a record older than stream time minus
 *                             this goes to the dead-letter topic as {@code late}; a later one re-judges what it
 *                             changes (findings judged longer ago than this are final)
 * @param alertDedupeRetention how long the last record of each alert is remembered (its revisions continue from it)
 * @param earliestPlausible    record timestamps before this are refused
 * @param maxAhead             record timestamps further than this beyond their partition's time are refused
 * @param severity             severity from the amount at risk
 * @param detection            windows and thresholds of the cross-stream detectors
 * @param risk                 account features and risk scoring ({@link RiskSettings#off()} = not built)
 * @param replayInterval       how often (wall clock) the accounts that received late records are judged again
 */
public record TopologySettings(TopicCatalog topics, WireFormat wireFormat, SchemaResolver schemas, Duration horizon,
                               Duration alertDedupeRetention, Instant earliestPlausible, Duration maxAhead,
                               SeverityPolicy severity, DetectionSettings detection, RiskSettings risk,
                               Duration replayInterval) {

    public static final Duration DEFAULT_HORIZON = Duration.ofDays(90);
    public static final Duration DEFAULT_ALERT_DEDUPE = Duration.ofDays(400);
    public static final Instant DEFAULT_EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofDays(400);
    public static final Duration DEFAULT_REPLAY_INTERVAL = Duration.ofSeconds(1);

    public TopologySettings {
        if (horizon.isNegative()) {
            throw new IllegalArgumentException("the late-data horizon must not be negative");
        }
        if (replayInterval.isZero() || replayInterval.isNegative()) {
            throw new IllegalArgumentException("the replay interval must be positive");
        }
    }

    public static TopologySettings defaults(TopicCatalog topics, WireFormat format, SchemaResolver schemas) {
        return new TopologySettings(topics, format, schemas, DEFAULT_HORIZON, DEFAULT_ALERT_DEDUPE, DEFAULT_EARLIEST,
                DEFAULT_MAX_AHEAD, SeverityPolicy.standard(), DetectionSettings.defaults(), RiskSettings.off(),
                DEFAULT_REPLAY_INTERVAL);
    }

    public TopologySettings withHorizon(Duration value) {
        return new TopologySettings(topics, wireFormat, schemas, value, alertDedupeRetention, earliestPlausible,
                maxAhead, severity, detection, risk, replayInterval);
    }

    public TopologySettings withTopics(TopicCatalog value) {
        return new TopologySettings(value, wireFormat, schemas, horizon, alertDedupeRetention, earliestPlausible,
                maxAhead, severity, detection, risk, replayInterval);
    }

    /**
     * The same settings for input topics with {@code count} partitions (the summary of UNATTRIBUTED_REVENUE waits
     * for every input partition): the runner passes the real count, a replay on one partition passes 1.
     */
    public TopologySettings withInputPartitions(int count) {
        return withTopics(topics.map(spec -> spec.input() ? spec.withPartitions(count) : spec));
    }

    public TopologySettings withWireFormat(WireFormat value) {
        return new TopologySettings(topics, value, schemas, horizon, alertDedupeRetention, earliestPlausible,
                maxAhead, severity, detection, risk, replayInterval);
    }

    public TopologySettings withSeverity(SeverityPolicy value) {
        return new TopologySettings(topics, wireFormat, schemas, horizon, alertDedupeRetention, earliestPlausible,
                maxAhead, value, detection, risk, replayInterval);
    }

    public TopologySettings withDetection(DetectionSettings value) {
        return new TopologySettings(topics, wireFormat, schemas, horizon, alertDedupeRetention, earliestPlausible,
                maxAhead, severity, value, risk, replayInterval);
    }

    public TopologySettings withRisk(RiskSettings value) {
        return new TopologySettings(topics, wireFormat, schemas, horizon, alertDedupeRetention, earliestPlausible,
                maxAhead, severity, detection, value, replayInterval);
    }

    public TopologySettings withReplayInterval(Duration value) {
        return new TopologySettings(topics, wireFormat, schemas, horizon, alertDedupeRetention, earliestPlausible,
                maxAhead, severity, detection, risk, value);
    }
}
