package io.leakwatch.topology;

import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.metrics.TopologyMeters;
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
 * @param meters               told what the topology reads and writes ({@link TopologyMeters#NONE}: nothing is
 *                             counted); never changes what the topology writes
 * @param closeAtEnd           for a replay whose wall clock moves once, after its last record: that wall-clock
 *                             punctuation also judges, as if every grace had passed, the periods and deadlines stream
 *                             time has reached ({@code AccountEngine.closeAt}); off in production, where stream time
 *                             goes on and judges them when their grace has passed
 */
public record TopologySettings(TopicCatalog topics, WireFormat wireFormat, SchemaResolver schemas, Duration horizon,
                               Duration alertDedupeRetention, Instant earliestPlausible, Duration maxAhead,
                               SeverityPolicy severity, DetectionSettings detection, RiskSettings risk,
                               Duration replayInterval, TopologyMeters meters, boolean closeAtEnd) {

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
        java.util.Objects.requireNonNull(meters, "meters (TopologyMeters.NONE counts nothing)");
    }

    public static TopologySettings defaults(TopicCatalog topics, WireFormat format, SchemaResolver schemas) {
        return builder(topics, format, schemas).build();
    }

    /** Settings from every default but the topics, their format and schemas; the setters change one component each. */
    public static Builder builder(TopicCatalog topics, WireFormat format, SchemaResolver schemas) {
        return new Builder(topics, format, schemas);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(topics, wireFormat, schemas).horizon(horizon).alertDedupeRetention(alertDedupeRetention)
                .earliestPlausible(earliestPlausible).maxAhead(maxAhead).severity(severity).detection(detection)
                .risk(risk).replayInterval(replayInterval).meters(meters).closeAtEnd(closeAtEnd);
    }

    public TopologySettings withHorizon(Duration value) {
        return toBuilder().horizon(value).build();
    }

    /**
     * The same settings for input topics with {@code count} partitions (the summary of UNATTRIBUTED_REVENUE waits
     * for every input partition): the runner passes the real count, a replay on one partition passes 1.
     */
    public TopologySettings withInputPartitions(int count) {
        return toBuilder().topics(topics.map(spec -> spec.input() ? spec.withPartitions(count) : spec)).build();
    }

    public TopologySettings withWireFormat(WireFormat value) {
        return toBuilder().wireFormat(value).build();
    }

    public TopologySettings withSeverity(SeverityPolicy value) {
        return toBuilder().severity(value).build();
    }

    public TopologySettings withRisk(RiskSettings value) {
        return toBuilder().risk(value).build();
    }

    public TopologySettings withMeters(TopologyMeters value) {
        return toBuilder().meters(value).build();
    }

    public TopologySettings withCloseAtEnd(boolean value) {
        return toBuilder().closeAtEnd(value).build();
    }

    /** Topology settings one component at a time; {@link #build()} checks them as the record does. */
    public static final class Builder {
        private TopicCatalog topics;
        private WireFormat wireFormat;
        private SchemaResolver schemas;
        private Duration horizon = DEFAULT_HORIZON;
        private Duration alertDedupeRetention = DEFAULT_ALERT_DEDUPE;
        private Instant earliestPlausible = DEFAULT_EARLIEST;
        private Duration maxAhead = DEFAULT_MAX_AHEAD;
        private SeverityPolicy severity = SeverityPolicy.standard();
        private DetectionSettings detection = DetectionSettings.defaults();
        private RiskSettings risk = RiskSettings.off();
        private Duration replayInterval = DEFAULT_REPLAY_INTERVAL;
        private TopologyMeters meters = TopologyMeters.NONE;
        private boolean closeAtEnd;

        private Builder(TopicCatalog topics, WireFormat wireFormat, SchemaResolver schemas) {
            this.topics = topics;
            this.wireFormat = wireFormat;
            this.schemas = schemas;
        }

        public Builder topics(TopicCatalog value) {
            this.topics = value;
            return this;
        }

        public Builder wireFormat(WireFormat value) {
            this.wireFormat = value;
            return this;
        }

        public Builder schemas(SchemaResolver value) {
            this.schemas = value;
            return this;
        }

        public Builder horizon(Duration value) {
            this.horizon = value;
            return this;
        }

        public Builder alertDedupeRetention(Duration value) {
            this.alertDedupeRetention = value;
            return this;
        }

        public Builder earliestPlausible(Instant value) {
            this.earliestPlausible = value;
            return this;
        }

        public Builder maxAhead(Duration value) {
            this.maxAhead = value;
            return this;
        }

        public Builder severity(SeverityPolicy value) {
            this.severity = value;
            return this;
        }

        public Builder detection(DetectionSettings value) {
            this.detection = value;
            return this;
        }

        public Builder risk(RiskSettings value) {
            this.risk = value;
            return this;
        }

        public Builder replayInterval(Duration value) {
            this.replayInterval = value;
            return this;
        }

        public Builder meters(TopologyMeters value) {
            this.meters = value;
            return this;
        }

        public Builder closeAtEnd(boolean value) {
            this.closeAtEnd = value;
            return this;
        }

        public TopologySettings build() {
            return new TopologySettings(topics, wireFormat, schemas, horizon, alertDedupeRetention, earliestPlausible,
                    maxAhead, severity, detection, risk, replayInterval, meters, closeAtEnd);
        }
    }
}
