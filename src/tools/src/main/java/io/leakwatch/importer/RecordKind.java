package io.leakwatch.importer;

import io.leakwatch.ingest.EventValidator;
import io.leakwatch.ingest.Validators;
import io.leakwatch.serde.EventType;
import io.leakwatch.topics.TopicCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The kinds of record a CSV can be imported as: the event type, the validation the topology applies to it, the input
 * topic (role) it goes to and the fields a mapping may fill. A contract is the one record made of several rows: its
 * own fields plus those of a rate line, one rate line per row.
 */
enum RecordKind {
    CONTRACT(EventType.CONTRACT, Validators.CONTRACT, TopicCatalog.CONTRACTS),
    INVOICE_LINE(EventType.INVOICE_LINE, Validators.INVOICE_LINE, TopicCatalog.INVOICES),
    USAGE(EventType.USAGE, Validators.USAGE, TopicCatalog.USAGE),
    PAYMENT(EventType.PAYMENT, Validators.PAYMENT, TopicCatalog.PAYMENTS),
    PROVISIONING(EventType.PROVISIONING, Validators.PROVISIONING, TopicCatalog.PROVISIONING);

    /** A contract's rate-line fields a row fills; tiers are not imported. */
    static final List<String> RATE_LINE_FIELDS = List.of("service", "unit", "unit_rate", "currency", "effective_from",
            "effective_to", "committed_quantity");

    final EventType<? extends SpecificRecord> type;
    final EventValidator<?> validator;
    final String role;

    RecordKind(EventType<? extends SpecificRecord> type, EventValidator<?> validator, String role) {
        this.type = type;
        this.validator = validator;
        this.role = role;
    }

    /** The name a mapping's {@code record} key uses: {@code invoice_line}, {@code contract}, ... */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code an invoice_line}, {@code a contract}: the key with its article, for messages. */
    String withArticle() {
        return (this == INVOICE_LINE ? "an " : "a ") + key();
    }

    static String keys() {
        return String.join(", ", Arrays.stream(values()).map(RecordKind::key).toList());
    }

    /** The fields a mapping may fill, in schema order; for a contract its own fields, then a rate line's. */
    List<String> fields() {
        List<String> fields = new ArrayList<>();
        for (Schema.Field f : type.schema().getFields()) {
            if (!(this == CONTRACT && f.name().equals("lines"))) {
                fields.add(f.name());
            }
        }
        if (this == CONTRACT) {
            fields.addAll(RATE_LINE_FIELDS);
        }
        return fields;
    }

    /** The Avro schema of a field ({@link #fields()}). */
    Schema fieldSchema(String field) {
        Schema.Field f = type.schema().getField(field);
        if (this == CONTRACT && (f == null || RATE_LINE_FIELDS.contains(field))) {
            Schema line = type.schema().getField("lines").schema().getElementType();
            f = line.getField(field);
        }
        Schema schema = f.schema();
        if (schema.getType() == Schema.Type.UNION) {
            schema = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        }
        return schema;
    }

    /** True when the record cannot do without the field (not nullable, no default). */
    boolean required(String field) {
        Schema.Field f = type.schema().getField(field);
        if (this == CONTRACT && (f == null || RATE_LINE_FIELDS.contains(field))) {
            f = type.schema().getField("lines").schema().getElementType().getField(field);
        }
        boolean nullable = f.schema().getType() == Schema.Type.UNION;
        return !nullable && !f.hasDefaultValue();
    }
}
