package io.leakwatch.slack;

import io.leakwatch.cli.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves references to secrets in config values: {@code ${env:NAME}} is the environment variable NAME,
 * {@code ${file:/path}} is the content of the file (trailing newline removed). A value may be a reference or
 * contain one ({@code https://hooks.slack.com/services/${env:HOOK_PATH}}). Every resolved value is remembered,
 * so the {@link #redactor()} can mask it wherever it shows up.
 */
public final class SecretResolver {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private final Function<String, String> environment;
    private final Set<Secret> resolved = new LinkedHashSet<>();

    public SecretResolver(Function<String, String> environment) {
        this.environment = environment;
    }

    public static SecretResolver fromSystem() {
        return new SecretResolver(System::getenv);
    }

    /** True when the value refers to a secret, i.e. should be treated as one even after resolution. */
    public static boolean hasReference(String value) {
        return value != null && REFERENCE.matcher(value).find();
    }

    /**
     * @param key the config key, for the error message
     * @return the value with every reference replaced
     * @throws UserException when a variable is unset or a file unreadable
     */
    public String resolve(String key, String value) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = lookup(key, m.group(1), m.group(2).trim());
            resolved.add(new Secret(replacement, m.group(1) + ":" + m.group(2).trim()));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Resolves a value that is a credential: the whole result is a secret, even if written inline. */
    public Secret secret(String key, String value) {
        String source = hasReference(value) ? REFERENCE.matcher(value).results().map(r -> r.group(1) + ":" + r.group(2))
                .reduce((a, b) -> a + "," + b).orElse("inline") : "inline in " + key;
        Secret secret = new Secret(resolve(key, value), source);
        resolved.add(secret);
        return secret;
    }

    private String lookup(String key, String kind, String name) {
        if (kind.equals("env")) {
            String value = environment.apply(name);
            if (value == null || value.isBlank()) {
                throw new UserException(key + " refers to environment variable " + name + ", which is not set");
            }
            return value.strip();
        }
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UserException(key + " refers to file " + name + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Masks every secret resolved so far. */
    public Redactor redactor() {
        return new Redactor(resolved);
    }
}
