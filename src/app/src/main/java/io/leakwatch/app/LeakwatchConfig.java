package io.leakwatch.app;

import static io.leakwatch.config.LeakwatchKeys.*;

import io.leakwatch.alerts.DetectorSwitches;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.ConfigValues;
import io.leakwatch.config.KafkaSettingsCheck;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.config.ParsedConfig;
import io.leakwatch.config.Redactor;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.scoring.ModelRegistry;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskThresholds;
import io.leakwatch.registry.SchemaRegistryConfig;
import io.leakwatch.serde.SchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.DetectionSettings;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.StreamsProperties;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One configuration file for a deployment: standard Kafka client and Streams properties (bootstrap.servers,
 * security.protocol, sasl.*, ssl.*, application.id, processing.guarantee, ...) are passed through as they
 * are; keys under {@code leakwatch.} configure Leakwatch itself, as {@link LeakwatchKeys} defines them (the README's
 * configuration reference is made from that definition). Every {@code leakwatch.} key is checked when the file is
 * read: an unknown key or a value its definition refuses is a {@link ConfigException} naming the key. Values may
 * contain {@code ${env:NAME}} or {@code ${file:/path}}; passwords, JAAS configs, tokens and every value that came from
 * the environment or a file are secrets, which no error shows ({@link ConfigValues}). Kafka's own values are checked
 * against the clients' definitions before any client is built ({@link KafkaSettingsCheck}).
 */
public final class LeakwatchConfig {
    private final ConfigValues config;
    private final ParsedConfig leakwatch;
    private SchemaResolver schemas;

    /** Values given in code: nothing to resolve. */
    public LeakwatchConfig(Map<String, String> values) {
        this(ConfigValues.of(values));
    }

    private LeakwatchConfig(ConfigValues config) {
        this.config = config;
        try {
            this.leakwatch = LeakwatchKeys.DEFINITION.parse(config);
        } catch (BadConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** No config file: every default (bundled topic catalog, JSON, standard thresholds, models under ./models). */
    public static LeakwatchConfig defaults() {
        return new LeakwatchConfig(Map.of());
    }

    /** Reads a properties file; {@link ConfigException} with one clear line when it cannot. */
    public static LeakwatchConfig load(Path file) {
        return load(file, System::getenv);
    }

    /** @param environment where {@code ${env:NAME}} looks NAME up */
    public static LeakwatchConfig load(Path file, Function<String, String> environment) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + file + " is not UTF-8 text");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));
        try {
            return new LeakwatchConfig(ConfigValues.resolve(values, new SecretResolver(environment)));
        } catch (BadConfigException e) {
            throw new ConfigException("config " + file + ": " + e.getMessage());
        }
    }

    public LeakwatchConfig with(String key, String value) {
        return new LeakwatchConfig(config.with(key, value));
    }

    /** Masks the secrets of this config (and whatever looks like one) in a message. */
    public Redactor redactor() {
        return config.redactor();
    }

    /** The topic catalog with this deployment's name, partition and replication overrides. */
    public TopicCatalog catalog() {
        TopicCatalog base = leakwatch.isSet(CATALOG) ? TopicCatalog.load(Path.of(leakwatch.string(CATALOG))) : TopicCatalog.bundled();
        Map<String, String> names = leakwatch.family(TOPIC_NAMES);
        Integer replication = leakwatch.integer(REPLICATION);
        Integer partitions = leakwatch.integer(PARTITIONS);
        return base.map(spec -> {
            var s = spec.withName(names.getOrDefault(spec.role(), spec.name()));
            s = replication != null ? s.withReplicationFactor(replication.shortValue()) : s;
            return partitions != null ? s.withPartitions(partitions) : s;
        });
    }

    public TopologySettings topologySettings() {
        SeverityPolicy severity = SeverityPolicy.standard();
        if (leakwatch.isSet(SEVERITY)) {
            severity = severity.withDefaults(SeverityPolicy.Thresholds.parse(leakwatch.string(SEVERITY)));
        }
        for (Map.Entry<String, String> currency : leakwatch.family(CURRENCY_SEVERITY).entrySet()) {
            severity = severity.withCurrency(currency.getKey(), SeverityPolicy.Thresholds.parse(currency.getValue()));
        }
        try {
            return TopologySettings.builder(catalog(), WireFormat.parse(leakwatch.string(WIRE_FORMAT)), schemas())
                    .horizon(leakwatch.duration(HORIZON))
                    .alertDedupeRetention(leakwatch.duration(DEDUPE))
                    .earliestPlausible(leakwatch.instant(EARLIEST))
                    .maxAhead(leakwatch.duration(MAX_AHEAD))
                    .severity(severity)
                    .detection(detectionSettings())
                    .risk(riskSettings())
                    .replayInterval(leakwatch.duration(REPLAY_INTERVAL))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.redactor().redact(e.getMessage()));
        }
    }

    /**
     * The schema ids of the Avro wire format: a schema registry's ({@code leakwatch.schema-registry.*}), or the ids
     * bundled in the jar. One resolver per config, so its cache serves every settings made from it.
     */
    public synchronized SchemaResolver schemas() {
        if (schemas == null) {
            try {
                schemas = SchemaRegistryConfig.resolver(leakwatch, config);
            } catch (BadConfigException e) {
                throw new ConfigException(config.redactor().redact(e.getMessage()));
            }
        }
        return schemas;
    }

    /**
     * Scoring schedule and thresholds; the scorer itself is added by the runner from {@link #scoring()} (loading
     * models is I/O, which the settings do not do).
     */
    private RiskSettings riskSettings() {
        RiskThresholds thresholds;
        try {
            thresholds = new RiskThresholds(number(RISK_HIGH_ENTER), number(RISK_HIGH_EXIT), number(RISK_MEDIUM));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(RISK_HIGH_ENTER + ", " + RISK_HIGH_EXIT + ", " + RISK_MEDIUM + ": "
                    + config.redactor().redact(e.getMessage()));
        }
        RiskPublishing publishing;
        try {
            publishing = new RiskPublishing(number(PUBLISH_MIN_PROBABILITY_CHANGE),
                    number(PUBLISH_MIN_REVENUE_CHANGE), leakwatch.duration(PUBLISH_MAX_AGE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("leakwatch.scoring.publish.*: " + config.redactor().redact(e.getMessage()));
        }
        return new RiskSettings(null, leakwatch.duration(SCORING_INTERVAL), leakwatch.duration(SCORING_ROUTINE_DELAY),
                false, thresholds, publishing);
    }

    /**
     * Where the models are and whether to score: {@code leakwatch.scoring.enabled} when set, otherwise true exactly
     * when {@code leakwatch.models.dir} holds at least one model version ({@code <model>/v<N>/}).
     */
    public ScoringConfig scoring() {
        Path dir = leakwatch.isSet(MODELS_DIR) ? Path.of(leakwatch.string(MODELS_DIR)) : ScoringConfig.defaultModelsDir();
        Boolean enabled = leakwatch.bool(SCORING_ENABLED);
        return new ScoringConfig(enabled != null ? enabled : ScoringConfig.hasModelVersions(dir), dir,
                leakwatch.duration(MODELS_POLL), ModelRegistry.parsePins(leakwatch.string(LeakwatchKeys.MODELS_PIN)));
    }

    /** The HTTP endpoint of {@code run}: metrics and health. */
    public HttpSettings http() {
        String advertised = leakwatch.string(LeakwatchKeys.HTTP_ADVERTISED).trim();
        if (advertised.isEmpty()) {
            String server = config.asMap().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
            advertised = server == null ? "" : server.trim();
        }
        return new HttpSettings(leakwatch.bool(LeakwatchKeys.HTTP_ENABLED), leakwatch.string(LeakwatchKeys.HTTP_BIND),
                leakwatch.integer(LeakwatchKeys.HTTP_PORT), leakwatch.integer(LeakwatchKeys.READINESS_MAX_LAG),
                advertised, leakwatch.duration(LeakwatchKeys.HTTP_QUERY_TIMEOUT));
    }

    /**
     * @param enabled serve at all
     * @param bind    the address to listen on
     * @param port    the port (0: a free one)
     * @param maxLag  the most unread input records for {@code /health/ready} to pass
     * @param advertised   {@code host} or {@code host:port} the other instances reach this one at (the port served
     *                     when none is given), set as {@code application.server}; empty: not advertised
     * @param queryTimeout how long a query forwarded to another instance may take
     */
    public record HttpSettings(boolean enabled, String bind, int port, long maxLag, String advertised,
                               Duration queryTimeout) {
        /** Not advertised: one instance answering queries from its own stores. */
        public HttpSettings(boolean enabled, String bind, int port, long maxLag) {
            this(enabled, bind, port, maxLag, "", Duration.ofSeconds(10));
        }
    }

    /** A decimal key read as the double its consumer takes. */
    private double number(String key) {
        return leakwatch.decimal(key).doubleValue();
    }

    private DetectionSettings detectionSettings() {
        return new DetectionSettings(
                leakwatch.duration(PERIOD_CLOSE_GRACE),
                leakwatch.duration(DUPLICATE_WINDOW),
                leakwatch.duration(PAYMENT_GRACE),
                leakwatch.duration(PAYMENT_RETRY_WINDOW),
                leakwatch.duration(PAYMENT_TERMS),
                leakwatch.decimal(UNATTRIBUTED_MIN_AMOUNT),
                leakwatch.decimal(UNATTRIBUTED_MIN_SHARE),
                new BaselineSettings(
                        leakwatch.integer(BASELINE_WINDOW),
                        leakwatch.integer(BASELINE_MIN_PERIODS),
                        number(BASELINE_Z),
                        leakwatch.integer(BASELINE_HISTORY),
                        leakwatch.integer(EROSION_PERIODS),
                        number(EROSION_THRESHOLD),
                        number(BASELINE_MIN_RELATIVE_STD),
                        number(BASELINE_MIN_RELATIVE_STD_DROP),
                        number(EROSION_TREND_Z),
                        leakwatch.duration(BASELINE_REVISION_GRACE),
                        number(BASELINE_MIN_RELATIVE_CHANGE),
                        number(BASELINE_MIN_ABSOLUTE_CHANGE)),
                DetectorSwitches.parseOff(leakwatch.string(DETECTORS_OFF)));
    }

    /** Kafka client and Streams properties: everything not under {@code leakwatch.}, plus Leakwatch's defaults. */
    public Properties kafkaProperties() {
        Properties props = StreamsProperties.with(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch"));
        List<String> kafkaKeys = new ArrayList<>();
        new TreeMap<>(config.asMap()).forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                props.put(k, v);
                kafkaKeys.add(k);
            }
        });
        if (!props.containsKey("bootstrap.servers")) {
            throw new ConfigException("bootstrap.servers is not set in the config file");
        }
        KafkaSettingsCheck.check(kafkaKeys, config, KafkaSettingsCheck.STREAMS_APP);
        return props;
    }

    /** A configuration mistake; the message is one line for the user. */
    public static final class ConfigException extends BadConfigException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
