package io.leakwatch.features;

/** A feature contract that cannot be read, or that does not match what the stream computes. */
public class FeatureContractException extends RuntimeException {
    public FeatureContractException(String message) {
        super(message);
    }
}
