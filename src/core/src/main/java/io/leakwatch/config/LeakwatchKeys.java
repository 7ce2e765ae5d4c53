package io.leakwatch.config;

import static io.leakwatch.config.ConfigTypes.format;
import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.leakwatch.alerts.DetectorSwitches;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskThresholds;
import io.leakwatch.topology.DetectionSettings;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.TopologySettings;
import java.time.Duration;

/**
 * The one definition of every {@code leakwatch.} key of a config file: its type, default, allowed values, importance,
 * group and documentation. Every command that reads a config file ({@code run}, {@code topics}, {@code slack-bridge},
 * {@code backtest}, {@code features}, {@code anomalies}, {@code generate}) reads these keys through {@link #DEFINITION};
 * the README's configuration reference is {@link ConfigDefinition#markdownTable()} of it. The defaults are the code's
 * own ({@link TopologySettings}, {@link DetectionSettings}, {@link BaselineSettings}, {@link RiskSettings}, ...),
 * written as a file would write them.
 */
public final class LeakwatchKeys {
    public static final String PREFIX = "leakwatch.";
    public static final String WIRE_FORMAT = "leakwatch.wire.format";
    public static final String CATALOG = "leakwatch.topics.catalog";
    public static final String REPLICATION = "leakwatch.topics.replication-factor";
    public static final String PARTITIONS = "leakwatch.topics.partitions";
    public static final String HORIZON = "leakwatch.late.horizon";
    public static final String REPLAY_INTERVAL = "leakwatch.late.replay-interval";
    public static final String DEDUPE = "leakwatch.alerts.dedupe-retention";
    public static final String EARLIEST = "leakwatch.timestamps.earliest";
    public static final String MAX_AHEAD = "leakwatch.timestamps.max-ahead";
    public static final String SEVERITY = "leakwatch.severity.thresholds";
    public static final String PERIOD_CLOSE_GRACE = "leakwatch.periods.close-grace";
    public static final String DETECTORS_OFF = "leakwatch.detectors.off";
    public static final String DUPLICATE_WINDOW = "leakwatch.duplicates.window";
    public static final String PAYMENT_GRACE = "leakwatch.payments.grace";
    public static final String PAYMENT_RETRY_WINDOW = "leakwatch.payments.retry-window";
    public static final String PAYMENT_TERMS = "leakwatch.payments.default-terms";
    public static final String UNATTRIBUTED_MIN_AMOUNT = "leakwatch.unattributed.min-amount";
    public static final String UNATTRIBUTED_MIN_SHARE = "leakwatch.unattributed.min-share";
    public static final String BASELINE_WINDOW = "leakwatch.baseline.window";
    public static final String BASELINE_MIN_PERIODS = "leakwatch.baseline.min-periods";
    public static final String BASELINE_Z = "leakwatch.baseline.z-threshold";
    public static final String BASELINE_MIN_RELATIVE_STD = "leakwatch.baseline.min-relative-std";
    public static final String BASELINE_MIN_RELATIVE_STD_DROP = "leakwatch.baseline.min-relative-std-drop";
    public static final String BASELINE_MIN_RELATIVE_CHANGE = "leakwatch.baseline.min-relative-change";
    public static final String BASELINE_MIN_ABSOLUTE_CHANGE = "leakwatch.baseline.min-absolute-change";
    public static final String BASELINE_HISTORY = "leakwatch.baseline.history-periods";
    public static final String EROSION_PERIODS = "leakwatch.baseline.erosion-periods";
    public static final String EROSION_THRESHOLD = "leakwatch.baseline.erosion-threshold";
    public static final String EROSION_TREND_Z = "leakwatch.baseline.erosion-trend-z";
    public static final String BASELINE_REVISION_GRACE = "leakwatch.baseline.revision-grace";
    public static final String MODELS_DIR = "leakwatch.models.dir";
    public static final String MODELS_POLL = "leakwatch.models.poll-interval";
    public static final String MODELS_PIN = "leakwatch.models.pin";
    public static final String SCORING_ENABLED = "leakwatch.scoring.enabled";
    public static final String SCORING_INTERVAL = "leakwatch.scoring.interval";
    public static final String SCORING_ROUTINE_DELAY = "leakwatch.scoring.routine-delay";
    public static final String RISK_HIGH_ENTER = "leakwatch.scoring.high-enter";
    public static final String RISK_HIGH_EXIT = "leakwatch.scoring.high-exit";
    public static final String RISK_MEDIUM = "leakwatch.scoring.medium";
    public static final String PUBLISH_MIN_PROBABILITY_CHANGE = "leakwatch.scoring.publish.min-probability-change";
    public static final String PUBLISH_MIN_REVENUE_CHANGE = "leakwatch.scoring.publish.min-revenue-change";
    public static final String PUBLISH_MAX_AGE = "leakwatch.scoring.publish.max-age";
    public static final String HTTP_ENABLED = "leakwatch.http.enabled";
    public static final String HTTP_BIND = "leakwatch.http.bind";
    public static final String HTTP_PORT = "leakwatch.http.port";
    public static final String READINESS_MAX_LAG = "leakwatch.http.readiness.max-lag";
    public static final String HTTP_ADVERTISED = "leakwatch.http.advertised";
    public static final String HTTP_QUERY_TIMEOUT = "leakwatch.http.query.timeout";

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_READINESS_MAX_LAG = 10_000;
    public static final String REGISTRY_URL = "leakwatch.schema-registry.url";
    public static final String REGISTRY_AUTO_REGISTER = "leakwatch.schema-registry.auto-register";
    public static final String REGISTRY_SUBJECT_NAMING = "leakwatch.schema-registry.subject-naming";
    public static final String REGISTRY_USER_INFO = "leakwatch.schema-registry.basic-auth.user-info";
    public static final String REGISTRY_BEARER_TOKEN = "leakwatch.schema-registry.bearer-token";
    public static final String REGISTRY_TRUSTSTORE = "leakwatch.schema-registry.ssl.truststore.location";
    public static final String REGISTRY_TRUSTSTORE_PASSWORD = "leakwatch.schema-registry.ssl.truststore.password";
    public static final String REGISTRY_TRUSTSTORE_TYPE = "leakwatch.schema-registry.ssl.truststore.type";
    public static final String REGISTRY_KEYSTORE = "leakwatch.schema-registry.ssl.keystore.location";
    public static final String REGISTRY_KEYSTORE_PASSWORD = "leakwatch.schema-registry.ssl.keystore.password";
    public static final String REGISTRY_KEYSTORE_TYPE = "leakwatch.schema-registry.ssl.keystore.type";
    public static final String REGISTRY_TIMEOUT = "leakwatch.schema-registry.timeout";

    public static final Duration DEFAULT_MODELS_POLL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_REGISTRY_TIMEOUT = Duration.ofSeconds(10);

    /** {@code leakwatch.topic.<role>}: the name of a topic of the catalog. */
    public static final KeyFamily TOPIC_NAMES = new KeyFamily("leakwatch.topic.", "<role>",
            ConfigTypes.any("a topic name"), "catalog name", "rename a topic, e.g. `leakwatch.topic.invoices=billing.lines.v1`");
    /** {@code leakwatch.severity.thresholds.<CCY>}: the thresholds of one currency. */
    public static final KeyFamily CURRENCY_SEVERITY = new KeyFamily(SEVERITY + ".", "<CCY>",
            ConfigTypes.severityThresholds(), standardPerCurrency(), "per-currency thresholds");

    public static final ConfigDefinition DEFINITION = definition();

    private LeakwatchKeys() {
    }

    /** An empty value, or an absolute http(s) URL with a host and no user info (credentials have keys of their own). */
    private static void registryUrl(String text) {
        if (text.isBlank()) {
            return;
        }
        java.net.URI uri = java.net.URI.create(text.trim());
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException();
        }
    }

    /** Empty, {@code host} or {@code host:port}: where the other instances reach this one's HTTP endpoint. */
    private static void advertised(String text) {
        if (text.isBlank()) {
            return;
        }
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? t : t.substring(0, colon);
        if (host.isEmpty() || host.contains(":") || host.contains("/") || host.contains(" ")) {
            throw new IllegalArgumentException();
        }
        if (colon >= 0) {
            int port = Integer.parseInt(t.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException();
            }
        }
    }

    private static void userInfo(String text) {
        if (text.indexOf(':') <= 0) {
            throw new IllegalArgumentException();
        }
    }

    /** "JPY/KRW/HUF: `10000,100000,1000000`": the currencies of the standard policy, grouped by thresholds. */
    private static String standardPerCurrency() {
        java.util.Map<String, java.util.SortedSet<String>> byThresholds = new java.util.TreeMap<>();
        SeverityPolicy.standard().perCurrency().forEach((currency, t) ->
                byThresholds.computeIfAbsent(format(t), k -> new java.util.TreeSet<>()).add(currency));
        return byThresholds.entrySet().stream().map(e -> String.join("/", e.getValue()) + ": `" + e.getKey() + "`")
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private static ConfigDefinition definition() {
        DetectionSettings d = DetectionSettings.defaults();
        BaselineSettings b = d.baseline();
        RiskThresholds r = RiskThresholds.DEFAULTS;
        RiskPublishing p = RiskPublishing.DEFAULTS;
        return ConfigDefinition.builder(PREFIX, "Leakwatch", "every key is in the README's configuration reference")
                .group("Topics")
                .define(WIRE_FORMAT, STRING, "json", ConfigTypes.oneOf("json", "avro"), HIGH,
                        "encoding of the input topics and the alerts")
                .defineComputed(CATALOG, STRING, "bundled `topology/topics.json`", ConfigTypes.any("a file path"), MEDIUM,
                        "a catalog file of your own")
                .family(TOPIC_NAMES)
                .defineComputed(REPLICATION, INT, "catalog (1)", ConfigTypes.intFromOneTo(Short.MAX_VALUE), HIGH,
                        "replication for `topics create` (use 3 in production)")
                .defineComputed(PARTITIONS, INT, "catalog (4)", ConfigTypes.positiveInt(), HIGH,
                        "partitions for `topics create`")
                .group("Late data and timestamps")
                .define(HORIZON, STRING, format(TopologySettings.DEFAULT_HORIZON), ConfigTypes.nonNegativeDuration(), HIGH,
                        "how late a record may be and still re-judge what it changes; older records are dead-lettered as"
                        + " `late` (contract versions never are), findings judged longer ago are final, and input topics'"
                        + " retention must exceed it (`run` and `topics check`); see [docs/late-data.md](docs/late-data.md)")
                .define(REPLAY_INTERVAL, STRING, format(TopologySettings.DEFAULT_REPLAY_INTERVAL),
                        ConfigTypes.positiveDuration(), LOW,
                        "how often (wall clock) the accounts that received a late record are judged again")
                .define(DEDUPE, STRING, format(TopologySettings.DEFAULT_ALERT_DEDUPE), ConfigTypes.nonNegativeDuration(),
                        MEDIUM, "how long the last record of each alert id is remembered (its revisions continue from it)")
                .define(EARLIEST, STRING, TopologySettings.DEFAULT_EARLIEST.toString(), ConfigTypes.instant(), LOW,
                        "earlier business times are implausible")
                .define(MAX_AHEAD, STRING, format(TopologySettings.DEFAULT_MAX_AHEAD), ConfigTypes.nonNegativeDuration(),
                        LOW, "business times further beyond their partition's time are implausible")
                .group("Severity")
                .define(SEVERITY, STRING, format(SeverityPolicy.standard().defaults()), ConfigTypes.severityThresholds(),
                        MEDIUM, "the absolute amount at risk from which a finding is MEDIUM, HIGH, CRITICAL (below: LOW;"
                        + " zero: INFO)")
                .family(CURRENCY_SEVERITY)
                .group("Detection")
                .define(DETECTORS_OFF, STRING, "", ConfigTypes.parsedBy("a list of alert types separated by commas",
                                "UNPAID_INVOICE,UNDERPAYMENT", DetectorSwitches::parseOff), MEDIUM,
                        "alert types never raised, for data that cannot support their rule (e.g. no payments feed);"
                        + " empty: every detector on")
                .define(PERIOD_CLOSE_GRACE, STRING, format(d.periodCloseGrace()), ConfigTypes.duration(), MEDIUM,
                        "a billing period is judged (UNBILLED_USAGE, MISSING_INVOICE, PROVISIONING_MISMATCH, revenue"
                        + " baselines) this long after it ends")
                .define(DUPLICATE_WINDOW, STRING, format(d.duplicateWindow()), ConfigTypes.duration(), MEDIUM,
                        "two lines of the same charge issued within this of each other are a DUPLICATE_CHARGE")
                .define(PAYMENT_GRACE, STRING, format(d.paymentGrace()), ConfigTypes.duration(), MEDIUM,
                        "UNPAID_INVOICE and UNDERPAYMENT are judged this long after the due date")
                .define(PAYMENT_RETRY_WINDOW, STRING, format(d.paymentRetryWindow()), ConfigTypes.duration(), MEDIUM,
                        "a failed payment recovered within this is no FAILED_PAYMENT_NOT_RECOVERED")
                .define(PAYMENT_TERMS, STRING, format(d.defaultPaymentTerms()), ConfigTypes.duration(), MEDIUM,
                        "an invoice without `due_at` is due this long after it was issued")
                .define(UNATTRIBUTED_MIN_AMOUNT, STRING, d.unattributedMinAmount().toPlainString(),
                        ConfigTypes.nonNegativeDecimal(), MEDIUM,
                        "UNATTRIBUTED_REVENUE when a period's revenue billed to no contract reaches this amount (major"
                        + " units of its currency) ...")
                .define(UNATTRIBUTED_MIN_SHARE, STRING, d.unattributedMinShare().toPlainString(),
                        ConfigTypes.nonNegativeDecimal(), MEDIUM, "... or this share of what was billed")
                .group("Revenue baselines")
                .define(BASELINE_WINDOW, INT, b.window(), ConfigTypes.positiveInt(), MEDIUM,
                        "months in the trailing revenue baseline")
                .define(BASELINE_MIN_PERIODS, INT, b.minPeriods(), ConfigTypes.positiveInt(), MEDIUM,
                        "months of baseline needed before any judgement")
                .define(BASELINE_Z, STRING, format(b.zThreshold()), ConfigTypes.nonNegativeDecimal(), MEDIUM,
                        "absolute robust z (deviation from the baseline level in the account's own variation over the last 12 months)"
                        + " for REVENUE_SPIKE / REVENUE_DROP")
                .define(BASELINE_MIN_RELATIVE_STD, STRING, format(b.minRelativeStd()), ConfigTypes.nonNegativeDecimal(),
                        LOW, "noise floor: the deviation used in z is at least this share of the baseline level, for a"
                        + " month above it")
                .define(BASELINE_MIN_RELATIVE_STD_DROP, STRING, format(b.minRelativeStdDrop()),
                        ConfigTypes.nonNegativeDecimal(), LOW, "the same, for a month below it")
                .define(BASELINE_MIN_RELATIVE_CHANGE, STRING, format(b.minRelativeChange()),
                        ConfigTypes.nonNegativeDecimal(), MEDIUM,
                        "a spike or drop also moves at least this share of the baseline level ...")
                .define(BASELINE_MIN_ABSOLUTE_CHANGE, STRING, format(b.minAbsoluteChange()),
                        ConfigTypes.nonNegativeDecimal(), MEDIUM,
                        "... and at least this much a month (major units; x100 in a currency without minor units);"
                        + " an erosion must have lost as much")
                .define(BASELINE_HISTORY, INT, b.historyPeriods(), ConfigTypes.positiveInt(), LOW,
                        "months of revenue kept per account")
                .define(EROSION_PERIODS, INT, b.erosionPeriods(), ConfigTypes.positiveInt(), MEDIUM,
                        "length of the run of months judged for erosion")
                .define(EROSION_THRESHOLD, STRING, format(b.erosionThreshold()), ConfigTypes.nonNegativeDecimal(), MEDIUM,
                        "Theil-Sen decline over the run that is erosion")
                .define(EROSION_TREND_Z, STRING, format(b.erosionTrendZ()), ConfigTypes.nonNegativeDecimal(), LOW,
                        "Mann-Kendall Z (Hamed-Rao corrected) at or below minus this makes the decline significant")
                .define(BASELINE_REVISION_GRACE, STRING, format(b.revisionGrace()), ConfigTypes.duration(), LOW,
                        "after a month closed, late lines for it still re-judge it for this long")
                .group("Risk scoring")
                .defineComputed(MODELS_DIR, STRING, "`models` in the working directory, else the `models` beside the"
                        + " installation (the repository's for `./leakwatch`, `/opt/leakwatch/models` in the image)",
                        ConfigTypes.any("a directory"), HIGH,
                        "the models directory (`<model>/features.json`, `<model>/v<N>/{model.onnx,card.json,parity.jsonl}`,"
                        + " see [docs/risk-scoring.md](docs/risk-scoring.md)); a missing directory with scoring enabled is a"
                        + " start-up error")
                .define(MODELS_POLL, STRING, format(DEFAULT_MODELS_POLL), ConfigTypes.positiveDuration(), LOW,
                        "how often (wall clock) the models directory is re-read; a new valid version replaces the served"
                        + " one without a restart, an invalid one is logged once and ignored")
                .define(MODELS_PIN, STRING, "", ConfigTypes.parsedBy("model=v<N> pairs separated by commas",
                                "leakage_risk=v4,churn_risk=v4", io.leakwatch.scoring.ModelRegistry::parsePins), LOW,
                        "the version to serve of these models whatever else the directory holds (a roll-back, or holding"
                        + " a version back); a `<model>/pin` file in the models directory overrides it without a restart")
                .defineComputed(SCORING_ENABLED, BOOLEAN, "`true` when the models directory holds a model version",
                        ConfigTypes.bool(), HIGH,
                        "score accounts with the ONNX models (`account-risk` topic, HIGH_LEAKAGE_RISK / HIGH_CHURN_RISK"
                        + " alerts)")
                .define(SCORING_INTERVAL, STRING, format(RiskSettings.DEFAULT_SCORING_INTERVAL),
                        ConfigTypes.positiveDuration(), MEDIUM,
                        "stream-time interval between scoring ticks (accounts whose features changed)")
                .define(SCORING_ROUTINE_DELAY, STRING, format(RiskSettings.DEFAULT_ROUTINE_DELAY),
                        ConfigTypes.nonNegativeDuration(), MEDIUM,
                        "how long a routine change (usage, an invoice line, a payment that did not fail) may wait to be"
                        + " scored, never past the next period end (the 1st of the month, UTC, when the models were"
                        + " trained): by default routine changes wait for the period end, where every account under"
                        + " contract is scored in one batch whether it changed or not (its windows slide: an account gone"
                        + " silent gets a new score); a failed payment, a finding, a contract version or a provisioning"
                        + " change that lowers a level is scored at the next tick (a first level or a raise is routine);"
                        + " `P0D` scores every change at the next tick")
                .define(RISK_HIGH_ENTER, STRING, format(r.highEnter()), ConfigTypes.probability(), MEDIUM,
                        "an account's risk is High from this probability ...")
                .define(RISK_HIGH_EXIT, STRING, format(r.highExit()), ConfigTypes.probability(), MEDIUM,
                        "... until it falls below this (hysteresis, per account and model)")
                .define(RISK_MEDIUM, STRING, format(r.medium()), ConfigTypes.probability(), MEDIUM,
                        "an account's risk is Medium from this probability")
                .define(PUBLISH_MIN_PROBABILITY_CHANGE, STRING, format(p.minProbabilityChange()),
                        ConfigTypes.probability(), LOW, "a score is written to `account-risk` on a level or"
                        + " model-version change, when a probability moved this much since the last published record ...")
                .define(PUBLISH_MIN_REVENUE_CHANGE, STRING, format(p.minRevenueChange()), ConfigTypes.nonNegativeDecimal(),
                        LOW, "... when the monthly revenue moved this share ...")
                .define(PUBLISH_MAX_AGE, STRING, format(p.maxAge()), ConfigTypes.duration(), LOW,
                        "... or when that record is this old (stream time)")
                .group("Metrics, health and account queries (HTTP)")
                .define(HTTP_ENABLED, BOOLEAN, true, ConfigTypes.bool(), MEDIUM,
                        "`run` serves `/metrics` (Prometheus), `/health/live`, `/health/ready`, the account"
                                + " query API (`/api/...`) and the dashboard (`/dashboard/`) over HTTP; `false`: no HTTP"
                                + " server")
                .define(HTTP_BIND, STRING, "0.0.0.0", ConfigTypes.any("a host name or IP address"), LOW,
                        "the address the HTTP server listens on (`127.0.0.1`: this host only)")
                .define(HTTP_PORT, INT, DEFAULT_HTTP_PORT, ConfigTypes.port(), MEDIUM,
                        "the port of the HTTP server; `0` takes a free port (the log line `serving metrics and"
                                + " health on ...` names it)")
                .define(READINESS_MAX_LAG, INT, DEFAULT_READINESS_MAX_LAG, ConfigTypes.nonNegativeInt(), MEDIUM,
                        "`/health/ready` answers 503 while the input partitions this instance processes hold more"
                                + " than this many records it has not read yet (summed over its partitions)")
                .define(HTTP_ADVERTISED, STRING, "", ConfigTypes.parsedBy("empty, a host, or host:port",
                                "leakwatch-0.leakwatch:8080", LeakwatchKeys::advertised), MEDIUM,
                        "where the other instances reach this one's HTTP endpoint, given to Kafka Streams as"
                                + " `application.server` (the port defaults to the one served): the account query API"
                                + " forwards a request for an account to the instance that owns it and gathers rankings"
                                + " from all; required when several instances run; empty: `application.server` if set,"
                                + " else this instance answers from its own stores only; see"
                                + " [docs/query-api.md](docs/query-api.md)")
                .define(HTTP_QUERY_TIMEOUT, STRING, format(Duration.ofSeconds(10)), ConfigTypes.positiveDuration(),
                        LOW, "how long a query forwarded to another instance may take before the answer is 503")
                .group("Schema registry")
                .defineComputed(REGISTRY_URL, STRING, "none: the bundled ids", ConfigTypes.parsedBy(
                                "an http(s) URL without credentials, or empty",
                                "https://registry.example.com:8081", LeakwatchKeys::registryUrl), HIGH,
                        "with `leakwatch.wire.format=avro`: resolve and register schema ids through this schema"
                        + " registry's REST API (Confluent Schema Registry, Apicurio's `/apis/ccompat/v7`, Redpanda);"
                        + " empty: the ids bundled in the jar (no registry); see"
                        + " [docs/schema-registry.md](docs/schema-registry.md)")
                .define(REGISTRY_AUTO_REGISTER, BOOLEAN, true, ConfigTypes.bool(), MEDIUM,
                        "register the schemas Leakwatch writes under their subjects; `false`: only look them up, and"
                        + " refuse to start when one is not registered")
                .define(REGISTRY_SUBJECT_NAMING, STRING, "topic", ConfigTypes.oneOf("topic", "record", "topic-record"),
                        MEDIUM, "subject of a value schema: `topic` = `<topic>-value` (TopicNameStrategy), `record` ="
                        + " the record's full name, `topic-record` = `<topic>-<full name>`")
                .defineComputed(REGISTRY_USER_INFO, STRING, "—", ConfigTypes.parsedBy("user:password", "",
                                LeakwatchKeys::userInfo), HIGH,
                        "HTTP basic authentication, `user:password` (a secret: use `${env:NAME}` or `${file:/path}`)")
                .defineComputed(REGISTRY_BEARER_TOKEN, STRING, "—", ConfigTypes.any("a token"), HIGH,
                        "HTTP bearer authentication (a secret); set this or the basic user info, not both")
                .defineComputed(REGISTRY_TRUSTSTORE, STRING, "the JDK's trusted CAs", ConfigTypes.any("a file path"),
                        MEDIUM, "trust store for an `https` registry URL")
                .defineComputed(REGISTRY_TRUSTSTORE_PASSWORD, STRING, "—", ConfigTypes.any("a password"), MEDIUM,
                        "its password (a secret)")
                .define(REGISTRY_TRUSTSTORE_TYPE, STRING, "PKCS12", ConfigTypes.oneOf("PKCS12", "JKS"), LOW,
                        "its type")
                .defineComputed(REGISTRY_KEYSTORE, STRING, "—", ConfigTypes.any("a file path"), LOW,
                        "key store for a registry that asks for a client certificate (mutual TLS)")
                .defineComputed(REGISTRY_KEYSTORE_PASSWORD, STRING, "—", ConfigTypes.any("a password"), LOW,
                        "its password, also the key's (a secret)")
                .define(REGISTRY_KEYSTORE_TYPE, STRING, "PKCS12", ConfigTypes.oneOf("PKCS12", "JKS"), LOW, "its type")
                .define(REGISTRY_TIMEOUT, STRING, format(DEFAULT_REGISTRY_TIMEOUT), ConfigTypes.positiveDuration(), LOW,
                        "connect and per-request timeout of registry calls")
                .build();
    }
}
