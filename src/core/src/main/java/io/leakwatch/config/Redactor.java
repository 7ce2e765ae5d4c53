package io.leakwatch.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Replaces every known secret value in a piece of text with {@code ****}, and every value that looks like one
 * ({@link SecretPatterns}). Anything that may carry a config value, a URL or a server's answer (error messages,
 * exception messages, HTTP bodies, dead-letter reasons, dry-run output) goes through it before it is shown, logged
 * or written to a topic. A secret is also found in its JSON-escaped form ({@code =} as {@code \u003d}, as Gson writes
 * it in the Slack payloads a dry run prints).
 *
 * <p>Values shorter than {@value #MIN_MASKED_LENGTH} characters are not searched for: masking every "1" of a
 * message because {@code slack.rate.per-second} came from the environment would make it unreadable, and such a
 * value is not a credential. They are still {@link Secret}s, which no config error shows.
 */
public final class Redactor {
    public static final String MASK = "****";
    static final int MIN_MASKED_LENGTH = 4;

    private final List<String> secrets;

    public Redactor(Collection<Secret> secrets) {
        // longest first, so a secret that contains another is masked whole
        TreeSet<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        secrets.stream().map(Secret::reveal).filter(v -> v.length() >= MIN_MASKED_LENGTH).forEach(v -> {
            values.add(v);
            values.add(jsonEscaped(v));
        });
        this.secrets = List.copyOf(values);
    }

    private Redactor(String[] values) {
        this.secrets = List.of(values);
    }

    /** Masks what either masks: a command that loads two config files shows neither file's secrets. */
    public Redactor and(Redactor other) {
        TreeSet<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        values.addAll(secrets);
        values.addAll(other.secrets);
        return new Redactor(values.toArray(String[]::new));
    }

    /** The text as a JSON string holds it, with the HTML-safe escapes Gson uses by default. */
    static String jsonEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<', '>', '&', '=', '\'' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Masks only what looks like a secret: no value is known. */
    public static Redactor none() {
        return new Redactor(List.of());
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return SecretPatterns.mask(result);
    }
}
