package io.leakwatch.app;

import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.config.Durations;
import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.ConfigValues;
import io.leakwatch.config.KafkaSettingsCheck;
import io.leakwatch.config.Redactor;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.topology.DetectionSettings;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskThresholds;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.StreamsProperties;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
 * are; keys under {@code leakwatch.} configure Leakwatch itself. Every key is documented in the README. Values may
 * contain {@code ${env:NAME}} or {@code ${file:/path}}; passwords, JAAS configs, tokens and every value that came from
 * the environment or a file are secrets, which no error shows ({@link ConfigValues}). Kafka's own values are checked
 * against the clients' definitions before any client is built ({@link KafkaSettingsCheck}).
 */
public final class LeakwatchConfig {
    public static final String PREFIX = "leakwatch.";
    public static final String WIRE_FORMAT = "leakwatch.wire.format";
    public static final String CATALOG = "leakwatch.topics.catalog";
    public static final String REPLICATION = "leakwatch.topics.replication-factor";
    public static final String PARTITIONS = "leakwatch.topics.partitions";
    public static final String TOPIC_PREFIX = "leakwatch.topic.";
    public static final String HORIZON = "leakwatch.late.horizon";
    public static final String REPLAY_INTERVAL = "leakwatch.late.replay-interval";
    public static final String DEDUPE = "leakwatch.alerts.dedupe-retention";
    public static final String EARLIEST = "leakwatch.timestamps.earliest";
    public static final String MAX_AHEAD = "leakwatch.timestamps.max-ahead";
    public static final String SEVERITY = "leakwatch.severity.thresholds";
    public static final String PERIOD_CLOSE_GRACE = "leakwatch.periods.close-grace";
    public static final String DUPLICATE_WINDOW = "leakwatch.duplicates.window";
    public static final String PAYMENT_GRACE = "leakwatch.payments.grace";
    public static final String PAYMENT_RETRY_WINDOW = "leakwatch.payments.retry-window";
    public static final String PAYMENT_TERMS = "leakwatch.payments.default-terms";
    public static final String UNATTRIBUTED_MIN_AMOUNT = "leakwatch.unattributed.min-amount";
    public static final String UNATTRIBUTED_MIN_SHARE = "leakwatch.unattributed.min-share";
    public static final String BASELINE_WINDOW = "leakwatch.baseline.window";
    public static final String BASELINE_MIN_PERIODS = "leakwatch.baseline.min-periods";
    public static final String BASELINE_Z = "leakwatch.baseline.z-threshold";
    public static final String BASELINE_HISTORY = "leakwatch.baseline.history-periods";
    public static final String EROSION_PERIODS = "leakwatch.baseline.erosion-periods";
    public static final String EROSION_THRESHOLD = "leakwatch.baseline.erosion-threshold";
    public static final String BASELINE_MIN_RELATIVE_STD = "leakwatch.baseline.min-relative-std";
    public static final String BASELINE_MIN_RELATIVE_STD_DROP = "leakwatch.baseline.min-relative-std-drop";
    public static final String EROSION_TREND_Z = "leakwatch.baseline.erosion-trend-z";
    public static final String BASELINE_REVISION_GRACE = "leakwatch.baseline.revision-grace";
    public static final String MODELS_DIR = "leakwatch.models.dir";
    public static final String MODELS_POLL = "leakwatch.models.poll-interval";
    public static final String SCORING_ENABLED = "leakwatch.scoring.enabled";
    public static final String SCORING_INTERVAL = "leakwatch.scoring.interval";
    public static final String SCORING_ROUTINE_DELAY = "leakwatch.scoring.routine-delay";
    public static final String RISK_HIGH_ENTER = "leakwatch.scoring.high-enter";
    public static final String RISK_HIGH_EXIT = "leakwatch.scoring.high-exit";
    public static final String RISK_MEDIUM = "leakwatch.scoring.medium";
    public static final String PUBLISH_MIN_PROBABILITY_CHANGE = "leakwatch.scoring.publish.min-probability-change";
    public static final String PUBLISH_MIN_REVENUE_CHANGE = "leakwatch.scoring.publish.min-revenue-change";
    public static final String PUBLISH_MAX_AGE = "leakwatch.scoring.publish.max-age";
    public static final Duration DEFAULT_MODELS_POLL = Duration.ofMinutes(1);

    /** Every {@code leakwatch.} key the code reads: the constants of this class. */
    public static final java.util.SortedSet<String> KEYS = keys();
    /** Keys under these take a name of the user's: a topic role, a currency. */
    public static final List<String> KEY_FAMILIES = List.of(TOPIC_PREFIX, SEVERITY + ".");

    private final ConfigValues config;
    private final Map<String, String> values;

    /** Values given in code: nothing to resolve. */
    public LeakwatchConfig(Map<String, String> values) {
        this(ConfigValues.of(values));
    }

    private LeakwatchConfig(ConfigValues config) {
        this.config = config;
        this.values = new TreeMap<>(config.asMap());
        for (String key : values.keySet()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key) && KEY_FAMILIES.stream().noneMatch(key::startsWith)) {
                throw new ConfigException(key + " is not a Leakwatch setting" + closest(key)
                        + " (every key is in the README's configuration reference)");
            }
        }
    }

    private static java.util.SortedSet<String> keys() {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        for (java.lang.reflect.Field f : LeakwatchConfig.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(m) && java.lang.reflect.Modifier.isFinal(m)
                    && java.lang.reflect.Modifier.isPublic(m)) {
                try {
                    String key = (String) f.get(null);
                    if (key.startsWith(PREFIX) && !key.endsWith(".")) {
                        keys.add(key);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return java.util.Collections.unmodifiableSortedSet(keys);
    }

    /** ": did you mean K?" for the known key nearest {@code key} by edit distance, when one is near. */
    private static String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : KEYS) {
            int d = editDistance(key, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 5) ? "; did you mean " + best + "?" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
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

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** The topic catalog with this deployment's name, partition and replication overrides. */
    public TopicCatalog catalog() {
        TopicCatalog base = values.containsKey(CATALOG) ? TopicCatalog.load(Path.of(values.get(CATALOG))) : TopicCatalog.bundled();
        int replicationValue = values.containsKey(REPLICATION) ? positiveInt(REPLICATION) : 0;
        if (replicationValue > Short.MAX_VALUE) {
            throw new ConfigException(REPLICATION + ": " + config.shown(REPLICATION) + " is larger than Kafka allows ("
                    + Short.MAX_VALUE + ")");
        }
        short replication = (short) replicationValue;
        int partitions = values.containsKey(PARTITIONS) ? positiveInt(PARTITIONS) : 0;
        return base.map(spec -> {
            var s = spec.withName(values.getOrDefault(TOPIC_PREFIX + spec.role(), spec.name()));
            s = replication > 0 ? s.withReplicationFactor(replication) : s;
            return partitions > 0 ? s.withPartitions(partitions) : s;
        });
    }

    public TopologySettings topologySettings() {
        WireFormat format;
        try {
            format = WireFormat.parse(get(WIRE_FORMAT, "json"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(WIRE_FORMAT + ": " + config.shown(WIRE_FORMAT) + " is not json or avro");
        }
        SeverityPolicy severity = SeverityPolicy.standard();
        if (values.containsKey(SEVERITY)) {
            severity = severity.withDefaults(thresholds(SEVERITY));
        }
        for (String key : values.keySet()) {
            if (key.startsWith(SEVERITY + ".")) {
                severity = severity.withCurrency(key.substring(SEVERITY.length() + 1), thresholds(key));
            }
        }
        for (String key : List.of(HORIZON, DEDUPE, MAX_AHEAD)) {
            if (values.containsKey(key) && duration(key, Duration.ZERO).isNegative()) {
                throw new ConfigException(key + ": must not be negative");
            }
        }
        if (values.containsKey(REPLAY_INTERVAL) && (duration(REPLAY_INTERVAL, Duration.ZERO).isZero() || duration(REPLAY_INTERVAL, Duration.ZERO).isNegative())) {
            throw new ConfigException(REPLAY_INTERVAL + ": must be positive");
        }
        try {
            return new TopologySettings(catalog(), format, new BundledSchemaResolver(),
                    duration(HORIZON, TopologySettings.DEFAULT_HORIZON),
                    duration(DEDUPE, TopologySettings.DEFAULT_ALERT_DEDUPE),
                    instant(EARLIEST, TopologySettings.DEFAULT_EARLIEST),
                    duration(MAX_AHEAD, TopologySettings.DEFAULT_MAX_AHEAD),
                    severity, detectionSettings(), riskSettings(),
                    duration(REPLAY_INTERVAL, TopologySettings.DEFAULT_REPLAY_INTERVAL));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.redactor().redact(e.getMessage()));
        }
    }

    /**
     * Scoring schedule and thresholds; the scorer itself is added by the runner from {@link #scoring()} (loading
     * models is I/O, which the settings do not do).
     */
    private RiskSettings riskSettings() {
        Duration interval = duration(SCORING_INTERVAL, RiskSettings.DEFAULT_SCORING_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            throw new ConfigException(SCORING_INTERVAL + ": must be positive");
        }
        Duration routineDelay = duration(SCORING_ROUTINE_DELAY, RiskSettings.DEFAULT_ROUTINE_DELAY);
        if (routineDelay.isNegative()) {
            throw new ConfigException(SCORING_ROUTINE_DELAY + ": must not be negative");
        }
        RiskThresholds d = RiskThresholds.DEFAULTS;
        RiskThresholds thresholds;
        try {
            thresholds = new RiskThresholds(probability(RISK_HIGH_ENTER, d.highEnter()), probability(RISK_HIGH_EXIT, d.highExit()),
                    probability(RISK_MEDIUM, d.medium()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(RISK_HIGH_ENTER + ", " + RISK_HIGH_EXIT + ", " + RISK_MEDIUM + ": "
                    + config.redactor().redact(e.getMessage()));
        }
        RiskPublishing p = RiskPublishing.DEFAULTS;
        RiskPublishing publishing;
        try {
            publishing = new RiskPublishing(probability(PUBLISH_MIN_PROBABILITY_CHANGE, p.minProbabilityChange()),
                    decimal(PUBLISH_MIN_REVENUE_CHANGE, BigDecimal.valueOf(p.minRevenueChange())).doubleValue(),
                    duration(PUBLISH_MAX_AGE, p.maxAge()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("leakwatch.scoring.publish.*: " + config.redactor().redact(e.getMessage()));
        }
        return new RiskSettings(null, interval, routineDelay,
                false, thresholds, publishing);
    }

    /**
     * Where the models are and whether to score: {@code leakwatch.scoring.enabled} when set, otherwise true exactly
     * when {@code leakwatch.models.dir} holds at least one model version ({@code <model>/v<N>/}).
     */
    public ScoringConfig scoring() {
        Path dir = values.containsKey(MODELS_DIR) ? Path.of(values.get(MODELS_DIR)) : ScoringConfig.defaultModelsDir();
        Duration poll = duration(MODELS_POLL, DEFAULT_MODELS_POLL);
        if (poll.isZero() || poll.isNegative()) {
            throw new ConfigException(MODELS_POLL + ": must be positive");
        }
        boolean enabled;
        String text = values.get(SCORING_ENABLED);
        if (text == null) {
            enabled = ScoringConfig.hasModelVersions(dir);
        } else if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            enabled = Boolean.parseBoolean(text);
        } else {
            throw new ConfigException(SCORING_ENABLED + ": " + config.shown(SCORING_ENABLED) + " is not true or false");
        }
        return new ScoringConfig(enabled, dir, poll);
    }

    private double probability(String key, double fallback) {
        double value = decimal(key, BigDecimal.valueOf(fallback)).doubleValue();
        if (value > 1) {
            throw new ConfigException(key + ": " + config.shown(key) + " is not a probability between 0 and 1");
        }
        return value;
    }

    private DetectionSettings detectionSettings() {
        DetectionSettings d = DetectionSettings.defaults();
        BaselineSettings b = d.baseline();
        return new DetectionSettings(
                duration(PERIOD_CLOSE_GRACE, d.periodCloseGrace()),
                duration(DUPLICATE_WINDOW, d.duplicateWindow()),
                duration(PAYMENT_GRACE, d.paymentGrace()),
                duration(PAYMENT_RETRY_WINDOW, d.paymentRetryWindow()),
                duration(PAYMENT_TERMS, d.defaultPaymentTerms()),
                decimal(UNATTRIBUTED_MIN_AMOUNT, d.unattributedMinAmount()),
                decimal(UNATTRIBUTED_MIN_SHARE, d.unattributedMinShare()),
                new BaselineSettings(
                        intValue(BASELINE_WINDOW, b.window()),
                        intValue(BASELINE_MIN_PERIODS, b.minPeriods()),
                        decimal(BASELINE_Z, BigDecimal.valueOf(b.zThreshold())).doubleValue(),
                        intValue(BASELINE_HISTORY, b.historyPeriods()),
                        intValue(EROSION_PERIODS, b.erosionPeriods()),
                        decimal(EROSION_THRESHOLD, BigDecimal.valueOf(b.erosionThreshold())).doubleValue(),
                        decimal(BASELINE_MIN_RELATIVE_STD, BigDecimal.valueOf(b.minRelativeStd())).doubleValue(),
                        decimal(BASELINE_MIN_RELATIVE_STD_DROP, BigDecimal.valueOf(b.minRelativeStdDrop())).doubleValue(),
                        decimal(EROSION_TREND_Z, BigDecimal.valueOf(b.erosionTrendZ())).doubleValue(),
                        duration(BASELINE_REVISION_GRACE, b.revisionGrace())));
    }

    private int intValue(String key, int fallback) {
        return values.containsKey(key) ? positiveInt(key) : fallback;
    }

    private BigDecimal decimal(String key, BigDecimal fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": " + config.shown(key) + " is not a non-negative number");
        }
    }

    /** Kafka client and Streams properties: everything not under {@code leakwatch.}, plus Leakwatch's defaults. */
    public Properties kafkaProperties() {
        Properties props = StreamsProperties.with(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch"));
        List<String> kafkaKeys = new ArrayList<>();
        values.forEach((k, v) -> {
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

    private Duration duration(String key, Duration fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + config.shown(key) + " is not a duration such as 30s, 7d or P7D");
        }
    }

    private Instant instant(String key, Instant fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": " + config.shown(key) + " is not an ISO-8601 instant such as 2000-01-01T00:00:00Z");
        }
    }

    private int positiveInt(String key) {
        try {
            int value = Integer.parseInt(values.get(key));
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": " + config.shown(key) + " is not a positive whole number");
        }
    }

    private SeverityPolicy.Thresholds thresholds(String key) {
        try {
            return SeverityPolicy.Thresholds.parse(values.get(key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": expected three amounts 'medium,high,critical', got " + config.shown(key));
        }
    }

    /** A configuration mistake; the message is one line for the user. */
    public static final class ConfigException extends BadConfigException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
