package io.leakwatch.slack;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces every known secret value in a piece of text with {@code ****}. Anything that may carry a URL or a
 * server's answer (exception messages, HTTP bodies, dead-letter reasons) goes through it before it is logged or
 * written to a topic.
 */
public final class Redactor {
    public static final String MASK = "****";

    private final List<String> secrets;

    public Redactor(Set<Secret> secrets) {
        // longest first, so a secret that contains another is masked whole
        TreeSet<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        secrets.stream().map(Secret::reveal).filter(v -> !v.isEmpty()).forEach(values::add);
        this.secrets = List.copyOf(values);
    }

    public static Redactor none() {
        return new Redactor(Set.of());
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
