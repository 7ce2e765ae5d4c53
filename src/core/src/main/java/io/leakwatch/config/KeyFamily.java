package io.leakwatch.config;

import org.apache.kafka.common.config.ConfigDef;

/**
 * Keys with a name of the user's in them: {@code leakwatch.topic.<role>}, {@code leakwatch.severity.thresholds.<CCY>},
 * {@code slack.route.<name>.channel}. A {@link ConfigDef} holds only whole names, so a family is defined next to it,
 * with the same parts.
 *
 * @param prefix        every key of the family starts with this ...
 * @param placeholder   ... goes on with a name, shown in the reference as this, e.g. {@code <role>} ...
 * @param suffix        ... and ends with this ("" for none)
 * @param validator     what each value must be
 * @param defaultText   the default as the reference shows it
 * @param documentation what the keys do
 */
public record KeyFamily(String prefix, String placeholder, String suffix, ConfigDef.Validator validator,
                        String defaultText, String documentation) {
    /** A family whose keys end with the name. */
    public KeyFamily(String prefix, String placeholder, ConfigDef.Validator validator, String defaultText,
                     String documentation) {
        this(prefix, placeholder, "", validator, defaultText, documentation);
    }

    public boolean matches(String key) {
        return key.startsWith(prefix) && key.endsWith(suffix) && key.length() > prefix.length() + suffix.length();
    }

    /** The name in a key of the family: {@code invoices} in {@code leakwatch.topic.invoices}. */
    public String name(String key) {
        return key.substring(prefix.length(), key.length() - suffix.length());
    }

    /** The family's key in the reference: {@code leakwatch.topic.<role>}. */
    public String pattern() {
        return prefix + placeholder + suffix;
    }
}
