package io.leakwatch.config;

import io.leakwatch.alerts.SeverityPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The value types Kafka's {@link ConfigDef.Type} does not have (durations in {@link Durations}' syntax, exact
 * decimals, instants, severity thresholds), as {@link ConfigDef.Validator}s over a {@code STRING} key, and the ranges
 * of Kafka's own types. Each says in words what it allows: that is the "values" column of the configuration reference
 * ({@link #toString()}) and, with examples, the end of the one error line for a value it refuses
 * ("KEY: 'VALUE' is not ALLOWED such as EXAMPLES", {@link Allowed#inError()}).
 */
public final class ConfigTypes {
    /** The syntax of {@link Durations}, which the reference states once under the table. */
    private static final String DURATION_EXAMPLES = "500ms, 30s, 5m, 1h, 90d, PT30S or P90D";

    private ConfigTypes() {
    }

    /**
     * A validator that accepts a value when {@code check} does not throw.
     *
     * @param allowed what it accepts, in a few words (the reference's "values" column)
     * @param example examples an error line adds to {@code allowed}, or ""
     */
    public record Allowed(String allowed, String example, Consumer<String> check) implements ConfigDef.Validator {
        Allowed(String allowed, Consumer<String> check) {
            this(allowed, "", check);
        }

        /** What an error line says is allowed. */
        public String inError() {
            return example.isEmpty() ? allowed : allowed + " such as " + example;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                check.accept(value.toString());
            } catch (RuntimeException e) {
                // the message is never shown: ConfigDefinition names the key and shows the value as it may be shown
                throw new ConfigException(name + " is not " + allowed);
            }
        }

        @Override
        public String toString() {
            return allowed;
        }
    }

    public static ConfigDef.Validator duration() {
        return new Allowed("a duration", DURATION_EXAMPLES, Durations::parse);
    }

    public static ConfigDef.Validator nonNegativeDuration() {
        return new Allowed("a duration of zero or more", DURATION_EXAMPLES, text -> require(!Durations.parse(text).isNegative()));
    }

    public static ConfigDef.Validator positiveDuration() {
        Consumer<String> check = text -> {
            Duration d = Durations.parse(text);
            require(!d.isZero() && !d.isNegative());
        };
        return new Allowed("a duration above zero", DURATION_EXAMPLES, check);
    }

    public static ConfigDef.Validator instant() {
        return new Allowed("an ISO-8601 instant", "2000-01-01T00:00:00Z", Instant::parse);
    }

    /** An exact decimal of zero or more, read as {@link BigDecimal}. */
    public static ConfigDef.Validator nonNegativeDecimal() {
        return new Allowed("a number of zero or more", text -> require(new BigDecimal(text).signum() >= 0));
    }

    public static ConfigDef.Validator probability() {
        Consumer<String> check = text -> {
            BigDecimal value = new BigDecimal(text);
            require(value.signum() >= 0 && value.compareTo(BigDecimal.ONE) <= 0);
        };
        return new Allowed("a probability from 0 to 1", check);
    }

    /** For an {@code INT} key. */
    public static ConfigDef.Validator positiveInt() {
        return new Allowed("a positive whole number", text -> require(Integer.parseInt(text) >= 1));
    }

    /** For an {@code INT} key. */
    public static ConfigDef.Validator intFromOneTo(int max) {
        Consumer<String> check = text -> {
            int value = Integer.parseInt(text);
            require(value >= 1 && value <= max);
        };
        return new Allowed("a whole number from 1 to " + max, check);
    }

    /** For an {@code INT} key holding a TCP port: 0 (any free port) to 65535. */
    public static ConfigDef.Validator port() {
        Consumer<String> check = text -> {
            int value = Integer.parseInt(text);
            require(value >= 0 && value <= 65_535);
        };
        return new Allowed("a port from 0 (any free port) to 65535", check);
    }

    /** For an {@code INT} key that takes zero or more. */
    public static ConfigDef.Validator nonNegativeInt() {
        return new Allowed("a whole number, 0 or more", text -> require(Integer.parseInt(text) >= 0));
    }

    /** For a {@code BOOLEAN} key: what Kafka's parser accepts, in words. */
    public static ConfigDef.Validator bool() {
        return new Allowed("true or false", text -> require(text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")));
    }

    /** One of {@code choices}, in any case. */
    public static ConfigDef.Validator oneOf(String... choices) {
        String allowed = choices.length == 2 ? choices[0] + " or " + choices[1]
                : "one of " + String.join(", ", choices);
        return new Allowed(allowed, text -> require(Arrays.stream(choices).anyMatch(c -> c.equalsIgnoreCase(text.trim()))));
    }

    /** The amounts at which a finding becomes MEDIUM, HIGH and CRITICAL. */
    public static ConfigDef.Validator severityThresholds() {
        return new Allowed("three amounts medium,high,critical", "100,1000,10000", SeverityPolicy.Thresholds::parse);
    }

    /** A value {@code check} accepts (it throws for any other), described by {@code allowed} and {@code example}. */
    public static ConfigDef.Validator parsedBy(String allowed, String example, Consumer<String> check) {
        return new Allowed(allowed, example, check);
    }

    /** A number above zero, read as a double. */
    public static ConfigDef.Validator positiveNumber() {
        return new Allowed("a number above zero", text -> require(Double.parseDouble(text) > 0));
    }

    /** For an {@code INT} key that takes any whole number. */
    public static ConfigDef.Validator wholeNumber() {
        return new Allowed("a whole number", Integer::parseInt);
    }

    /** Any text, described for the reference (a path, a topic name). */
    public static ConfigDef.Validator any(String allowed) {
        return new Allowed(allowed, text -> { });
    }

    /** How a duration default is written in the reference: {@code P90D} for whole days, else ISO-8601. */
    public static String format(Duration d) {
        return !d.isZero() && d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    /** How a decimal default is written in the reference and read back exactly. */
    public static String format(double d) {
        return BigDecimal.valueOf(d).toPlainString();
    }

    public static String format(SeverityPolicy.Thresholds t) {
        return java.util.stream.Stream.of(t.medium(), t.high(), t.critical()).map(BigDecimal::toPlainString)
                .collect(Collectors.joining(","));
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException();
        }
    }
}
