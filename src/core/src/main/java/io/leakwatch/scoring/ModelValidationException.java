package io.leakwatch.scoring;

/** A model version that cannot be served: unreadable ONNX, contract mismatch, parity failure. One-line message. */
public class ModelValidationException extends RuntimeException {
    public ModelValidationException(String message) {
        super(message);
    }

    public ModelValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
