package io.leakwatch.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The keys of one {@link ConfigDefinition} in a config file, every value checked against its definition and every
 * key left out at its default. The getters read the values as their types; a value they read has passed its
 * validator, so they do not fail.
 */
public final class ParsedConfig {
    private final Map<String, String> values;
    private final Map<String, Object> parsed;
    private final ConfigValues source;

    ParsedConfig(Map<String, String> values, Map<String, Object> parsed, ConfigValues source) {
        this.values = values;
        this.parsed = parsed;
        this.source = source;
    }

    /** True when the file sets {@code key} (a default is not set). */
    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /** The value, or the default; null when neither. */
    public String string(String key) {
        Object value = parsed.get(key);
        return value == null ? null : value.toString();
    }

    public Duration duration(String key) {
        return Durations.parse(string(key));
    }

    public BigDecimal decimal(String key) {
        return new BigDecimal(string(key));
    }

    public Instant instant(String key) {
        return Instant.parse(string(key));
    }

    /** An {@code INT} key; null when unset without a default. */
    public Integer integer(String key) {
        return (Integer) parsed.get(key);
    }

    /** A {@code BOOLEAN} key; null when unset without a default. */
    public Boolean bool(String key) {
        return (Boolean) parsed.get(key);
    }

    /** The keys of a family the file sets, by the name in them, in order of name. */
    public SortedMap<String, String> family(KeyFamily family) {
        SortedMap<String, String> found = new TreeMap<>();
        values.forEach((key, value) -> {
            if (family.matches(key)) {
                found.put(family.name(key), value);
            }
        });
        return Collections.unmodifiableSortedMap(found);
    }

    /** The value of {@code key} as an error may show it ({@link ConfigValues#shown}). */
    public String shown(String key) {
        return source.shown(key);
    }

    /** Masks the secrets of the file in a message. */
    public Redactor redactor() {
        return source.redactor();
    }
}
