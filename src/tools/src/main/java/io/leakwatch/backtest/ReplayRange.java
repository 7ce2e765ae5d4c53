package io.leakwatch.backtest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The part of a history a replay reads, by event time: the events from {@code from} (inclusive) to {@code to}
 * (exclusive), either end open when null.
 *
 * <p>The standing inputs are read from the start of the history up to {@code to} whatever {@code from} says: a
 * contract version or a provisioning change made before the range is still in force in it, and without it every
 * invoice line of the range would be judged as billed with no contract (or against no provisioned level). The
 * findings about what happened before the range (a missing invoice of a period before it, say) are the earlier
 * range's, and the replay leaves them out ({@link #judges}).
 *
 * @param from first event time read; null for the start of the history
 * @param to   event time where reading stops (not read); null for the end of the history
 */
public record ReplayRange(Instant from, Instant to) {
    /** The whole history. */
    public static final ReplayRange ALL = new ReplayRange(null, null);

    public ReplayRange {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the range is empty: --from " + from + " is not before --to " + to);
        }
    }

    /**
     * Reads a time as a flag gives it: an instant ({@code 2024-03-01T00:00:00Z}) or a date, meaning its start in UTC
     * ({@code 2024-03-01}).
     */
    public static Instant parseTime(String text) {
        String t = text.trim();
        try {
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: give a date (2024-03-01, its start in"
                    + " UTC) or an instant (2024-03-01T00:00:00Z)");
        }
    }

    public boolean isAll() {
        return from == null && to == null;
    }

    /** Whether a record at {@code timestamp} is read: a standing input's from the start, an event's from {@code from}. */
    public boolean reads(long timestamp, boolean standing) {
        return (standing || from == null || timestamp >= from.toEpochMilli()) && (to == null || timestamp < to.toEpochMilli());
    }

    /** Whether {@code timestamp} lies in the range itself (for a standing input too). */
    public boolean holds(long timestamp) {
        return reads(timestamp, false);
    }

    /** Whether a finding about the business time {@code eventTime} is this range's to report. */
    public boolean judges(Instant eventTime) {
        return from == null || !eventTime.isBefore(from);
    }

    /**
     * The records of {@code input} (held in memory) this range reads, in the same order; standing inputs are the
     * topics named.
     */
    public ReplayInput select(ReplayInput input, Set<String> standingTopics) {
        if (isAll()) {
            return input;
        }
        return new ReplayInput(input.records().stream()
                .filter(r -> reads(r.timestamp(), standingTopics.contains(r.topic()))).toList(), input.coverage(), this);
    }

    /** For messages: {@code [2024-03-01T00:00:00Z, 2024-07-01T00:00:00Z)}, an open end as "start"/"end". */
    @Override
    public String toString() {
        return "[" + (from == null ? "start of history" : from) + ", " + (to == null ? "end of history" : to) + ")";
    }
}
