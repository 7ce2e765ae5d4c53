package io.leakwatch.serde;

/**
 * A {@link SchemaResolver} could not answer (its registry is unreachable, refused the credentials, or refused the
 * schema): a failure of the deployment, not of the record being read or written, so the record must not be
 * dead-lettered for it. The message is one line that names the registry, never a credential.
 */
public class SchemaResolverUnavailableException extends RuntimeException {
    public SchemaResolverUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
