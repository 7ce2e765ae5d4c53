package io.leakwatch.registry;

import io.leakwatch.config.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a schema registry and how to use it.
 *
 * @param url          the REST API's base, e.g. {@code https://registry:8081} or Apicurio's
 *                     {@code https://apicurio/apis/ccompat/v7}
 * @param auth         the credentials sent with every call
 * @param trustStore   the CAs an {@code https} registry's certificate is checked against; empty: the JDK's
 * @param keyStore     the client certificate for a registry that asks for one
 * @param autoRegister register the schemas written under their subjects; false: only look them up
 * @param naming       which subject a topic's value schema is under
 * @param timeout      connect and per-request timeout
 */
public record SchemaRegistrySettings(URI url, Auth auth, Optional<Store> trustStore, Optional<Store> keyStore,
                                     boolean autoRegister, SubjectNaming naming, Duration timeout) {
    public SchemaRegistrySettings {
        Objects.requireNonNull(url);
        Objects.requireNonNull(auth);
        Objects.requireNonNull(naming);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the registry timeout must be positive");
        }
    }

    /** No credentials, no TLS settings, auto-registration, {@code <topic>-value} subjects, a 10 s timeout. */
    public static SchemaRegistrySettings of(URI url) {
        return new SchemaRegistrySettings(url, Auth.NONE, Optional.empty(), Optional.empty(), true, SubjectNaming.TOPIC,
                Duration.ofSeconds(10));
    }

    public SchemaRegistrySettings withAuth(Auth value) {
        return new SchemaRegistrySettings(url, value, trustStore, keyStore, autoRegister, naming, timeout);
    }

    public SchemaRegistrySettings withAutoRegister(boolean value) {
        return new SchemaRegistrySettings(url, auth, trustStore, keyStore, value, naming, timeout);
    }

    public SchemaRegistrySettings withTrustStore(Store value) {
        return new SchemaRegistrySettings(url, auth, Optional.of(value), keyStore, autoRegister, naming, timeout);
    }

    public SchemaRegistrySettings withTimeout(Duration value) {
        return new SchemaRegistrySettings(url, auth, trustStore, keyStore, autoRegister, naming, value);
    }

    /** The URL as messages show it: scheme, host, port and path, nothing else. */
    public String shownUrl() {
        return shown(url);
    }

    static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** The credentials of every call; their {@code toString} never shows them. */
    public sealed interface Auth {
        Auth NONE = new None();

        /** The {@code Authorization} header's value; empty for none. */
        Optional<String> header();

        record None() implements Auth {
            @Override
            public Optional<String> header() {
                return Optional.empty();
            }
        }

        /** HTTP basic: {@code user:password}. */
        record Basic(Secret userInfo) implements Auth {
            @Override
            public Optional<String> header() {
                return Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString(
                        userInfo.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }

        /** HTTP bearer: a token (e.g. an OAuth access token). */
        record Bearer(Secret token) implements Auth {
            @Override
            public Optional<String> header() {
                return Optional.of("Bearer " + token.reveal());
            }
        }
    }

    /**
     * A key or trust store file.
     *
     * @param key  the config key that names it, for errors
     * @param type {@code PKCS12} or {@code JKS}
     */
    public record Store(String key, Path location, Optional<Secret> password, String type) {
    }
}
