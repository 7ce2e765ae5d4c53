package io.leakwatch.config;

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
 * Resolves references in config values: {@code ${env:NAME}} is the environment variable NAME, {@code ${file:/path}}
 * is the content of the file (trailing newline removed). A value may be a reference or contain one
 * ({@code https://hooks.slack.com/services/${env:HOOK_PATH}}). Every resolved value is remembered as a {@link Secret},
 * so the {@link #redactor()} can mask it wherever it shows up.
 *
 * <p>A reference to a provider the file declares for the Kafka clients themselves ({@code config.providers=file}:
 * Kafka's own {@code ${file:/path:key}}) is left for them to resolve.
 */
public final class SecretResolver {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    private static final Pattern ANY_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+):[^}]*}");

    /** What an unresolvable reference stands for in a dry run: shaped like a URL, so a webhook route still parses. */
    public static final String UNRESOLVED = "https://unresolved.invalid/dry-run";

    private final Function<String, String> environment;
    private final Set<String> kafkaProviders;
    /** Keys whose unresolvable references stand for {@link #UNRESOLVED}; null except in a dry run. */
    private final java.util.function.Predicate<String> lenientKeys;
    private final Set<Secret> resolved = new LinkedHashSet<>();

    public SecretResolver(Function<String, String> environment) {
        this(environment, Set.of());
    }

    /**
     * @param kafkaProviders the names in the file's {@code config.providers}: references to them are the Kafka
     *                       clients' to resolve
     */
    public SecretResolver(Function<String, String> environment, Set<String> kafkaProviders) {
        this(environment, kafkaProviders, null);
    }

    private SecretResolver(Function<String, String> environment, Set<String> kafkaProviders,
                           java.util.function.Predicate<String> lenientKeys) {
        this.environment = environment;
        this.kafkaProviders = Set.copyOf(kafkaProviders);
        this.lenientKeys = lenientKeys;
    }

    /**
     * For a dry run, which sends nothing: in the keys {@code sendingKeys} accepts (those of what would be sent to),
     * a reference to an unset variable or an unreadable file stands for {@link #UNRESOLVED} instead of failing, so
     * those secrets need not be there to see what would be sent. Other keys (the Kafka clients') resolve as usual.
     */
    public static SecretResolver forDryRun(Function<String, String> environment,
                                           java.util.function.Predicate<String> sendingKeys) {
        return new SecretResolver(environment, Set.of(), sendingKeys);
    }

    public static SecretResolver fromSystem() {
        return new SecretResolver(System::getenv);
    }

    /** The same environment, leaving references to these providers to the Kafka clients. */
    public SecretResolver leavingToKafka(Set<String> providers) {
        return new SecretResolver(environment, providers, lenientKeys);
    }

    /** True when the value refers to the environment, a file or a Kafka config provider: a secret once resolved. */
    public boolean hasReference(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = ANY_REFERENCE.matcher(value);
        while (m.find()) {
            if (m.group(1).equals("env") || m.group(1).equals("file") || kafkaProviders.contains(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    /** Where the references of a value point, safe to show: {@code env:NAME}, {@code file:/path}, ... */
    public String sources(String value) {
        return ANY_REFERENCE.matcher(value).results().map(r -> r.group().substring(2, r.group().length() - 1))
                .reduce((a, b) -> a + "," + b).orElse("");
    }

    /**
     * @param key the config key, for the error message
     * @return the value with every reference to the environment or a file replaced
     * @throws BadConfigException when a variable is unset or a file unreadable
     */
    public String resolve(String key, String value) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (kafkaProviders.contains(m.group(1))) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String replacement = lookup(key, m.group(1), m.group(2).trim());
            resolved.add(new Secret(replacement, m.group(1) + ":" + m.group(2).trim()));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Resolves a value that is a secret as a whole, even if written inline. */
    public Secret secret(String key, String value) {
        String source = hasReference(value) ? sources(value) : "inline in " + key;
        Secret secret = new Secret(resolve(key, value), source);
        resolved.add(secret);
        return secret;
    }

    private String lookup(String key, String kind, String name) {
        try {
            return lookupOrFail(key, kind, name);
        } catch (BadConfigException e) {
            if (lenientKeys != null && lenientKeys.test(key)) {
                return UNRESOLVED;
            }
            throw e;
        }
    }

    /** Whether this resolver is a dry run's ({@link #forDryRun}). */
    public boolean isDryRun() {
        return lenientKeys != null;
    }

    private String lookupOrFail(String key, String kind, String name) {
        if (kind.equals("env")) {
            String value = environment.apply(name);
            if (value == null || value.isBlank()) {
                throw new BadConfigException(key + " refers to environment variable " + name + ", which is not set");
            }
            return value.strip();
        }
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8).strip();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new BadConfigException(key + " refers to file " + name + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Masks every secret resolved so far. */
    public Redactor redactor() {
        return new Redactor(resolved);
    }
}
