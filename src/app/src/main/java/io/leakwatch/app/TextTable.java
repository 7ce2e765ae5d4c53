package io.leakwatch.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for the console whose columns are as wide as their widest cell, so that a long account id or topic name
 * moves the next column along instead of pushing a row out of line. Two spaces between columns; numbers are best
 * right-aligned. The last column is not padded, so lines carry no trailing spaces.
 */
public final class TextTable {
    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private String indent = "";

    /** A column whose cells line up on their left edge (text). */
    public TextTable left(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    /** A column whose cells line up on their right edge (numbers, amounts). */
    public TextTable right(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    /** Characters put before every line. */
    public TextTable indent(String value) {
        this.indent = value;
        return this;
    }

    /** One row: one cell per column, in column order. */
    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size()
                    + " columns");
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
        return this;
    }

    /** The header line and every row, each line ending in a line break. */
    public String render() {
        return render(true);
    }

    /** @param withHeader false: the rows only (a list whose meaning the line before it says) */
    public String render(boolean withHeader) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = withHeader ? headers.get(c).length() : 0;
        }
        for (String[] row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        if (withHeader) {
            line(out, headers.toArray(String[]::new), widths);
        }
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - cells[c].length());
            boolean last = c == cells.length - 1;
            if (rightAligned.get(c)) {
                line.append(pad).append(cells[c]);
            } else {
                line.append(cells[c]).append(last ? "" : pad);
            }
        }
        out.append(line).append('\n');
    }
}
