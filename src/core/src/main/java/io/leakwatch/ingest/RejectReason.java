package io.leakwatch.ingest;

/** Why a record went to the dead-letter topic; the value of header {@code leakwatch.dlq.reason}. */
public enum RejectReason {
    /** The bytes are not an event of the topic's type in the configured wire format. */
    DESERIALIZATION("deserialization"),
    /** The event decoded but breaks a business rule (a negative usage quantity, unknown currency, ...). */
    INVALID("invalid"),
    /** The record key is not the event's account_id, so per-account state would be wrong. */
    KEY_MISMATCH("key-mismatch"),
    /** The record timestamp is outside the plausible range. */
    IMPLAUSIBLE_TIMESTAMP("implausible-timestamp"),
    /** The record is older than stream time minus the grace period. */
    LATE("late"),
    /**
     * A person's feedback names an alert the account does not have (never raised for it, or forgotten after the alert
     * retention), or asks for what the alert's status does not allow (acknowledging a closed alert).
     */
    FEEDBACK_REFUSED("feedback-refused"),
    /**
     * Processing the record threw: a defect of ours, or input no rule foresaw. The record is set aside with the
     * processor and the exception named, and processing goes on without it.
     */
    PROCESSING_ERROR("processing-error");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
