package io.leakwatch.slack;

import io.leakwatch.config.Durations;
import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.ConfigValues;
import io.leakwatch.config.KafkaSettingsCheck;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.config.Redactor;
import io.leakwatch.config.Secret;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.events.Severity;
import io.leakwatch.serde.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The slack-bridge config file: a Java properties file. Keys starting with {@code slack.} configure the bridge;
 * {@code leakwatch.wire.format} says how alerts are encoded (every {@code leakwatch.} key is read as {@link LeakwatchKeys}
 * defines it, so a file shared with {@code run} is checked the same way); every other key is a Kafka client property passed
 * through unchanged ({@code bootstrap.servers}, SASL/SSL settings, {@code group.id}, ...). Any value may contain
 * {@code ${env:NAME}} or {@code ${file:/path}}; secrets are handled as in every config file ({@link ConfigValues}).
 * The format is documented in {@code docs/slack.md}.
 */
public record SlackBridgeConfig(
        Properties kafka,
        String groupId,
        WireFormat wireFormat,
        String alertsTopic,
        String deliveredTopic,
        String deadLetterTopic,
        boolean createTopics,
        String apiUrl,
        Optional<Secret> botToken,
        Router router,
        Optional<LinkTemplate> link,
        double ratePerSecond,
        int burst,
        RetryPolicy retry,
        int stormThreshold,
        Duration stormWindow,
        Duration httpTimeout,
        int maxPending,
        Redactor redactor) {

    public static final String DEFAULT_GROUP_ID = "leakwatch-slack-bridge";

    private static final Set<String> GLOBAL_KEYS = Set.of(
            "slack.alerts.topic", "slack.delivered.topic", "slack.dead-letter.topic", "slack.create-topics",
            "slack.api-url", "slack.bot-token", "slack.link-template", "slack.routes",
            "slack.default.channel", "slack.default.webhook",
            "slack.floor.min-severity", "slack.floor.min-amount",
            "slack.rate.per-second", "slack.rate.burst",
            "slack.retry.initial-backoff", "slack.retry.max-backoff", "slack.retry.max-attempts",
            "slack.storm.threshold", "slack.storm.window", "slack.http.timeout", "slack.max-pending");
    private static final Set<String> ROUTE_FIELDS =
            Set.of("channel", "webhook", "types", "min-severity", "min-amount", "accounts");

    public static SlackBridgeConfig load(Path file) {
        return load(file, System::getenv);
    }

    public static SlackBridgeConfig load(Path file, Function<String, String> environment) {
        Properties props = new Properties();
        try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadConfigException("config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new BadConfigException("cannot read config file " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new BadConfigException("config file " + file + " is not a valid properties file: " + e.getMessage());
        }
        try {
            return parse(props, new SecretResolver(environment));
        } catch (BadConfigException e) {
            throw new BadConfigException("config " + file + ": " + e.getMessage());
        }
    }

    /** @throws BadConfigException naming the key, never showing a secret */
    public static SlackBridgeConfig parse(Properties props, SecretResolver secrets) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            if (key.startsWith("slack.") && !GLOBAL_KEYS.contains(key) && !isRouteKey(key)) {
                throw new BadConfigException("unknown key " + key + " (see docs/slack.md)");
            }
            raw.put(key, props.getProperty(key).trim());
        }
        ConfigValues values = ConfigValues.resolve(raw, secrets);
        try {
            return parse(values);
        } catch (BadConfigException e) {
            // route names and other values echoed in a message may have come from the environment
            throw new BadConfigException(values.redactor().redact(e.getMessage()));
        }
    }

    private static SlackBridgeConfig parse(ConfigValues values) {
        Values r = new Values(values);
        Properties kafka = new Properties();
        List<String> kafkaKeys = new ArrayList<>();
        values.asMap().forEach((key, value) -> {
            if (!key.startsWith("slack.") && !key.startsWith("leakwatch.")) {
                kafka.setProperty(key, value);
                kafkaKeys.add(key);
            }
        });
        if (kafka.getProperty("bootstrap.servers", "").isBlank()) {
            throw new BadConfigException("bootstrap.servers is not set");
        }
        KafkaSettingsCheck.check(kafkaKeys, values, EnumSet.of(KafkaSettingsCheck.Client.CONSUMER,
                KafkaSettingsCheck.Client.PRODUCER, KafkaSettingsCheck.Client.ADMIN));
        String groupId = kafka.getProperty("group.id", DEFAULT_GROUP_ID);
        kafka.remove("group.id");

        WireFormat wire = WireFormat.parse(LeakwatchKeys.DEFINITION.parse(values).string(LeakwatchKeys.WIRE_FORMAT));
        Optional<Secret> botToken = r.secret("slack.bot-token");

        List<String> order = r.list("slack.routes");
        Set<String> declared = new LinkedHashSet<>();
        for (String key : values.asMap().keySet()) {
            if (isRouteKey(key)) {
                declared.add(key.substring("slack.route.".length(), key.lastIndexOf('.')));
            }
        }
        for (String name : declared) {
            if (!order.contains(name)) {
                throw new BadConfigException("route '" + name + "' is configured but not listed in slack.routes");
            }
        }
        if (new LinkedHashSet<>(order).size() != order.size()) {
            throw new BadConfigException("slack.routes lists a route twice: " + String.join(",", order));
        }
        List<Route> routes = new ArrayList<>();
        for (String name : order) {
            String p = "slack.route." + name + ".";
            Destination destination = r.destination(p + "channel", p + "webhook", botToken)
                    .orElseThrow(() -> new BadConfigException("route '" + name + "' needs " + p + "channel or " + p + "webhook"));
            routes.add(new Route(name, destination, Set.copyOf(r.list(p + "types")),
                    r.severity(p + "min-severity").orElse(null),
                    r.parsed(p + "min-amount", "", AmountThreshold::parse),
                    Set.copyOf(r.list(p + "accounts"))));
        }
        Optional<Route> defaultRoute = r.destination("slack.default.channel", "slack.default.webhook", botToken)
                .map(d -> Route.catchAll("default", d));
        if (routes.isEmpty() && defaultRoute.isEmpty()) {
            throw new BadConfigException("no destination: set slack.default.channel or slack.default.webhook, or list routes in slack.routes");
        }
        Router router = new Router(routes, defaultRoute, r.severity("slack.floor.min-severity").orElse(Severity.INFO),
                r.parsed("slack.floor.min-amount", "", AmountThreshold::parse));

        Optional<LinkTemplate> link = r.optional("slack.link-template").map(t -> r.parsed("slack.link-template", t, LinkTemplate::new));
        double rate = r.parsed("slack.rate.per-second", "1", Double::parseDouble);
        int burst = r.parsed("slack.rate.burst", "1", Integer::parseInt);
        if (!(rate > 0) || burst < 1) {
            throw new BadConfigException("slack.rate.per-second must be > 0 and slack.rate.burst >= 1");
        }
        RetryPolicy retry;
        try {
            retry = new RetryPolicy(r.parsed("slack.retry.initial-backoff", "1s", Durations::parse),
                    r.parsed("slack.retry.max-backoff", "1m", Durations::parse),
                    r.parsed("slack.retry.max-attempts", "8", Integer::parseInt));
        } catch (IllegalArgumentException e) {
            throw new BadConfigException("slack.retry.*: " + values.redactor().redact(e.getMessage()));
        }
        int stormThreshold = r.parsed("slack.storm.threshold", "10", Integer::parseInt);
        Duration stormWindow = r.parsed("slack.storm.window", "1m", Durations::parse);
        if (stormThreshold < 1 || stormWindow.isZero() || stormWindow.isNegative()) {
            throw new BadConfigException("slack.storm.threshold must be >= 1 and slack.storm.window > 0");
        }
        return new SlackBridgeConfig(kafka, groupId, wire,
                r.optional("slack.alerts.topic").orElse("alerts"),
                r.optional("slack.delivered.topic").orElse("slack-delivered"),
                r.optional("slack.dead-letter.topic").orElse("slack-dead-letter"),
                r.parsed("slack.create-topics", "true", SlackBridgeConfig::bool),
                r.parsed("slack.api-url", "https://slack.com/api/", v -> {
                    if (!v.startsWith("https://") && !v.startsWith("http://")) {
                        throw new IllegalArgumentException("must be an http(s) URL");
                    }
                    return v;
                }),
                botToken, router, link, rate, burst, retry, stormThreshold, stormWindow,
                r.parsed("slack.http.timeout", "10s", Durations::parse),
                r.parsed("slack.max-pending", "1000", Integer::parseInt),
                values.redactor());
    }

    private static boolean isRouteKey(String key) {
        if (!key.startsWith("slack.route.")) {
            return false;
        }
        String rest = key.substring("slack.route.".length());
        int dot = rest.lastIndexOf('.');
        return dot > 0 && ROUTE_FIELDS.contains(rest.substring(dot + 1));
    }

    private static boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    @Override
    public String toString() {
        return redactor.redact("SlackBridgeConfig[group=" + groupId + ", alerts=" + alertsTopic + ", routes="
                + router.routes().stream().map(rt -> rt.name() + "->" + rt.destination()).collect(Collectors.joining(","))
                + ", default=" + router.defaultRoute().map(Route::destination).map(Object::toString).orElse("none")
                + ", botToken=" + botToken.map(Secret::toString).orElse("none") + "]");
    }

    /** Reads typed values with one-line errors that name the key and never show a secret. */
    private record Values(ConfigValues values) {
        Optional<String> optional(String key) {
            String v = values.get(key);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
        }

        <T> T parsed(String key, String fallback, Function<String, T> parser) {
            String v = optional(key).orElse(fallback);
            try {
                return parser.apply(v);
            } catch (IllegalArgumentException e) {
                // a parser's reason quotes the value, or a piece of it: none for a secret
                boolean hideReason = values.isSecret(key) || e.getMessage() == null || e.getMessage().startsWith("For input");
                throw new BadConfigException(key + ": " + values.shown(key) + " is invalid"
                        + (hideReason ? "" : " (" + e.getMessage() + ")"));
            }
        }

        List<String> list(String key) {
            return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .orElse(List.of());
        }

        Optional<Severity> severity(String key) {
            return optional(key).map(v -> {
                try {
                    return Severity.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new BadConfigException(key + ": " + values.shown(key) + " is not one of "
                            + Arrays.stream(Severity.values()).map(Enum::name).collect(Collectors.joining(", ")));
                }
            });
        }

        Optional<Secret> secret(String key) {
            return optional(key).flatMap(v -> values.secret(key));
        }

        Optional<Destination> destination(String channelKey, String webhookKey, Optional<Secret> botToken) {
            Optional<String> channel = optional(channelKey);
            Optional<Secret> webhook = secret(webhookKey);
            if (channel.isPresent() && webhook.isPresent()) {
                throw new BadConfigException("set either " + channelKey + " or " + webhookKey + ", not both");
            }
            if (channel.isPresent() && botToken.isEmpty()) {
                throw new BadConfigException(channelKey + " posts with chat.postMessage, which needs slack.bot-token");
            }
            if (webhook.isPresent() && !webhook.get().reveal().matches("https?://.+")) {
                throw new BadConfigException(webhookKey + " must be an incoming-webhook URL (https://hooks.slack.com/...)");
            }
            return channel.<Destination>map(Destination.Channel::new).or(() -> webhook.map(Destination.Webhook::new));
        }
    }
}
