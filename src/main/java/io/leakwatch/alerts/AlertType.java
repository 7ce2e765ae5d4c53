package io.leakwatch.alerts;

/** The kinds of finding Leakwatch reports. The name is the {@code type} field of an alert and of a label. */
public enum AlertType {
    /** Billed unit rate differs from the contracted rate. */
    RATE_MISMATCH,
    /** Line total differs from billed rate x quantity by a minor unit or more. */
    CHARGE_ARITHMETIC,
    /** A line for a service with no contract terms in force at its service date. */
    NO_ACTIVE_CONTRACT,
    /** A line billed in a currency other than the contract's. */
    CURRENCY_MISMATCH
}
