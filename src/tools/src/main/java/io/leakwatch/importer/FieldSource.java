package io.leakwatch.importer;

import java.time.Period;
import java.util.List;
import java.util.Map;

/**
 * Where one field of the record comes from: a column, a template of columns, or a constant; and how its text is read.
 *
 * @param field        the record field (schema name)
 * @param column       the column holding the value, or null
 * @param template     the parts of a template ({@link Part}), or null
 * @param constant     the same value on every record, or null
 * @param dates        how this field's dates are read (the mapping's, or the field's own {@code format})
 * @param plus         added to a date (an end date given inclusive: {@code P1D}), or null
 * @param minorUnits   the cell is an amount in minor units of the row's currency (cents): divided by 10^digits
 * @param defaultValue the text used when the cell is empty, or null
 * @param values       cell text -> field text (a status {@code paid} -> {@code SUCCEEDED}); empty for none
 */
record FieldSource(String field, String column, List<Part> template, String constant, DateParser dates, Period plus,
                   boolean minorUnits, String defaultValue, Map<String, String> values) {

    /** One piece of a template: literal text, a column's cell, the row number or the line number in its invoice. */
    sealed interface Part {
    }

    record Literal(String text) implements Part {
    }

    record Cell(String column) implements Part {
    }

    /** {@code {row#}}: the row number in the CSV file, the header being row 1. */
    record RowNumber() implements Part {
    }

    /** {@code {line#}}: 1 for the first row of an invoice id, 2 for its second, ... in file order. */
    record LineNumber() implements Part {
    }

    /** The columns this source reads. */
    List<String> columns() {
        if (column != null) {
            return List.of(column);
        }
        if (template != null) {
            return template.stream().filter(p -> p instanceof Cell).map(p -> ((Cell) p).column()).toList();
        }
        return List.of();
    }

    boolean usesLineNumber() {
        return template != null && template.stream().anyMatch(p -> p instanceof LineNumber);
    }

    /** Parses {@code "{invoice}-{row#}"}: braces name a column, {@code row#} or {@code line#}; the rest is literal. */
    static List<Part> parseTemplate(String text, String key) {
        List<Part> parts = new java.util.ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw new MappingException(key + ": the template '" + text + "' opens a '{' it never closes");
                }
                String name = text.substring(i + 1, close).trim();
                if (name.isEmpty()) {
                    throw new MappingException(key + ": the template '" + text + "' has an empty {}");
                }
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(switch (name) {
                    case "row#" -> new RowNumber();
                    case "line#" -> new LineNumber();
                    default -> new Cell(name);
                });
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return List.copyOf(parts);
    }
}
