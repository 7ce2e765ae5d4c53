package io.leakwatch.importer;

/** A mapping file that cannot be used: the message is one line naming the key and the problem. */
public final class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }
}
