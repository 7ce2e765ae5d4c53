package io.leakwatch.config;

/**
 * A configuration mistake the user can fix. The message is one line that names the key and never shows the value
 * of a secret: the CLI prints it as it is and exits 2.
 */
public class BadConfigException extends RuntimeException {
    public BadConfigException(String message) {
        super(message);
    }
}
