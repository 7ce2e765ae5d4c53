package io.leakwatch.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long-running step, printed as one line at most every {@code intervalMs} and once at the end:
 * {@code "replay: 45,000 / 150,000 records (30%, about 1m 10s left)"}. The time left is the rate since the first unit
 * applied to what remains. Goes to stderr so stdout stays clean for results.
 */
public final class Progress {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final long intervalMs;
    /** When the first unit was done: the rate leaves out the start-up before it. */
    private long started = -1;
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
        if (started < 0) {
            started = now;
        }
        if (now - lastPrint >= intervalMs) {
            lastPrint = now;
            print(now);
        }
    }

    public void finish() {
        done = Math.max(done, total);
        print(System.currentTimeMillis());
    }

    private void print(long now) {
        if (total > 0) {
            out.printf(Locale.ROOT, "%s: %,d / %,d %s (%d%%%s)%n", label, done, total, unit, done * 100 / total,
                    timeLeft(now));
        } else {
            out.printf(Locale.ROOT, "%s: %,d %s%n", label, done, unit);
        }
    }

    /** ", about 1m 10s left" from the rate so far, or nothing when done or too early to tell (under 1% done). */
    private String timeLeft(long now) {
        long elapsed = now - started;
        if (started < 0 || done * 100 < total || done >= total || elapsed <= 0) {
            return "";
        }
        long leftMs = (long) ((double) elapsed * (total - done) / done);
        return ", about " + duration(leftMs) + " left";
    }

    /** {@code 45s}, {@code 3m 05s}, {@code 2h 07m}. */
    static String duration(long ms) {
        long s = Math.max(1, Math.round(ms / 1000.0));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
