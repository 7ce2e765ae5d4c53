package io.leakwatch.slack;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.leakwatch.config.ConfigDefinition;
import io.leakwatch.config.ConfigTypes;
import io.leakwatch.config.KeyFamily;
import io.leakwatch.events.Severity;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The one definition of every {@code slack.} key of the bridge's config file, in the form of {@code LeakwatchKeys}
 * (a Kafka {@link ConfigDef} and the route families); docs/slack.md's table of keys is made from it. An empty value is
 * the same as no value.
 */
public final class SlackBridgeKeys {
    public static final String PREFIX = "slack.";
    public static final String ALERTS_TOPIC = "slack.alerts.topic";
    public static final String DELIVERED_TOPIC = "slack.delivered.topic";
    public static final String DEAD_LETTER_TOPIC = "slack.dead-letter.topic";
    public static final String CREATE_TOPICS = "slack.create-topics";
    public static final String API_URL = "slack.api-url";
    public static final String BOT_TOKEN = "slack.bot-token";
    public static final String LINK_TEMPLATE = "slack.link-template";
    public static final String FLOOR_MIN_SEVERITY = "slack.floor.min-severity";
    public static final String FLOOR_MIN_AMOUNT = "slack.floor.min-amount";
    public static final String ROUTES = "slack.routes";
    public static final String DEFAULT_CHANNEL = "slack.default.channel";
    public static final String DEFAULT_WEBHOOK = "slack.default.webhook";
    public static final String RATE_PER_SECOND = "slack.rate.per-second";
    public static final String RATE_BURST = "slack.rate.burst";
    public static final String RETRY_INITIAL_BACKOFF = "slack.retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = "slack.retry.max-backoff";
    public static final String RETRY_MAX_ATTEMPTS = "slack.retry.max-attempts";
    public static final String STORM_THRESHOLD = "slack.storm.threshold";
    public static final String STORM_WINDOW = "slack.storm.window";
    public static final String HTTP_TIMEOUT = "slack.http.timeout";
    public static final String MAX_PENDING = "slack.max-pending";
    public static final String ENDPOINT_ENABLED = "slack.endpoint.enabled";
    public static final String ENDPOINT_BIND = "slack.endpoint.bind";
    public static final String ENDPOINT_PORT = "slack.endpoint.port";
    public static final String READINESS_MAX_POLL_GAP = "slack.endpoint.readiness.max-poll-gap";

    private static final String ROUTE = "slack.route.";
    private static final String NAME = "<name>";
    private static final ConfigDef.Validator SEVERITY = ConfigTypes.oneOf(
            Arrays.stream(Severity.values()).map(Enum::name).toArray(String[]::new));
    private static final ConfigDef.Validator AMOUNT = ConfigTypes.parsedBy("an amount, or amounts by currency",
            "500, '500, JPY 50000' or 'USD 500, EUR 450'", AmountThreshold::parse);
    private static final ConfigDef.Validator LIST = ConfigTypes.any("a comma list");
    private static final ConfigDef.Validator URL = ConfigTypes.parsedBy("an http(s) URL", "https://slack.com/api/",
            text -> {
                if (!text.startsWith("https://") && !text.startsWith("http://")) {
                    throw new IllegalArgumentException();
                }
            });

    public static final KeyFamily ROUTE_CHANNEL = new KeyFamily(ROUTE, NAME, ".channel", ConfigTypes.any("a channel"),
            "—", "the route's channel, posted to with `chat.postMessage` (needs `slack.bot-token`); set this or `.webhook`");
    public static final KeyFamily ROUTE_WEBHOOK = new KeyFamily(ROUTE, NAME, ".webhook", ConfigTypes.any("an incoming-webhook URL"),
            "—", "the route's incoming webhook (a secret); set this or `.channel`");
    public static final KeyFamily ROUTE_TYPES = new KeyFamily(ROUTE, NAME, ".types", LIST, "any",
            "alert types the route takes");
    public static final KeyFamily ROUTE_MIN_SEVERITY = new KeyFamily(ROUTE, NAME, ".min-severity", SEVERITY, "any",
            "lowest severity the route takes");
    public static final KeyFamily ROUTE_MIN_AMOUNT = new KeyFamily(ROUTE, NAME, ".min-amount", AMOUNT, "any",
            "minimum absolute amount the route takes");
    public static final KeyFamily ROUTE_ACCOUNTS = new KeyFamily(ROUTE, NAME, ".accounts", LIST, "any",
            "account ids the route takes");

    public static final ConfigDefinition DEFINITION = ConfigDefinition.builder(PREFIX, "Slack bridge", "see docs/slack.md")
            .blankIsUnset()
            .group("Topics")
            .define(ALERTS_TOPIC, STRING, "alerts", ConfigTypes.any("a topic name"), HIGH, "topic read")
            .define(DELIVERED_TOPIC, STRING, "slack-delivered", ConfigTypes.any("a topic name"), MEDIUM,
                    "compacted topic: per alert id, what Slack shows (revision, status, message ts)")
            .define(DEAD_LETTER_TOPIC, STRING, "slack-dead-letter", ConfigTypes.any("a topic name"), MEDIUM,
                    "where undeliverable alerts and changes go")
            .define(CREATE_TOPICS, STRING, "true", ConfigTypes.parsedBy("true or false (or yes or no)", "",
                    SlackBridgeKeys::bool), LOW, "create the two topics above if missing")
            .group("Slack")
            .define(API_URL, STRING, "https://slack.com/api/", URL, LOW, "Web API prefix (tests point it at a loopback server)")
            .defineComputed(BOT_TOKEN, STRING, "—", ConfigTypes.any("a bot token"), HIGH,
                    "`xoxb-…`; required if any route names a channel")
            .defineComputed(LINK_TEMPLATE, STRING, "—", ConfigTypes.parsedBy("an http(s) URL with {placeholders}",
                    "https://billing.example.com/accounts/{account_id}", LinkTemplate::new), LOW,
                    "link into your billing system, e.g. `https://billing.example.com/accounts/{account_id}/invoices/{invoice_id}`")
            .group("Routing")
            .define(FLOOR_MIN_SEVERITY, STRING, Severity.INFO.name(), SEVERITY, MEDIUM,
                    "alerts below are not posted (counted, logged at debug)")
            .defineComputed(FLOOR_MIN_AMOUNT, STRING, "—", AMOUNT, MEDIUM,
                    "minimum absolute amount; alerts below are not posted")
            .defineComputed(ROUTES, STRING, "—", LIST, HIGH, "route names, in the order they are tried")
            .family(ROUTE_CHANNEL)
            .family(ROUTE_WEBHOOK)
            .family(ROUTE_TYPES)
            .family(ROUTE_MIN_SEVERITY)
            .family(ROUTE_MIN_AMOUNT)
            .family(ROUTE_ACCOUNTS)
            .defineComputed(DEFAULT_CHANNEL, STRING, "—", ConfigTypes.any("a channel"), HIGH,
                    "where alerts go when no route matches (set this or `.webhook`); without either they are not"
                    + " posted (counted as unrouted)")
            .defineComputed(DEFAULT_WEBHOOK, STRING, "—", ConfigTypes.any("an incoming-webhook URL"), HIGH,
                    "the same, through an incoming webhook (a secret)")
            .group("Pace")
            .define(RATE_PER_SECOND, STRING, "1", ConfigTypes.positiveNumber(), MEDIUM, "per-channel token bucket: rate ...")
            .define(RATE_BURST, INT, 1, ConfigTypes.positiveInt(), MEDIUM, "... and burst")
            .define(RETRY_INITIAL_BACKOFF, STRING, "1s", ConfigTypes.positiveDuration(), LOW,
                    "first backoff after a 5xx or network error ...")
            .define(RETRY_MAX_BACKOFF, STRING, "1m", ConfigTypes.duration(), LOW,
                    "... the longest (at least the first) ...")
            .define(RETRY_MAX_ATTEMPTS, INT, 8, ConfigTypes.positiveInt(), LOW, "... and the attempts")
            .define(STORM_THRESHOLD, INT, 10, ConfigTypes.positiveInt(), MEDIUM,
                    "storm control, for new alerts and changes alike: this many ...")
            .define(STORM_WINDOW, STRING, "1m", ConfigTypes.positiveDuration(), MEDIUM, "... within this")
            .define(HTTP_TIMEOUT, STRING, "10s", ConfigTypes.duration(), LOW, "per HTTP call")
            .define(MAX_PENDING, INT, 1000, ConfigTypes.wholeNumber(), LOW,
                    "alerts waiting for Slack before consumption pauses")
            .group("Metrics and health (HTTP)")
            .define(ENDPOINT_ENABLED, STRING, "true", ConfigTypes.parsedBy("true or false (or yes or no)", "",
                    SlackBridgeKeys::bool), MEDIUM, "serve `/metrics` (Prometheus), `/health/live` and `/health/ready`"
                    + " over HTTP")
            .define(ENDPOINT_BIND, STRING, "0.0.0.0", ConfigTypes.any("a host name or IP address"), LOW,
                    "the address it listens on")
            .define(ENDPOINT_PORT, INT, 8081, ConfigTypes.port(), MEDIUM,
                    "its port (`0`: a free one, named in the log line `serving metrics and health on ...`)")
            .define(READINESS_MAX_POLL_GAP, STRING, "1m", ConfigTypes.positiveDuration(), LOW,
                    "`/health/ready` answers 503 when the bridge has not polled the alerts topic for longer than this")
            .build();

    private SlackBridgeKeys() {
    }

    static boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }
}
