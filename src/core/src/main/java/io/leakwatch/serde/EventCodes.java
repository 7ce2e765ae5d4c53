package io.leakwatch.serde;

import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.RiskLevel;

/** The stored codes of the event enums that state keeps (the Avro schemas order their symbols as they like). */
public final class EventCodes {
    public static final StateCodes<PaymentStatus> PAYMENT_STATUS = StateCodes.of(PaymentStatus.class, status -> switch (status) {
        case SUCCEEDED -> 0;
        case FAILED -> 1;
        case PENDING -> 2;
        case REFUNDED -> 3;
        case CREDITED -> 4;
        case UNKNOWN -> 5;
    });

    public static final StateCodes<RiskLevel> RISK_LEVEL = StateCodes.of(RiskLevel.class, level -> switch (level) {
        case LOW -> 0;
        case MEDIUM -> 1;
        case HIGH -> 2;
    });

    private EventCodes() {
    }
}
