package io.leakwatch.slack;

import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.ConfigValues;
import io.leakwatch.config.KafkaSettingsCheck;
import io.leakwatch.config.KeyFamily;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.config.ParsedConfig;
import io.leakwatch.config.Redactor;
import io.leakwatch.config.Secret;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.events.Severity;
import io.leakwatch.registry.SchemaRegistryConfig;
import io.leakwatch.serde.SchemaResolver;
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
 * The slack-bridge config file: a Java properties file. Keys starting with {@code slack.} configure the bridge, as
 * {@link SlackBridgeKeys} defines them; {@code leakwatch.wire.format} says how alerts are encoded, and
 * {@code leakwatch.schema-registry.*} where their Avro schema ids are resolved (every
 * {@code leakwatch.} key is read as {@link LeakwatchKeys} defines it, as {@code run} reads it); every other key is a
 * Kafka client property passed through unchanged ({@code bootstrap.servers}, SASL/SSL settings, {@code group.id},
 * ...). Any value may contain {@code ${env:NAME}} or {@code ${file:/path}}; secrets are handled as in every config
 * file ({@link ConfigValues}). The format is documented in {@code docs/slack.md}.
 */
public record SlackBridgeConfig(
        Properties kafka,
        String groupId,
        WireFormat wireFormat,
        SchemaResolver schemas,
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
        Endpoint endpoint,
        Redactor redactor) {

    /**
     * The bridge's HTTP endpoint: metrics and health.
     *
     * @param maxPollGap the longest time without a poll for {@code /health/ready} to pass
     */
    public record Endpoint(boolean enabled, String bind, int port, Duration maxPollGap) {
    }

    public static final String DEFAULT_GROUP_ID = "leakwatch-slack-bridge";

    public static SlackBridgeConfig load(Path file) {
        return load(file, System::getenv);
    }

    public static SlackBridgeConfig load(Path file, Function<String, String> environment) {
        return load(file, environment, false);
    }

    /**
     * @param dryRun nothing will be sent: secrets that cannot be resolved stand for a placeholder, and channel routes
     *               need no bot token
     */
    public static SlackBridgeConfig load(Path file, Function<String, String> environment, boolean dryRun) {
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
            return parse(props, dryRun ? SecretResolver.forDryRun(environment, key -> key.startsWith(SlackBridgeKeys.PREFIX)) : new SecretResolver(environment));
        } catch (BadConfigException e) {
            throw new BadConfigException("config " + file + ": " + e.getMessage());
        }
    }

    /** @throws BadConfigException naming the key, never showing a secret */
    public static SlackBridgeConfig parse(Properties props, SecretResolver secrets) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            raw.put(key, props.getProperty(key).trim());
        }
        ConfigValues values = ConfigValues.resolve(raw, secrets);
        try {
            return parse(values, secrets.isDryRun());
        } catch (BadConfigException e) {
            // route names and other values echoed in a message may have come from the environment
            throw new BadConfigException(values.redactor().redact(e.getMessage()));
        }
    }

    private static SlackBridgeConfig parse(ConfigValues values, boolean dryRun) {
        ParsedConfig slack = SlackBridgeKeys.DEFINITION.parse(values);
        Properties kafka = new Properties();
        List<String> kafkaKeys = new ArrayList<>();
        values.asMap().forEach((key, value) -> {
            if (!key.startsWith(SlackBridgeKeys.PREFIX) && !key.startsWith(LeakwatchKeys.PREFIX)) {
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

        ParsedConfig leakwatch = LeakwatchKeys.DEFINITION.parse(values);
        WireFormat wire = WireFormat.parse(leakwatch.string(LeakwatchKeys.WIRE_FORMAT));
        SchemaResolver schemas = SchemaRegistryConfig.resolver(leakwatch, values);
        Optional<Secret> botToken = secret(slack, values, SlackBridgeKeys.BOT_TOKEN);
        if (botToken.isEmpty() && dryRun) {
            botToken = Optional.of(new Secret(SecretResolver.UNRESOLVED, "none (dry run)"));
        }

        List<String> order = list(slack.string(SlackBridgeKeys.ROUTES));
        Set<String> declared = new TreeSet<>();
        for (KeyFamily field : List.of(SlackBridgeKeys.ROUTE_CHANNEL, SlackBridgeKeys.ROUTE_WEBHOOK,
                SlackBridgeKeys.ROUTE_TYPES, SlackBridgeKeys.ROUTE_MIN_SEVERITY, SlackBridgeKeys.ROUTE_MIN_AMOUNT,
                SlackBridgeKeys.ROUTE_ACCOUNTS)) {
            declared.addAll(slack.family(field).keySet());
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
            Destination destination = destination(slack, values, p + "channel", p + "webhook", botToken)
                    .orElseThrow(() -> new BadConfigException("route '" + name + "' needs " + p + "channel or " + p + "webhook"));
            routes.add(new Route(name, destination, Set.copyOf(list(slack.family(SlackBridgeKeys.ROUTE_TYPES).get(name))),
                    severity(slack.family(SlackBridgeKeys.ROUTE_MIN_SEVERITY).get(name)),
                    AmountThreshold.parse(slack.family(SlackBridgeKeys.ROUTE_MIN_AMOUNT).getOrDefault(name, "")),
                    Set.copyOf(list(slack.family(SlackBridgeKeys.ROUTE_ACCOUNTS).get(name)))));
        }
        Optional<Route> defaultRoute = destination(slack, values, SlackBridgeKeys.DEFAULT_CHANNEL,
                SlackBridgeKeys.DEFAULT_WEBHOOK, botToken).map(d -> Route.catchAll("default", d));
        if (routes.isEmpty() && defaultRoute.isEmpty()) {
            throw new BadConfigException("no destination: set slack.default.channel or slack.default.webhook, or list routes in slack.routes");
        }
        Router router = new Router(routes, defaultRoute, severity(slack.string(SlackBridgeKeys.FLOOR_MIN_SEVERITY)),
                AmountThreshold.parse(Optional.ofNullable(slack.string(SlackBridgeKeys.FLOOR_MIN_AMOUNT)).orElse("")));

        Optional<LinkTemplate> link = Optional.ofNullable(slack.string(SlackBridgeKeys.LINK_TEMPLATE)).map(LinkTemplate::new);
        RetryPolicy retry;
        try {
            retry = new RetryPolicy(slack.duration(SlackBridgeKeys.RETRY_INITIAL_BACKOFF),
                    slack.duration(SlackBridgeKeys.RETRY_MAX_BACKOFF), slack.integer(SlackBridgeKeys.RETRY_MAX_ATTEMPTS));
        } catch (IllegalArgumentException e) {
            throw new BadConfigException("slack.retry.*: " + values.redactor().redact(e.getMessage()));
        }
        return new SlackBridgeConfig(kafka, groupId, wire, schemas,
                slack.string(SlackBridgeKeys.ALERTS_TOPIC),
                slack.string(SlackBridgeKeys.DELIVERED_TOPIC),
                slack.string(SlackBridgeKeys.DEAD_LETTER_TOPIC),
                SlackBridgeKeys.bool(slack.string(SlackBridgeKeys.CREATE_TOPICS)),
                slack.string(SlackBridgeKeys.API_URL),
                botToken, router, link,
                Double.parseDouble(slack.string(SlackBridgeKeys.RATE_PER_SECOND)),
                slack.integer(SlackBridgeKeys.RATE_BURST), retry,
                slack.integer(SlackBridgeKeys.STORM_THRESHOLD), slack.duration(SlackBridgeKeys.STORM_WINDOW),
                slack.duration(SlackBridgeKeys.HTTP_TIMEOUT), slack.integer(SlackBridgeKeys.MAX_PENDING),
                new Endpoint(SlackBridgeKeys.bool(slack.string(SlackBridgeKeys.ENDPOINT_ENABLED)),
                        slack.string(SlackBridgeKeys.ENDPOINT_BIND), slack.integer(SlackBridgeKeys.ENDPOINT_PORT),
                        slack.duration(SlackBridgeKeys.READINESS_MAX_POLL_GAP)),
                values.redactor());
    }

    private static List<String> list(String value) {
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A severity its key's validator accepted; null for none. */
    private static Severity severity(String value) {
        return value == null ? null : Severity.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    private static Optional<Secret> secret(ParsedConfig slack, ConfigValues values, String key) {
        return slack.isSet(key) ? values.secret(key) : Optional.empty();
    }

    private static Optional<Destination> destination(ParsedConfig slack, ConfigValues values, String channelKey,
                                                     String webhookKey, Optional<Secret> botToken) {
        Optional<String> channel = slack.isSet(channelKey) ? Optional.of(values.get(channelKey)) : Optional.empty();
        Optional<Secret> webhook = secret(slack, values, webhookKey);
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

    @Override
    public String toString() {
        return redactor.redact("SlackBridgeConfig[group=" + groupId + ", alerts=" + alertsTopic + ", routes="
                + router.routes().stream().map(rt -> rt.name() + "->" + rt.destination()).collect(Collectors.joining(","))
                + ", default=" + router.defaultRoute().map(Route::destination).map(Object::toString).orElse("none")
                + ", botToken=" + botToken.map(Secret::toString).orElse("none") + "]");
    }
}
