package io.leakwatch.alerts;

/** The kinds of finding Leakwatch reports. The name is the {@code type} field of an alert and of a label. */
public enum AlertType {
    /** Billed unit rate differs from the contracted rate. */
    RATE_MISMATCH,
    /** Line total differs from billed rate x quantity by more than half a minor unit. */
    CHARGE_ARITHMETIC,
    /** A line for a service with no contract terms in force at its service date. */
    NO_ACTIVE_CONTRACT,
    /** A line billed in a currency other than the contract's. */
    CURRENCY_MISMATCH,
    /** A line whose service two or more of the account's contracts price at its service date. */
    CONTRACT_OVERLAP,
    /** The same charge billed twice. */
    DUPLICATE_CHARGE,
    /** Usage recorded in a closed period beyond what was invoiced for it. */
    UNBILLED_USAGE,
    /** A contract in force and no invoice for a closed period. */
    MISSING_INVOICE,
    /** No successful payment by the due date plus grace. */
    UNPAID_INVOICE,
    /** A failed payment with no successful retry within the retry window. */
    FAILED_PAYMENT_NOT_RECOVERED,
    /** Payments cover less than the invoice total by the due date plus grace. */
    UNDERPAYMENT,
    /** Provisioned level above what was billed for the period. */
    PROVISIONING_MISMATCH,
    /** Revenue billed to no account or to an account no contract knows, above a threshold for the period. */
    UNATTRIBUTED_REVENUE,
    /** Monthly revenue far above the account's own baseline. */
    REVENUE_SPIKE,
    /** Monthly revenue far below the account's own baseline. */
    REVENUE_DROP,
    /** A slow, sustained decline of the account's revenue. */
    REVENUE_EROSION,
    /** The leakage model puts the account at High risk of leakage next period (a prediction, not a finding). */
    HIGH_LEAKAGE_RISK,
    /** The churn model puts the account at High risk of churning within 3 periods (a prediction, not a finding). */
    HIGH_CHURN_RISK;

    /** A model's prediction about the future rather than a finding about money already lost: never labelled. */
    public boolean isPrediction() {
        return this == HIGH_LEAKAGE_RISK || this == HIGH_CHURN_RISK;
    }
}
