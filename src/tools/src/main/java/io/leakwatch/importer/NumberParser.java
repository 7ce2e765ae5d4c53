package io.leakwatch.importer;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Reads the text of a number cell exactly, as a {@link BigDecimal}: a decimal separator ({@code .} or {@code ,}),
 * optionally a grouping separator between groups of three digits ({@code ,}, {@code .}, a space, {@code '} or
 * {@code _}), a sign before or after the digits or accounting parentheses for a negative amount. A grouping separator
 * anywhere but between groups of three is refused, so {@code 1,5} under {@code grouping ","} is an error, never 15.
 */
final class NumberParser {
    private final char decimal;
    private final Character grouping;
    private final Pattern shape;

    NumberParser(char decimal, Character grouping) {
        this.decimal = decimal;
        this.grouping = grouping;
        String d = Pattern.quote(String.valueOf(decimal));
        String digits = grouping == null ? "\\d+"
                : "(?:\\d{1,3}(?:" + Pattern.quote(String.valueOf(grouping)) + "\\d{3})+|\\d+)";
        this.shape = Pattern.compile("(?:" + digits + "(?:" + d + "\\d*)?|" + d + "\\d+)");
    }

    char decimal() {
        return decimal;
    }

    Character grouping() {
        return grouping;
    }

    BigDecimal parse(String text) throws RowRejected {
        String value = text.strip().replace('\u00a0', ' ').replace('\u202f', ' ');
        if (grouping == null || grouping != ' ') {
            value = value.replace(" ", "");
        }
        boolean negative = false;
        if (value.startsWith("(") && value.endsWith(")")) {
            negative = true;
            value = value.substring(1, value.length() - 1);
        } else if (value.startsWith("-") || value.endsWith("-")) {
            negative = true;
            value = value.startsWith("-") ? value.substring(1) : value.substring(0, value.length() - 1);
        } else if (value.startsWith("+")) {
            value = value.substring(1);
        }
        if (!shape.matcher(value).matches()) {
            throw new RowRejected("'" + text.strip() + "' is not a number with decimal separator '" + decimal + "'"
                    + (grouping == null ? " and no grouping" : " and grouping '" + grouping + "'"));
        }
        if (grouping != null) {
            value = value.replace(String.valueOf(grouping), "");
        }
        BigDecimal number = new BigDecimal(value.replace(decimal, '.').replaceAll("\\.$", ""));
        return negative ? number.negate() : number;
    }
}
