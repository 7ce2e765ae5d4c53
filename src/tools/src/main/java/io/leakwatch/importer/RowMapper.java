package io.leakwatch.importer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Turns one CSV row into the JSON form of a record ({@code JsonEventCodec} reads it), field by field as the mapping
 * says, then fills what the mapping leaves out and can be derived:
 * <pre>
 * invoice_line  line_id     = {line#}: 1, 2, ... for the rows of the same invoice_id, in file order
 *               quantity    = 1
 *               unit_rate   = line_total / quantity                  (scale 8, half-even)
 *               line_total  = quantity x unit_rate, rounded to the currency's minor unit (half-even)
 * contract      contract_id = account_id; version = 1; unit = "unit"; signed_at = the earliest effective_from of its rows
 * usage         usage_id    = FILE:{row#}; unit = "unit"
 * payment       payment_id  = FILE:{row#}
 * provisioning  change_id   = FILE:{row#}
 * any currency  = the cell, upper-cased; currency_default when the cell is empty or not mapped
 * </pre>
 */
final class RowMapper {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int RATE_SCALE = 8;

    private final ImportMapping mapping;
    private final String fileName;
    private final Map<String, Integer> linesPerInvoice = new HashMap<>();

    RowMapper(ImportMapping mapping, String fileName) {
        this.mapping = mapping;
        this.fileName = fileName;
    }

    /** True when a record can do without a source for the field (see the class comment). */
    static boolean derivable(RecordKind kind, String field) {
        return switch (kind) {
            case INVOICE_LINE -> field.equals("line_id") || field.equals("quantity") || field.equals("unit_rate")
                    || field.equals("line_total");
            case CONTRACT -> field.equals("contract_id") || field.equals("version") || field.equals("signed_at")
                    || field.equals("unit");
            case USAGE -> field.equals("usage_id") || field.equals("unit");
            case PAYMENT -> field.equals("payment_id");
            case PROVISIONING -> field.equals("change_id");
        };
    }

    /** @param row column -> cell; @param rowNumber the row's number in the file, the header being row 1 */
    ObjectNode map(Map<String, String> row, int rowNumber) throws RowRejected {
        ObjectNode out = JSON.objectNode();
        RecordKind kind = mapping.kind;
        String currency = currency(row, rowNumber);
        Integer lineNumber = null;
        for (FieldSource source : mapping.fields.values()) {
            if (source.field().equals("currency")) {
                continue;
            }
            if (source.usesLineNumber() && lineNumber == null) {
                lineNumber = nextLine(out);
            }
            String text = text(source, row, rowNumber, lineNumber);
            if (text == null) {
                continue;
            }
            put(out, source.field(), convert(source, text, currency));
        }
        if (currency != null) {
            out.put("currency", currency);
        }
        switch (kind) {
            case INVOICE_LINE -> deriveInvoiceLine(out, currency, lineNumber);
            case CONTRACT -> {
                if (!out.hasNonNull("contract_id") && out.hasNonNull("account_id")) {
                    out.put("contract_id", out.get("account_id").asText());
                }
                putIfAbsent(out, "version", 1);
                if (!out.hasNonNull("unit")) {
                    out.put("unit", "unit");
                }
            }
            case USAGE -> {
                if (!out.hasNonNull("usage_id")) {
                    out.put("usage_id", fileName + ":" + rowNumber);
                }
                if (!out.hasNonNull("unit")) {
                    out.put("unit", "unit");
                }
            }
            case PAYMENT -> {
                if (!out.hasNonNull("payment_id")) {
                    out.put("payment_id", fileName + ":" + rowNumber);
                }
            }
            case PROVISIONING -> {
                if (!out.hasNonNull("change_id")) {
                    out.put("change_id", fileName + ":" + rowNumber);
                }
            }
        }
        return out;
    }

    private void deriveInvoiceLine(ObjectNode out, String currency, Integer lineNumber) throws RowRejected {
        if (!out.hasNonNull("line_id")) {
            out.put("line_id", Integer.toString(lineNumber != null ? lineNumber : nextLine(out)));
        }
        BigDecimal quantity = out.hasNonNull("quantity") ? new BigDecimal(out.get("quantity").asText()) : BigDecimal.ONE;
        put(out, "quantity", quantity);
        boolean rate = out.hasNonNull("unit_rate");
        boolean total = out.hasNonNull("line_total");
        if (!rate && !total) {
            throw new RowRejected("no unit_rate and no line_total: one of them is needed");
        }
        if (!rate) {
            if (quantity.signum() == 0) {
                throw new RowRejected("unit_rate cannot be derived from line_total when quantity is 0");
            }
            put(out, "unit_rate", new BigDecimal(out.get("line_total").asText())
                    .divide(quantity, RATE_SCALE, RoundingMode.HALF_EVEN));
        }
        if (!total && currency != null) {
            put(out, "line_total", Currencies.round(quantity.multiply(new BigDecimal(out.get("unit_rate").asText())),
                    currency));
        }
    }

    private int nextLine(ObjectNode out) {
        String invoice = out.hasNonNull("invoice_id") ? out.get("invoice_id").asText() : "";
        return linesPerInvoice.merge(invoice, 1, Integer::sum);
    }

    private String currency(Map<String, String> row, int rowNumber) throws RowRejected {
        FieldSource source = mapping.fields.get("currency");
        String text = source == null ? null : text(source, row, rowNumber, null);
        if (text == null) {
            return mapping.currencyDefault;
        }
        return text.trim().toUpperCase(Locale.ROOT);
    }

    /** The text of a field in this row; null when empty and without a default. */
    private static String text(FieldSource source, Map<String, String> row, int rowNumber, Integer lineNumber)
            throws RowRejected {
        String text;
        if (source.constant() != null) {
            text = source.constant();
        } else if (source.column() != null) {
            text = row.get(source.column());
        } else {
            StringBuilder out = new StringBuilder();
            for (FieldSource.Part part : source.template()) {
                if (part instanceof FieldSource.Literal l) {
                    out.append(l.text());
                } else if (part instanceof FieldSource.RowNumber) {
                    out.append(rowNumber);
                } else if (part instanceof FieldSource.LineNumber) {
                    out.append(lineNumber);
                } else if (part instanceof FieldSource.Cell c) {
                    String cell = row.get(c.column());
                    if (cell == null || cell.isBlank()) {
                        throw new RowRejected(source.field() + ": column '" + c.column() + "' of its template is empty");
                    }
                    out.append(cell.trim());
                }
            }
            text = out.toString();
        }
        if (text == null || text.isBlank()) {
            text = source.defaultValue();
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        String mapped = source.values().get(text.trim());
        return mapped != null ? mapped : text;
    }

    /** The field's value from its text: an Instant, a BigDecimal, an Integer or a String. */
    Object convert(FieldSource source, String text, String currency) throws RowRejected {
        Schema schema = mapping.kind.fieldSchema(source.field());
        String field = source.field();
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            Instant time;
            try {
                time = source.dates().parse(text);
            } catch (RowRejected e) {
                throw new RowRejected(field + ": " + e.getMessage());
            }
            if (source.plus() != null) {
                time = time.atZone(source.dates().zone()).plus(source.plus()).toInstant();
            }
            return time;
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal) {
            BigDecimal value;
            try {
                value = mapping.numbers.parse(text);
            } catch (RowRejected e) {
                throw new RowRejected(field + ": " + e.getMessage());
            }
            if (source.minorUnits()) {
                if (currency == null || !Currencies.isKnown(currency)) {
                    throw new RowRejected(field + ": an amount in minor units needs a known currency, not '" + currency + "'");
                }
                value = value.movePointLeft(Currencies.minorUnitDigits(currency));
            }
            return value;
        }
        return switch (schema.getType()) {
            case INT -> {
                try {
                    yield Integer.parseInt(text.trim());
                } catch (NumberFormatException e) {
                    throw new RowRejected(field + ": '" + text.trim() + "' is not a whole number");
                }
            }
            case ENUM -> {
                String symbol = text.trim().toUpperCase(Locale.ROOT);
                if (!schema.getEnumSymbols().contains(symbol)) {
                    throw new RowRejected(field + ": '" + text.trim() + "' is not one of " + String.join(", ",
                            schema.getEnumSymbols()) + " (map other words with values:)");
                }
                yield symbol;
            }
            default -> field.equals("currency") ? text.trim().toUpperCase(Locale.ROOT) : text.trim();
        };
    }

    private static void put(ObjectNode out, String field, Object value) {
        if (value instanceof BigDecimal d) {
            BigDecimal stripped = d.stripTrailingZeros();
            out.put(field, (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString());
        } else if (value instanceof Integer n) {
            out.put(field, n);
        } else {
            out.put(field, value.toString());
        }
    }

    private static void putIfAbsent(ObjectNode out, String field, int value) {
        if (!out.hasNonNull(field)) {
            out.put(field, value);
        }
    }
}
