package io.leakwatch.generator;

import java.util.Comparator;
import java.util.Objects;

/**
 * A raw record that a correct pipeline must reject (dead-letter), written into the file of the topic it
 * targets.
 *
 * @param target   the topic file it goes into
 * @param position index among the target's good lines before which it is written (0 = first line,
 *                 {@code size} = after the last)
 * @param reason   why it must be rejected, e.g. "total of the opposite sign"
 * @param line     the raw text, one line, no line break
 */
public record BadRecord(Target target, int position, String reason, String line) {

    /** Bad records in file order: by target, then position; ties keep generation order (stable sort). */
    public static final Comparator<BadRecord> ORDER = Comparator.comparing(BadRecord::target)
            .thenComparingInt(BadRecord::position);

    /** The topic files bad records are mixed into. */
    public enum Target {
        CONTRACTS("contracts.jsonl"),
        INVOICES("invoices.jsonl"),
        USAGE("usage.jsonl");

        private final String fileName;

        Target(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    public BadRecord {
        Objects.requireNonNull(target);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(line);
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0");
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a bad record is one line");
        }
    }
}
