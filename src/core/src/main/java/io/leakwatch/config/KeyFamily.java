package io.leakwatch.config;

import org.apache.kafka.common.config.ConfigDef;

/**
 * Keys that end in a name of the user's: {@code leakwatch.topic.<role>}, {@code leakwatch.severity.thresholds.<CCY>}.
 * A {@link ConfigDef} holds only whole names, so a family is defined next to it, with the same parts.
 *
 * @param prefix        every key of the family starts with this and goes on with the name
 * @param placeholder   the name in the reference, e.g. {@code <role>}
 * @param validator     what each value must be
 * @param defaultText   the default as the reference shows it
 * @param documentation what the keys do
 */
public record KeyFamily(String prefix, String placeholder, ConfigDef.Validator validator, String defaultText,
                        String documentation) {
    public boolean matches(String key) {
        return key.startsWith(prefix) && key.length() > prefix.length();
    }

    /** The family's key in the reference: {@code leakwatch.topic.<role>}. */
    public String pattern() {
        return prefix + placeholder;
    }
}
