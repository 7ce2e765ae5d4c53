package io.leakwatch.serde;

import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What Leakwatch knows about one kind of event: its Avro class, the business time that becomes the
 * Kafka record timestamp, and the account it belongs to (the record key).
 *
 * @param name       short name used in messages and in schema-ids.json
 * @param type       the generated Avro class
 * @param eventTime  the business time of the event (record timestamp when produced)
 * @param accountId  the account the event belongs to; null when the event carries none
 */
public record EventType<T extends SpecificRecord>(
        String name, Class<T> type, Function<T, Instant> eventTime, Function<T, String> accountId) {

    public static final EventType<Contract> CONTRACT =
            new EventType<>("Contract", Contract.class, Contract::getSignedAt, Contract::getAccountId);
    public static final EventType<InvoiceLine> INVOICE_LINE =
            new EventType<>("InvoiceLine", InvoiceLine.class, InvoiceLine::getIssuedAt, InvoiceLine::getAccountId);
    public static final EventType<UsageRecord> USAGE =
            new EventType<>("UsageRecord", UsageRecord.class, UsageRecord::getOccurredAt, UsageRecord::getAccountId);
    public static final EventType<Payment> PAYMENT =
            new EventType<>("Payment", Payment.class, Payment::getAttemptedAt, Payment::getAccountId);
    public static final EventType<ProvisioningChange> PROVISIONING = new EventType<>(
            "ProvisioningChange", ProvisioningChange.class, ProvisioningChange::getEffectiveAt,
            ProvisioningChange::getAccountId);
    public static final EventType<Alert> ALERT =
            new EventType<>("Alert", Alert.class, Alert::getEventTime, Alert::getAccountId);

    public static final EventType<AlertFeedback> ALERT_FEEDBACK = new EventType<>(
            "AlertFeedback", AlertFeedback.class, AlertFeedback::getGivenAt, AlertFeedback::getAccountId);

    public static final EventType<AccountRisk> ACCOUNT_RISK =
            new EventType<>("AccountRisk", AccountRisk.class, AccountRisk::getScoredAt, AccountRisk::getAccountId);

    public static final List<EventType<?>> ALL =
            List.of(CONTRACT, INVOICE_LINE, USAGE, PAYMENT, PROVISIONING, ALERT, ALERT_FEEDBACK, ACCOUNT_RISK);

    public Schema schema() {
        return org.apache.avro.specific.SpecificData.get().getSchema(type);
    }

    /** The type of an event object. */
    public static EventType<?> of(SpecificRecord value) {
        for (EventType<?> type : ALL) {
            if (type.type().isInstance(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not an event Leakwatch knows: " + value.getSchema().getName());
    }

    public static EventType<?> byName(String name) {
        return ALL.stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + name));
    }
}
