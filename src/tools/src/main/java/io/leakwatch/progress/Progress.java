package io.leakwatch.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long-running step, printed as one line at most every {@code intervalMs} and once at the end:
 * {@code "replay: 45,000 / 150,000 records (30%)"}. Goes to stderr so stdout stays clean for results.
 */
public final class Progress {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final long intervalMs;
    private long done;
    private long lastPrint;

    public Progress(PrintStream out, String label, long total, String unit) {
        this(out, label, total, unit, 2_000);
    }

    public Progress(PrintStream out, String label, long total, String unit, long intervalMs) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.intervalMs = intervalMs;
        this.lastPrint = System.currentTimeMillis();
    }

    public static Progress silent() {
        return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()), "", 0, "", Long.MAX_VALUE);
    }

    public void step() {
        advanceTo(done + 1);
    }

    public void advanceTo(long value) {
        done = value;
        long now = System.currentTimeMillis();
        if (now - lastPrint >= intervalMs) {
            lastPrint = now;
            print();
        }
    }

    public void finish() {
        done = Math.max(done, total);
        print();
    }

    private void print() {
        if (total > 0) {
            out.printf(Locale.ROOT, "%s: %,d / %,d %s (%d%%)%n", label, done, total, unit, done * 100 / total);
        } else {
            out.printf(Locale.ROOT, "%s: %,d %s%n", label, done, unit);
        }
    }
}
