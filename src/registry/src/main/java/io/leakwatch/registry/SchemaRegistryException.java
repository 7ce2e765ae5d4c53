package io.leakwatch.registry;

import io.leakwatch.serde.SchemaResolverUnavailableException;

/**
 * The schema registry could not be used: unreachable, credentials refused, a schema refused as incompatible or not
 * registered where auto-registration is off, or an answer that is not the API's. One line that names the registry's
 * URL (never credentials); {@code run} exits with it at start-up, the stream stops with it later.
 */
public class SchemaRegistryException extends SchemaResolverUnavailableException {
    public SchemaRegistryException(String message) {
        super(message, null);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
