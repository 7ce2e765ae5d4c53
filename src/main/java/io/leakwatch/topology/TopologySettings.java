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
 * @param topics                   topic names by role
 * @param wireFormat               JSON or Avro on input topics and on alerts
 * @param schemas                  schema ids for the Avro wire format
 * @param lateness                 records older than stream time minus this go to the dead-letter topic as {@code late}
 * @param contractJoinGrace        how long an invoice line waits (in stream time) for an out-of-order contract
 *                                 version with an earlier timestamp; zero = join immediately
 * @param contractHistoryRetention how far back (in stream time) the versioned contract table answers as-of lookups;
 *                                 must cover {@code lateness}
 * @param alertDedupeRetention     how long an emitted alert id is remembered to suppress repeats
 * @param earliestPlausible        record timestamps before this are refused
 * @param maxAhead                 record timestamps further than this beyond their partition's time are refused
 * @param severity                 severity from the amount at risk
 * @param detection                windows and thresholds of the cross-stream detectors
 * @param risk                     account features and risk scoring ({@link RiskSettings#off()} = not built)
 */
public record TopologySettings(TopicCatalog topics, WireFormat wireFormat, SchemaResolver schemas, Duration lateness,
                               Duration contractJoinGrace, Duration contractHistoryRetention,
                               Duration alertDedupeRetention, Instant earliestPlausible, Duration maxAhead,
                               SeverityPolicy severity, DetectionSettings detection,
                               RiskSettings risk) {

    public static final Duration DEFAULT_LATENESS = Duration.ofDays(7);
    public static final Duration DEFAULT_CONTRACT_JOIN_GRACE = Duration.ZERO;
    public static final Duration DEFAULT_CONTRACT_HISTORY = Duration.ofDays(400);
    public static final Duration DEFAULT_ALERT_DEDUPE = Duration.ofDays(400);
    public static final Instant DEFAULT_EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofDays(400);

    public TopologySettings {
        if (contractHistoryRetention.compareTo(lateness) < 0) {
            throw new IllegalArgumentException("contract history retention (" + contractHistoryRetention
                    + ") must be at least the lateness grace (" + lateness + ")");
        }
        if (lateness.isNegative() || contractJoinGrace.isNegative()) {
            throw new IllegalArgumentException("grace periods must not be negative");
        }
    }

    public static TopologySettings defaults(TopicCatalog topics, WireFormat format, SchemaResolver schemas) {
        return new TopologySettings(topics, format, schemas, DEFAULT_LATENESS, DEFAULT_CONTRACT_JOIN_GRACE,
                DEFAULT_CONTRACT_HISTORY, DEFAULT_ALERT_DEDUPE, DEFAULT_EARLIEST, DEFAULT_MAX_AHEAD,
                SeverityPolicy.standard(), DetectionSettings.defaults(), RiskSettings.off());
    }

    public TopologySettings withLateness(Duration value) {
        return new TopologySettings(topics, wireFormat, schemas, value, contractJoinGrace,
                contractHistoryRetention.compareTo(value) < 0 ? value : contractHistoryRetention, alertDedupeRetention,
                earliestPlausible, maxAhead, severity, detection, risk);
    }

    public TopologySettings withContractJoinGrace(Duration value) {
        return new TopologySettings(topics, wireFormat, schemas, lateness, value, contractHistoryRetention,
                alertDedupeRetention, earliestPlausible, maxAhead, severity, detection, risk);
    }

    public TopologySettings withTopics(TopicCatalog value) {
        return new TopologySettings(value, wireFormat, schemas, lateness, contractJoinGrace, contractHistoryRetention,
                alertDedupeRetention, earliestPlausible, maxAhead, severity, detection, risk);
    }

    /**
     * The same settings for input topics with {@code count} partitions (the summary of UNATTRIBUTED_REVENUE waits
     * for every input partition): the runner passes the real count, a replay on one partition passes 1.
     */
    public TopologySettings withInputPartitions(int count) {
        return withTopics(topics.map(spec -> spec.input() ? spec.withPartitions(count) : spec));
    }

    public TopologySettings withWireFormat(WireFormat value) {
        return new TopologySettings(topics, value, schemas, lateness, contractJoinGrace, contractHistoryRetention,
                alertDedupeRetention, earliestPlausible, maxAhead, severity, detection, risk);
    }

    public TopologySettings withSeverity(SeverityPolicy value) {
        return new TopologySettings(topics, wireFormat, schemas, lateness, contractJoinGrace, contractHistoryRetention,
                alertDedupeRetention, earliestPlausible, maxAhead, value, detection, risk);
    }

    public TopologySettings withDetection(DetectionSettings value) {
        return new TopologySettings(topics, wireFormat, schemas, lateness, contractJoinGrace, contractHistoryRetention,
                alertDedupeRetention, earliestPlausible, maxAhead, severity, value, risk);
    }

    public TopologySettings withRisk(RiskSettings value) {
        return new TopologySettings(topics, wireFormat, schemas, lateness, contractJoinGrace, contractHistoryRetention,
                alertDedupeRetention, earliestPlausible, maxAhead, severity, detection, value);
    }
}
