package io.leakwatch.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.leakwatch.money.Currencies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * A mapping file: how the rows of one CSV become records of one kind. YAML, for example:
 * <pre>
 * record: invoice_line
 * csv: {separator: ";"}
 * dates: {formats: ["dd.MM.yyyy"], zone: Europe/Berlin}
 * numbers: {decimal_separator: ",", grouping_separator: "."}
 * currency_default: EUR
 * columns:
 *   invoice_id: Invoice No
 *   account_id: Customer
 *   line_id: "{Invoice No}-{row#}"
 *   service_period_end: {column: Period to, plus: P1D}
 * constants:
 *   description: imported
 * </pre>
 * docs/import.md describes every key. Reading checks everything that can be checked without the CSV (keys, fields,
 * formats, constants) and fails with one {@link MappingException} naming the key and the problem.
 */
public final class ImportMapping {
    private static final Set<String> TOP_KEYS = Set.of("record", "csv", "dates", "numbers", "currency_default",
            "columns", "constants");
    private static final Set<String> FIELD_KEYS = Set.of("column", "template", "format", "zone", "plus",
            "minor_units", "default", "values");

    final RecordKind kind;
    final char separator;
    final char quote;
    final NumberParser numbers;
    final String currencyDefault;
    final Map<String, FieldSource> fields;

    private ImportMapping(RecordKind kind, char separator, char quote, NumberParser numbers, String currencyDefault,
                          Map<String, FieldSource> fields) {
        this.kind = kind;
        this.separator = separator;
        this.quote = quote;
        this.numbers = numbers;
        this.currencyDefault = currencyDefault;
        this.fields = fields;
    }

    /** The record kind's name as the mapping gives it ({@code invoice_line}, ...). */
    public String record() {
        return kind.key();
    }

    /** Every column the mapping reads, in field order. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        fields.values().forEach(f -> f.columns().stream().filter(c -> !columns.contains(c)).forEach(columns::add));
        return columns;
    }

    public static ImportMapping read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A mapping file of one CSV (no {@code imports}). */
    public static ImportMapping parse(String yaml) {
        List<Entry> entries = parseAll(yaml);
        if (entries.size() != 1 || entries.get(0).file() != null) {
            throw new MappingException("imports: this mapping names its files; give no --input");
        }
        return entries.get(0).mapping();
    }

    /**
     * One CSV and its mapping.
     *
     * @param file the CSV as the mapping names it (relative to the mapping file), or null for the one --input names
     */
    public record Entry(String file, ImportMapping mapping) {
    }

    public static List<Entry> readAll(Path file) throws IOException {
        return parseAll(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * A mapping file of one CSV, or of several under {@code imports:}, each with its {@code file} and its own keys;
     * {@code csv}, {@code dates}, {@code numbers} and {@code currency_default} at the top apply to every import that
     * does not give its own.
     */
    public static List<Entry> parseAll(String yaml) {
        JsonNode root = yaml(yaml);
        if (!root.has("imports")) {
            return List.of(new Entry(null, fromTree(root)));
        }
        Set<String> shared = Set.of("csv", "dates", "numbers", "currency_default");
        knownKeys(root, Set.of("csv", "dates", "numbers", "currency_default", "imports"), "");
        JsonNode imports = root.get("imports");
        if (!imports.isArray() || imports.isEmpty()) {
            throw new MappingException("imports: give a list of imports, each with its file, record and columns");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < imports.size(); i++) {
            String key = "imports[" + (i + 1) + "]";
            JsonNode item = imports.get(i);
            if (!item.isObject()) {
                throw new MappingException(key + ": expected a set of keys (file, record, columns, ...)");
            }
            com.fasterxml.jackson.databind.node.ObjectNode merged = ((com.fasterxml.jackson.databind.node.ObjectNode) item)
                    .deepCopy();
            for (String name : shared) {
                if (!merged.has(name) && root.has(name)) {
                    merged.set(name, root.get(name));
                }
            }
            JsonNode file = merged.remove("file");
            if (file == null || !file.isTextual() || file.asText().isBlank()) {
                throw new MappingException(key + ".file: missing; name the CSV this import reads");
            }
            try {
                entries.add(new Entry(file.asText(), fromTree(merged)));
            } catch (MappingException e) {
                throw new MappingException(key + "." + e.getMessage());
            }
        }
        return entries;
    }

    private static JsonNode yaml(String yaml) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int newline = message.indexOf('\n');
            throw new MappingException("not YAML: " + (newline < 0 ? message : message.substring(0, newline))
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new MappingException("the mapping must be a set of keys (record, columns, ...), not "
                    + (root == null ? "empty" : root.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return root;
    }

    private static ImportMapping fromTree(JsonNode root) {
        knownKeys(root, TOP_KEYS, "");
        RecordKind kind = kind(root.get("record"));

        JsonNode csv = object(root, "csv");
        knownKeys(csv, Set.of("separator", "quote"), "csv.");
        char separator = character(csv, "separator", ',', "csv.separator");
        char quote = character(csv, "quote", '"', "csv.quote");

        JsonNode dates = object(root, "dates");
        knownKeys(dates, Set.of("formats", "zone"), "dates.");
        ZoneId zone = zone(dates.get("zone"), "dates.zone");
        DateParser dateParser = dateParser(dates.get("formats"), zone, "dates.formats");

        JsonNode numbers = object(root, "numbers");
        knownKeys(numbers, Set.of("decimal_separator", "grouping_separator"), "numbers.");
        char decimal = character(numbers, "decimal_separator", '.', "numbers.decimal_separator");
        if (decimal != '.' && decimal != ',') {
            throw new MappingException("numbers.decimal_separator: '" + decimal + "' is neither '.' nor ','");
        }
        Character grouping = numbers.has("grouping_separator") && !numbers.get("grouping_separator").isNull()
                && !numbers.get("grouping_separator").asText().isEmpty()
                ? character(numbers, "grouping_separator", ',', "numbers.grouping_separator") : null;
        if (grouping != null && (grouping == decimal || !",. '_".contains(String.valueOf(grouping)))) {
            throw new MappingException("numbers.grouping_separator: '" + grouping + "' must be one of , . space ' _"
                    + " and differ from the decimal separator");
        }
        NumberParser numberParser = new NumberParser(decimal, grouping);

        String currencyDefault = null;
        if (root.hasNonNull("currency_default")) {
            currencyDefault = root.get("currency_default").asText().trim().toUpperCase(Locale.ROOT);
            if (!Currencies.isKnown(currencyDefault)) {
                throw new MappingException("currency_default: '" + currencyDefault + "' is not an ISO-4217 currency");
            }
        }

        Map<String, FieldSource> sources = new LinkedHashMap<>();
        JsonNode columns = object(root, "columns");
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "columns." + e.getKey();
            field(kind, e.getKey(), key);
            sources.put(e.getKey(), source(kind, e.getKey(), e.getValue(), key, dateParser));
        }
        JsonNode constants = object(root, "constants");
        for (Iterator<Map.Entry<String, JsonNode>> it = constants.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "constants." + e.getKey();
            field(kind, e.getKey(), key);
            if (sources.containsKey(e.getKey())) {
                throw new MappingException(key + ": the field is also under columns; give it one source");
            }
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new MappingException(key + ": a constant is one value (text, number or date)");
            }
            sources.put(e.getKey(), new FieldSource(e.getKey(), null, null, e.getValue().asText(), dateParser, null,
                    false, null, Map.of()));
        }
        ImportMapping mapping = new ImportMapping(kind, separator, quote, numberParser, currencyDefault,
                ordered(kind, sources));
        mapping.checkComplete();
        mapping.checkConstants();
        return mapping;
    }

    /** Sources in the record's field order, so a derived field can rely on the ones before it. */
    private static Map<String, FieldSource> ordered(RecordKind kind, Map<String, FieldSource> sources) {
        Map<String, FieldSource> ordered = new LinkedHashMap<>();
        kind.fields().stream().filter(sources::containsKey).forEach(f -> ordered.put(f, sources.get(f)));
        return ordered;
    }

    /** Every field the record needs has a source or a derivation (docs/import.md lists them). */
    private void checkComplete() {
        for (String field : kind.fields()) {
            if (kind.required(field) && !fields.containsKey(field) && !RowMapper.derivable(kind, field)) {
                if (field.equals("currency") && currencyDefault == null) {
                    throw new MappingException("columns.currency: not mapped and no currency_default; map the"
                            + " currency column or set currency_default: USD (or another ISO-4217 code)");
                }
                if (!field.equals("currency")) {
                    throw new MappingException("columns." + field + ": not mapped; " + kind.withArticle()
                            + " needs it (map a column, a template or a constant)");
                }
            }
        }
        if (kind == RecordKind.INVOICE_LINE && !fields.containsKey("unit_rate") && !fields.containsKey("line_total")) {
            throw new MappingException("columns.unit_rate: neither unit_rate nor line_total is mapped; an invoice line"
                    + " needs at least one (the other is derived with the quantity)");
        }
        for (FieldSource source : fields.values()) {
            if (source.usesLineNumber() && kind != RecordKind.INVOICE_LINE) {
                throw new MappingException("columns." + source.field() + ": {line#} counts the lines of an invoice;"
                        + " use {row#} for " + kind.withArticle());
            }
            if (source.minorUnits() && !fields.containsKey("currency") && currencyDefault == null) {
                throw new MappingException("columns." + source.field() + ".minor_units: needs a currency (columns.currency"
                        + " or currency_default)");
            }
        }
    }

    /** A constant that cannot be read as its field's type fails here, not on every row. */
    private void checkConstants() {
        RowMapper probe = new RowMapper(this, "mapping");
        for (FieldSource source : fields.values()) {
            if (source.constant() != null) {
                try {
                    probe.convert(source, source.constant(), currencyDefault);
                } catch (RowRejected e) {
                    throw new MappingException("constants." + source.field() + ": " + e.getMessage());
                }
            }
        }
    }

    private static RecordKind kind(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new MappingException("record: missing; say what each row is: " + RecordKind.keys());
        }
        for (RecordKind kind : RecordKind.values()) {
            if (kind.key().equals(node.asText().trim())) {
                return kind;
            }
        }
        throw new MappingException("record: '" + node.asText() + "' is not one of " + RecordKind.keys());
    }

    private static void field(RecordKind kind, String field, String key) {
        if (!kind.fields().contains(field)) {
            throw new MappingException(key + ": " + kind.withArticle() + " has no field '" + field + "' (its fields: "
                    + String.join(", ", kind.fields()) + ")");
        }
    }

    private static FieldSource source(RecordKind kind, String field, JsonNode node, String key, DateParser dates) {
        if (node.isTextual()) {
            return columnOrTemplate(field, node.asText(), null, dates, null, false, null, Map.of(), key);
        }
        if (!node.isObject()) {
            throw new MappingException(key + ": give a column name, a template in quotes such as \"{id}-{row#}\","
                    + " or a set of keys (column, template, format, ...)");
        }
        knownKeys(node, FIELD_KEYS, key + ".");
        Schema schema = kind.fieldSchema(field);
        boolean time = schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
        boolean decimal = schema.getLogicalType() instanceof LogicalTypes.Decimal;
        if (!time && (node.has("format") || node.has("zone") || node.has("plus"))) {
            throw new MappingException(key + ": format, zone and plus are for dates, and " + field + " is not one");
        }
        if (!decimal && node.has("minor_units")) {
            throw new MappingException(key + ".minor_units: only for amounts, and " + field + " is not one");
        }
        ZoneId zone = node.has("zone") ? zone(node.get("zone"), key + ".zone") : dates.zone();
        DateParser own = node.has("format") ? dateParser(node.get("format"), zone, key + ".format")
                : dates.withZone(zone);
        Period plus = null;
        if (node.hasNonNull("plus")) {
            try {
                plus = Period.parse(node.get("plus").asText().trim());
            } catch (DateTimeParseException e) {
                throw new MappingException(key + ".plus: '" + node.get("plus").asText()
                        + "' is not a period such as P1D (one day) or P1M (one month)");
            }
        }
        boolean minorUnits = node.has("minor_units") && node.get("minor_units").asBoolean(false);
        String defaultValue = node.hasNonNull("default") ? node.get("default").asText() : null;
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode valueMap = node.get("values");
        if (valueMap != null && !valueMap.isNull()) {
            if (!valueMap.isObject()) {
                throw new MappingException(key + ".values: give cell text: field value pairs, such as paid: SUCCEEDED");
            }
            valueMap.fields().forEachRemaining(v -> values.put(v.getKey(), v.getValue().asText()));
        }
        boolean column = node.hasNonNull("column");
        boolean template = node.hasNonNull("template");
        if (column == template) {
            throw new MappingException(key + ": give exactly one of column and template");
        }
        String text = (column ? node.get("column") : node.get("template")).asText();
        return columnOrTemplate(field, text, template, own, plus, minorUnits, defaultValue, values, key);
    }

    /** A plain string is a template when it holds a brace, a column name otherwise; {@code asTemplate} forces it. */
    private static FieldSource columnOrTemplate(String field, String text, Boolean asTemplate, DateParser dates,
                                                Period plus, boolean minorUnits, String defaultValue,
                                                Map<String, String> values, String key) {
        if (text.isBlank()) {
            throw new MappingException(key + ": empty column name");
        }
        boolean template = asTemplate != null ? asTemplate : text.contains("{");
        return template
                ? new FieldSource(field, null, FieldSource.parseTemplate(text, key), null, dates, plus, minorUnits,
                        defaultValue, values)
                : new FieldSource(field, text.trim(), null, null, dates, plus, minorUnits, defaultValue, values);
    }

    private static DateParser dateParser(JsonNode formats, ZoneId zone, String key) {
        List<String> list = new ArrayList<>();
        if (formats == null || formats.isNull()) {
            list.addAll(DateParser.DEFAULT_FORMATS);
        } else if (formats.isTextual()) {
            list.add(formats.asText());
        } else if (formats.isArray() && !formats.isEmpty()) {
            formats.forEach(f -> list.add(f.asText()));
        } else {
            throw new MappingException(key + ": give a format or a list of formats, such as [\"dd.MM.yyyy\", iso]");
        }
        for (String format : list) {
            try {
                new DateParser(List.of(format), zone);
            } catch (IllegalArgumentException e) {
                throw new MappingException(key + ": '" + format + "' is not a date pattern (" + e.getMessage()
                        + "); see java.time.format.DateTimeFormatter, or use iso, epoch_seconds, epoch_millis");
            }
        }
        return new DateParser(list, zone);
    }

    private static ZoneId zone(JsonNode node, String key) {
        if (node == null || node.isNull()) {
            return DateParser.zone(null);
        }
        try {
            return ZoneId.of(node.asText().trim());
        } catch (DateTimeException e) {
            throw new MappingException(key + ": '" + node.asText() + "' is not a time zone (UTC, Europe/Berlin,"
                    + " +02:00, ...)");
        }
    }

    private static JsonNode object(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new MappingException(key + ": expected a set of keys, not " + node.getNodeType().toString()
                    .toLowerCase(Locale.ROOT));
        }
        return node;
    }

    private static char character(JsonNode node, String name, char fallback, String key) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        String text = value.asText();
        if (text.equals("tab") || text.equals("\\t")) {
            return '\t';
        }
        if (text.length() != 1) {
            throw new MappingException(key + ": '" + text + "' is not one character");
        }
        return text.charAt(0);
    }

    private static void knownKeys(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new MappingException(prefix + name + ": unknown key (known here: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }
}
