package io.leakwatch.detect.duplicate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.leakwatch.events.InvoiceLine;
import java.time.Instant;

/**
 * Which line was seen first: its {@code invoice_id/line_id} and issue time. The value of the signature store,
 * and the "original" a duplicate alert names. Issue time as epoch millis, so the JSON store value needs no
 * time module.
 */
public record LineRef(String invoiceId, String lineId, long issuedAtMs) {

    public static LineRef of(InvoiceLine line) {
        return new LineRef(line.getInvoiceId(), line.getLineId(), line.getIssuedAt().toEpochMilli());
    }

    /** {@code invoice_id/line_id}. */
    @JsonIgnore
    public String id() {
        return invoiceId + "/" + lineId;
    }

    @JsonIgnore
    public Instant issuedAt() {
        return Instant.ofEpochMilli(issuedAtMs);
    }
}
