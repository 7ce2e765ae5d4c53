package io.leakwatch.registry;

import static io.leakwatch.config.LeakwatchKeys.*;

import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.ConfigValues;
import io.leakwatch.config.Durations;
import io.leakwatch.config.ParsedConfig;
import io.leakwatch.config.Secret;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.SchemaResolver;
import io.leakwatch.serde.WireFormat;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code leakwatch.schema-registry.*} keys of a config file (defined in {@code LeakwatchKeys}, shared by
 * {@code run}, {@code topics}, {@code generate} and {@code slack-bridge}) read as {@link SchemaRegistrySettings}, and
 * the schema resolver they make: the registry's when {@code leakwatch.schema-registry.url} is set, the bundled ids
 * otherwise. Building the resolver calls nothing: the first call to the registry is the first id asked for.
 */
public final class SchemaRegistryConfig {
    private SchemaRegistryConfig() {
    }

    /**
     * @return empty when {@code leakwatch.schema-registry.url} is empty
     * @throws BadConfigException for settings that contradict each other, or a store that cannot be read
     */
    public static Optional<SchemaRegistrySettings> settings(ParsedConfig leakwatch, ConfigValues values) {
        String url = leakwatch.string(REGISTRY_URL);
        if (url == null || url.isBlank()) {
            for (String key : List.of(REGISTRY_USER_INFO, REGISTRY_BEARER_TOKEN, REGISTRY_TRUSTSTORE, REGISTRY_KEYSTORE)) {
                if (leakwatch.isSet(key)) {
                    throw new BadConfigException(key + " is set but " + REGISTRY_URL + " is not");
                }
            }
            return Optional.empty();
        }
        if (WireFormat.parse(leakwatch.string(WIRE_FORMAT)) != WireFormat.AVRO) {
            throw new BadConfigException(REGISTRY_URL + " is set but " + WIRE_FORMAT + " is "
                    + leakwatch.string(WIRE_FORMAT) + ": only the avro wire format uses a schema registry");
        }
        URI uri = URI.create(url.trim());
        SchemaRegistrySettings.Auth auth = SchemaRegistrySettings.Auth.NONE;
        Optional<Secret> userInfo = secret(leakwatch, values, REGISTRY_USER_INFO);
        Optional<Secret> token = secret(leakwatch, values, REGISTRY_BEARER_TOKEN);
        if (userInfo.isPresent() && token.isPresent()) {
            throw new BadConfigException("set " + REGISTRY_USER_INFO + " or " + REGISTRY_BEARER_TOKEN + ", not both");
        }
        if (userInfo.isPresent()) {
            auth = new SchemaRegistrySettings.Auth.Basic(userInfo.get());
        } else if (token.isPresent()) {
            auth = new SchemaRegistrySettings.Auth.Bearer(token.get());
        }
        Optional<SchemaRegistrySettings.Store> trust = store(leakwatch, values, REGISTRY_TRUSTSTORE,
                REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_TRUSTSTORE_TYPE);
        Optional<SchemaRegistrySettings.Store> keys = store(leakwatch, values, REGISTRY_KEYSTORE,
                REGISTRY_KEYSTORE_PASSWORD, REGISTRY_KEYSTORE_TYPE);
        if ((trust.isPresent() || keys.isPresent()) && !"https".equals(uri.getScheme())) {
            throw new BadConfigException("leakwatch.schema-registry.ssl.* is set but " + REGISTRY_URL + " is not https");
        }
        return Optional.of(new SchemaRegistrySettings(uri, auth, trust, keys, leakwatch.bool(REGISTRY_AUTO_REGISTER),
                SubjectNaming.parse(leakwatch.string(REGISTRY_SUBJECT_NAMING)),
                Durations.parse(leakwatch.string(REGISTRY_TIMEOUT))));
    }

    /**
     * The registry's resolver, or the bundled ids without a registry URL. Reading the key and trust stores is the
     * only I/O.
     */
    public static SchemaResolver resolver(ParsedConfig leakwatch, ConfigValues values) {
        return settings(leakwatch, values).<SchemaResolver>map(RegistrySchemaResolver::new)
                .orElseGet(BundledSchemaResolver::new);
    }

    private static Optional<SchemaRegistrySettings.Store> store(ParsedConfig leakwatch, ConfigValues values,
                                                                String location, String password, String type) {
        if (!leakwatch.isSet(location)) {
            if (leakwatch.isSet(password)) {
                throw new BadConfigException(password + " is set but " + location + " is not");
            }
            return Optional.empty();
        }
        return Optional.of(new SchemaRegistrySettings.Store(location, Path.of(leakwatch.string(location)),
                secret(leakwatch, values, password), leakwatch.string(type)));
    }

    private static Optional<Secret> secret(ParsedConfig leakwatch, ConfigValues values, String key) {
        if (!leakwatch.isSet(key)) {
            return Optional.empty();
        }
        return Optional.of(values.secret(key).orElseGet(() -> new Secret(values.get(key), "inline in " + key)));
    }
}
