package io.leakwatch.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The values of one config file with {@code ${env:NAME}} and {@code ${file:/path}} resolved ({@link SecretResolver}),
 * and what may be shown of each. A value is a {@link Secret} when its key holds credentials ({@link SecretKeys}) or
 * when it came from the environment or a file: a config error about it names the key and where the value came from,
 * never the value. A value that looks like a Slack webhook URL or token ({@link SecretPatterns}) under a key that
 * holds no secret is refused, without being shown: it cannot be right there, and it would be printed.
 *
 * <p>{@code run}, {@code topics}, {@code backtest --config} ({@code LeakwatchConfig}) and {@code slack-bridge}
 * ({@code SlackBridgeConfig}) read their files through this class.
 */
public final class ConfigValues {
    /** The Kafka clients' own config providers (KIP-297); references to them are left to the clients. */
    public static final String KAFKA_CONFIG_PROVIDERS = "config.providers";

    private final Map<String, String> values;
    private final Map<String, Secret> secrets;
    private final Redactor redactor;

    private ConfigValues(Map<String, String> values, Map<String, Secret> secrets, Redactor redactor) {
        this.values = Collections.unmodifiableMap(values);
        this.secrets = Collections.unmodifiableMap(secrets);
        this.redactor = redactor;
    }

    /**
     * @param raw      the file's keys and values, as written (values trimmed)
     * @param resolver resolves the references
     * @throws BadConfigException when a reference cannot be resolved or a secret is written where none belongs
     */
    public static ConfigValues resolve(Map<String, String> raw, SecretResolver resolver) {
        SecretResolver references = resolver.leavingToKafka(kafkaProviders(raw.get(KAFKA_CONFIG_PROVIDERS)));
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        raw.forEach((key, text) -> {
            if (SecretKeys.isSecret(key) || references.hasReference(text)) {
                Secret secret = references.secret(key, text);
                secrets.put(key, secret);
                values.put(key, secret.reveal());
            } else {
                values.put(key, text);
            }
        });
        values.forEach((key, value) -> {
            if (!SecretKeys.isSecret(key) && SecretPatterns.looksLikeSecret(value)) {
                throw new BadConfigException(key + ": " + (secrets.containsKey(key) ? "the value of "
                        + secrets.get(key).source() : "the value") + " looks like a Slack webhook URL or token (not"
                        + " shown), which belongs only in slack.bot-token or slack.*.webhook of the slack-bridge config");
            }
        });
        return new ConfigValues(values, secrets, references.redactor());
    }

    /** Values given in code (tests, flags): nothing is resolved; secrets are still told by their keys. */
    public static ConfigValues of(Map<String, String> given) {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            if (SecretKeys.isSecret(key)) {
                secrets.put(key, new Secret(value, "inline in " + key));
            }
        });
        return new ConfigValues(new LinkedHashMap<>(given), secrets, new Redactor(secrets.values()));
    }

    private static Set<String> kafkaProviders(String declared) {
        if (declared == null) {
            return Set.of();
        }
        return Arrays.stream(declared.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The resolved value, or null. */
    public String get(String key) {
        return values.get(key);
    }

    public boolean isSecret(String key) {
        return secrets.containsKey(key);
    }

    public Optional<Secret> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /**
     * The value of {@code key} as an error message may show it: {@code 'value'}, or {@code ****(env:NAME)} for a
     * secret.
     */
    public String shown(String key) {
        Secret secret = secrets.get(key);
        return secret != null ? secret.toString() : "'" + redactor.redact(values.get(key)) + "'";
    }

    /** Masks the value of every secret (and whatever looks like one) in a text. */
    public Redactor redactor() {
        return redactor;
    }

    /** A copy with one more plain value (a flag that overrides the file). */
    public ConfigValues with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        Map<String, Secret> secretsCopy = new LinkedHashMap<>(secrets);
        secretsCopy.remove(key);
        return new ConfigValues(copy, secretsCopy, redactor);
    }
}
