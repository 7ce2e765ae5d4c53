package io.leakwatch.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * The JSON form of Avro events, driven by the Avro schema so there is one definition of every event.
 *
 * <p>Rules, chosen for people typing events by hand: field names as in the schema (snake_case); a nullable
 * field may be omitted or null; decimals are JSON strings ({@code "12.50"}) or numbers, never rounded (more
 * fractional digits than the schema's scale is an error); timestamps are ISO-8601 instants
 * ({@code "2026-03-01T00:00:00Z"}), dates ({@code "2026-03-01"}, midnight UTC) or epoch milliseconds;
 * enums are their symbol. Unknown fields are ignored so newer producers do not break older readers.
 *
 * <p>Output is deterministic: fields in schema order, map keys sorted, decimals as plain strings without
 * trailing zeros, instants in ISO-8601 UTC. The same event always gives the same bytes.
 */
final class JsonAvro {
    private JsonAvro() {
    }

    static Object toAvro(JsonNode node, Schema schema, SpecificData model, String path) throws EventDecodingException {
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case RECORD -> {
                if (!node.isObject()) {
                    throw new EventDecodingException(path(path) + "expected a JSON object");
                }
                IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode child = node.get(field.name());
                    String childPath = path.isEmpty() ? field.name() : path + "." + field.name();
                    Object value;
                    if (child == null || child.isNull()) {
                        if (field.hasDefaultValue()) {
                            value = model.deepCopy(field.schema(), model.getDefaultValue(field));
                        } else if (isNullable(field.schema())) {
                            value = null;
                        } else {
                            throw new EventDecodingException("missing required field '" + childPath + "'");
                        }
                    } else {
                        value = toAvro(child, field.schema(), model, childPath);
                    }
                    record.put(field.pos(), value);
                }
                return record;
            }
            case UNION -> {
                if (node.isNull()) {
                    if (isNullable(schema)) {
                        return null;
                    }
                    throw new EventDecodingException(path(path) + "must not be null");
                }
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return toAvro(node, branch, model, path);
                    }
                }
                throw new EventDecodingException(path(path) + "has no non-null type");
            }
            case STRING -> {
                if (!node.isTextual()) {
                    throw new EventDecodingException(path(path) + "expected a string");
                }
                return node.asText();
            }
            case INT -> {
                if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                    throw new EventDecodingException(path(path) + "expected an integer");
                }
                return node.intValue();
            }
            case LONG -> {
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return parseInstant(node, path);
                }
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw new EventDecodingException(path(path) + "expected an integer");
                }
                return node.longValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new EventDecodingException(path(path) + "expected true or false");
                }
                return node.booleanValue();
            }
            case DOUBLE, FLOAT -> {
                if (!node.isNumber()) {
                    throw new EventDecodingException(path(path) + "expected a number");
                }
                return schema.getType() == Schema.Type.DOUBLE ? (Object) node.doubleValue() : (Object) node.floatValue();
            }
            case BYTES -> {
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    return parseDecimal(node, decimal, path);
                }
                throw new EventDecodingException(path(path) + "raw bytes are not supported in JSON");
            }
            case ENUM -> {
                if (!node.isTextual() || !schema.getEnumSymbols().contains(node.asText())) {
                    throw new EventDecodingException(path(path) + "expected one of " + schema.getEnumSymbols());
                }
                return model.createEnum(node.asText(), schema);
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw new EventDecodingException(path(path) + "expected a JSON array");
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(toAvro(node.get(i), schema.getElementType(), model, path + "[" + i + "]"));
                }
                return items;
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw new EventDecodingException(path(path) + "expected a JSON object");
                }
                Map<String, Object> map = new LinkedHashMap<>();
                var fields = node.fields();
                while (fields.hasNext()) {
                    var entry = fields.next();
                    map.put(entry.getKey(), toAvro(entry.getValue(), schema.getValueType(), model,
                            path + "." + entry.getKey()));
                }
                return map;
            }
            default -> throw new EventDecodingException(path(path) + "unsupported Avro type " + schema.getType());
        }
    }

    /**
     * Writes {@code value} straight to {@code out}, without building a tree first: every output record (alerts,
     * risk scores, dead letters) passes through here, so the encoder allocates nothing per field.
     */
    static void write(JsonGenerator out, Object value, Schema schema) throws IOException {
        if (value == null) {
            out.writeNull();
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                out.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    out.writeFieldName(field.name());
                    write(out, record.get(field.pos()), field.schema());
                }
                out.writeEndObject();
            }
            case UNION -> write(out, value, nonNullBranch(schema));
            case STRING, ENUM -> out.writeString(value.toString());
            case INT -> out.writeNumber((Integer) value);
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    out.writeString(((Instant) value).toString());
                } else {
                    out.writeNumber((Long) value);
                }
            }
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case DOUBLE -> out.writeNumber((Double) value);
            case FLOAT -> out.writeNumber((Float) value);
            case BYTES -> out.writeString(plain((BigDecimal) value));
            case ARRAY -> {
                out.writeStartArray();
                for (Object item : (Collection<?>) value) {
                    write(out, item, schema.getElementType());
                }
                out.writeEndArray();
            }
            case MAP -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : new TreeMap<>((Map<?, ?>) value).entrySet()) {
                    out.writeFieldName(entry.getKey().toString());
                    write(out, entry.getValue(), schema.getValueType());
                }
                out.writeEndObject();
            }
            default -> throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
        }
    }

    /** Only nullable unions ({@code ["null", X]}) are used in Leakwatch schemas. */
    private static Schema nonNullBranch(Schema union) {
        return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("union without a non-null branch: " + union));
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Instant parseInstant(JsonNode node, String path) throws EventDecodingException {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (!node.isTextual()) {
            throw new EventDecodingException(path(path) + "expected an ISO-8601 time or epoch milliseconds");
        }
        String text = node.asText();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new EventDecodingException(path(path) + Texts.quote(text) + " is not an ISO-8601 time");
        }
    }

    private static BigDecimal parseDecimal(JsonNode node, LogicalTypes.Decimal decimal, String path)
            throws EventDecodingException {
        BigDecimal value;
        try {
            if (node.isTextual()) {
                value = new BigDecimal(node.asText().trim());
            } else if (node.isNumber()) {
                value = node.decimalValue();
            } else {
                throw new EventDecodingException(path(path) + "expected a decimal string such as \"12.50\"");
            }
        } catch (NumberFormatException e) {
            throw new EventDecodingException(path(path) + Texts.quote(node.asText()) + " is not a decimal number");
        }
        // before any rescaling, which for 1e20000000 would build a number of twenty million digits
        int integerDigits = decimal.getPrecision() - decimal.getScale();
        if (value.signum() != 0 && value.precision() - value.scale() > integerDigits) {
            throw new EventDecodingException(path(path) + "has more than " + integerDigits + " digits before the decimal point");
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > decimal.getScale()) {
            throw new EventDecodingException(path(path) + "has more than " + decimal.getScale() + " decimal places");
        }
        BigDecimal scaled = value.setScale(decimal.getScale(), java.math.RoundingMode.UNNECESSARY);
        if (scaled.precision() > decimal.getPrecision()) {
            throw new EventDecodingException(path(path) + "has more than " + decimal.getPrecision() + " digits");
        }
        return scaled;
    }

    static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static String path(String path) {
        return path.isEmpty() ? "" : "'" + path + "' ";
    }
}
