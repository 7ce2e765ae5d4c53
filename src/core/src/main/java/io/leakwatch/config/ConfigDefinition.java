package io.leakwatch.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every key under one prefix of a config file, as a Kafka {@link ConfigDef} (name, type, default, validator,
 * importance, group, documentation) plus the {@link KeyFamily families} whose keys end in a name of the user's. It
 * reads a file's keys ({@link #parse}), refusing a key under the prefix it does not define (with the nearest one it
 * does) and a value its validator refuses, each in one line that names the key and never shows a secret; and it writes
 * the reference table of the README ({@link #markdownTable()}), so the defaults and documentation have one source.
 */
public final class ConfigDefinition {
    private final String prefix;
    private final String what;
    private final String reference;
    private final ConfigDef def;
    private final List<KeyFamily> families;
    /** Key names and family patterns in the order of the reference. */
    private final List<String> order;
    private final boolean blankIsUnset;

    private ConfigDefinition(Builder b) {
        this.prefix = b.prefix;
        this.what = b.what;
        this.reference = b.reference;
        this.def = b.def;
        this.families = List.copyOf(b.families);
        this.order = List.copyOf(b.order);
        this.blankIsUnset = b.blankIsUnset;
    }

    /**
     * @param prefix    the keys this definition owns, e.g. {@code leakwatch.}
     * @param what      whose settings they are, for "K is not a WHAT setting"
     * @param reference where the keys are documented, for the same line
     */
    public static Builder builder(String prefix, String what, String reference) {
        return new Builder(prefix, what, reference);
    }

    /** The Kafka definition of the whole-name keys. */
    public ConfigDef configDef() {
        return def;
    }

    public List<KeyFamily> families() {
        return families;
    }

    public String prefix() {
        return prefix;
    }

    /** Every whole-name key, sorted. */
    public SortedSet<String> keys() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(def.names()));
    }

    /**
     * Checks and reads this definition's keys of a file; the file's other keys are left alone.
     *
     * @throws BadConfigException for the first key under the prefix that is not defined and for the first value its
     *                            validator refuses: "KEY: 'VALUE' is not ALLOWED", or {@code ****(env:NAME)} for a secret
     */
    public ParsedConfig parse(ConfigValues values) {
        Map<String, String> own = new LinkedHashMap<>();
        for (String key : new TreeSet<>(values.asMap().keySet())) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            if (!def.configKeys().containsKey(key) && families.stream().noneMatch(f -> f.matches(key))) {
                throw new BadConfigException(key + " is not " + article(what) + " setting" + closest(key) + " (" + reference + ")");
            }
            String value = values.get(key);
            if (!(blankIsUnset && value.isBlank())) {
                own.put(key, value);
            }
        }
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            if (own.containsKey(key.name)) {
                parsed.put(key.name, checked(key.name, own.get(key.name), key.type, key.validator, values));
            } else {
                parsed.put(key.name, key.defaultValue);
            }
        }
        own.forEach((key, value) -> families.stream().filter(f -> f.matches(key)).findFirst()
                .ifPresent(f -> checked(key, value, ConfigDef.Type.STRING, f.validator(), values)));
        return new ParsedConfig(own, parsed, values);
    }

    private static Object checked(String key, String value, ConfigDef.Type type, ConfigDef.Validator validator,
                                  ConfigValues values) {
        try {
            Object parsed = ConfigDef.parseType(key, value, type);
            if (validator != null) {
                validator.ensureValid(key, parsed);
            }
            return parsed;
        } catch (ConfigException e) {
            // Kafka's message repeats the value, which may be a secret: the line is made of what may be shown
            String allowed = validator instanceof ConfigTypes.Allowed a ? a.inError() : allowed(type, validator);
            throw new BadConfigException(key + ": " + values.shown(key) + " is not " + allowed);
        }
    }

    private static String allowed(ConfigDef.Type type, ConfigDef.Validator validator) {
        if (validator != null) {
            return validator.toString();
        }
        return switch (type) {
            case INT, LONG, SHORT -> "a whole number";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            default -> "a valid " + type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String article(String what) {
        return ("AEIOU".indexOf(Character.toUpperCase(what.charAt(0))) >= 0 ? "an " : "a ") + what;
    }

    /** "; did you mean K?" for the defined key nearest {@code key} by edit distance, when one is near. */
    private String closest(String key) {
        List<String> known = new ArrayList<>(def.names());
        for (KeyFamily f : families) {
            // slack.route.ops.chanel: the family's key with the user's name, slack.route.ops.channel
            String rest = key.startsWith(f.prefix()) ? key.substring(f.prefix().length()) : "";
            boolean named = !f.suffix().isEmpty() && rest.lastIndexOf('.') > 0;
            known.add(named ? f.prefix() + rest.substring(0, rest.lastIndexOf('.')) + f.suffix() : f.pattern());
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(known)) {
            int d = editDistance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 5) ? "; did you mean " + best + "?" : "";
    }

    /** Levenshtein distance (no library on the classpath offers one that is not deprecated). */
    static int editDistance(String a, String b) {
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

    /**
     * The reference table, one row per key and family in the order they were defined: key, default, the values
     * allowed, and the documentation.
     */
    public String markdownTable() {
        StringBuilder out = new StringBuilder("| key | default | values | meaning |\n|---|---|---|---|\n");
        for (String name : order) {
            ConfigDef.ConfigKey key = def.configKeys().get(name);
            if (key != null) {
                row(out, name, shownDefault(key), allowed(key.type, key.validator), key.documentation);
            } else {
                KeyFamily f = families.stream().filter(x -> x.pattern().equals(name)).findFirst().orElseThrow();
                row(out, name, f.defaultText(), f.validator().toString(), f.documentation());
            }
        }
        return out.toString();
    }

    private static String shownDefault(ConfigDef.ConfigKey key) {
        if (key.alternativeString != null) {
            return key.alternativeString;
        }
        return key.defaultValue == null ? "—" : "`" + ConfigDef.convertToString(key.defaultValue, key.type) + "`";
    }

    private static void row(StringBuilder out, String name, String defaultText, String allowed, String doc) {
        out.append("| `").append(name).append("` | ").append(cell(defaultText)).append(" | ").append(cell(allowed))
                .append(" | ").append(cell(doc)).append(" |\n");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** Defines the keys in the order of the reference. */
    public static final class Builder {
        private final String prefix;
        private final String what;
        private final String reference;
        private final ConfigDef def = new ConfigDef();
        private final List<KeyFamily> families = new ArrayList<>();
        private final List<String> order = new ArrayList<>();
        private String group = "";
        private boolean blankIsUnset;
        private int orderInGroup;

        private Builder(String prefix, String what, String reference) {
            this.prefix = prefix;
            this.what = what;
            this.reference = reference;
        }

        /** A key written with an empty value is left at its default, as if it were not written. */
        public Builder blankIsUnset() {
            this.blankIsUnset = true;
            return this;
        }

        /** The group of the keys defined next. */
        public Builder group(String name) {
            this.group = name;
            this.orderInGroup = 0;
            return this;
        }

        /** A key with a default. */
        public Builder define(String name, ConfigDef.Type type, Object defaultValue, ConfigDef.Validator validator,
                              ConfigDef.Importance importance, String documentation) {
            return define(name, type, defaultValue, null, validator, importance, documentation);
        }

        /**
         * A key whose default the code works out when it is not set (null here): {@code shownDefault} says what it is
         * in the reference.
         */
        public Builder defineComputed(String name, ConfigDef.Type type, String shownDefault, ConfigDef.Validator validator,
                                      ConfigDef.Importance importance, String documentation) {
            return define(name, type, null, shownDefault, validator, importance, documentation);
        }

        private Builder define(String name, ConfigDef.Type type, Object defaultValue, String shownDefault,
                               ConfigDef.Validator validator, ConfigDef.Importance importance, String documentation) {
            if (!name.startsWith(prefix)) {
                throw new IllegalArgumentException(name + " is not under " + prefix);
            }
            def.define(name, type, defaultValue, validator, importance, documentation, group, ++orderInGroup,
                    ConfigDef.Width.MEDIUM, name, List.of(), null, shownDefault);
            order.add(name);
            return this;
        }

        public Builder family(KeyFamily family) {
            families.add(family);
            order.add(family.pattern());
            return this;
        }

        public ConfigDefinition build() {
            return new ConfigDefinition(this);
        }
    }
}
