package io.leakwatch.account;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.avro.specific.SpecificRecord;

/**
 * One accepted input event of an account, at its {@link EventPosition}.
 *
 * @param position where it falls in the account's history (time = the record timestamp)
 * @param value    a {@link Contract}, {@link InvoiceLine}, {@link UsageRecord}, {@link Payment} or
 *                 {@link ProvisioningChange}
 */
public record AccountEvent(EventPosition position, SpecificRecord value) {

    public static AccountEvent of(long timestamp, SpecificRecord value) {
        return new AccountEvent(new EventPosition(timestamp, rank(value), identity(value)), value);
    }

    public long time() {
        return position.time();
    }

    public static int rank(SpecificRecord value) {
        return rank(value.getClass());
    }

    /** The rank of every event of a type: which comes first at one instant. */
    public static int rank(Class<?> type) {
        if (type == Contract.class) {
            return EventPosition.CONTRACT;
        } else if (type == ProvisioningChange.class) {
            return EventPosition.PROVISIONING;
        } else if (type == UsageRecord.class) {
            return EventPosition.USAGE;
        } else if (type == InvoiceLine.class) {
            return EventPosition.INVOICE_LINE;
        } else if (type == Payment.class) {
            return EventPosition.PAYMENT;
        }
        throw new IllegalArgumentException("not an account event: " + type.getSimpleName());
    }

    /** What makes two records the same event (with their timestamp). */
    public static String identity(SpecificRecord value) {
        if (value instanceof Contract c) {
            return c.getContractId() + "#" + String.format("%010d", c.getVersion());
        } else if (value instanceof ProvisioningChange p) {
            return p.getChangeId();
        } else if (value instanceof UsageRecord u) {
            return u.getUsageId();
        } else if (value instanceof InvoiceLine l) {
            return l.getInvoiceId() + "/" + l.getLineId();
        } else if (value instanceof Payment p) {
            return p.getPaymentId() + "#" + p.getStatus();
        }
        throw new IllegalArgumentException("not an account event: " + value.getSchema().getName());
    }

    /** The event in a few words for people: "contract ctr-1 v2 (signed 2024-04-23)". */
    public String describe() {
        Instant at = Instant.ofEpochMilli(time());
        if (value instanceof Contract c) {
            return "contract " + c.getContractId() + " v" + c.getVersion() + " (signed " + day(c.getSignedAt()) + ")";
        } else if (value instanceof ProvisioningChange p) {
            return "provisioning change " + p.getChangeId() + " (" + p.getService() + ", effective "
                    + day(p.getEffectiveAt()) + ")";
        } else if (value instanceof UsageRecord u) {
            return "usage record " + u.getUsageId() + " (" + u.getService() + ", " + day(u.getOccurredAt()) + ")";
        } else if (value instanceof InvoiceLine l) {
            return "invoice " + l.getInvoiceId() + " line " + l.getLineId() + " (issued " + day(l.getIssuedAt()) + ")";
        } else if (value instanceof Payment p) {
            return "payment " + p.getPaymentId() + " (" + p.getStatus().name().toLowerCase(java.util.Locale.ROOT)
                    + ", " + day(p.getAttemptedAt()) + ")";
        }
        return value.getSchema().getName() + " at " + at;
    }

    private static String day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
