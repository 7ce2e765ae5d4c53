package io.leakwatch.account;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where an event or a judgement falls in an account's history: the canonical order every judgement is made in,
 * whatever order the records arrived in.
 *
 * <pre>
 * (time, rank, identity), compared in that order
 * time     = the record timestamp (the event's business time), or a judgement's instant
 * rank     = which kind of thing comes first at one instant: judgements that count only earlier events (-1:
 *            period closes, month boundaries, scoring ticks), contract versions (0), provisioning (1), usage (2),
 *            invoice lines (3), payments (4), judgements that count every event of their instant (9: payment
 *            deadlines)
 * identity = the event's id (contract_id#version, invoice_id/line_id, usage_id, payment_id#status, change_id),
 *            compared as UTF-8 bytes, the order the event log's keys sort in
 * </pre>
 * Two records at the same position are the same event: a redelivery, or a correction that replaces it.
 */
public record EventPosition(long time, int rank, String identity) implements Comparable<EventPosition> {
    public static final int BEFORE_EVENTS = -1;
    public static final int CONTRACT = 0;
    public static final int PROVISIONING = 1;
    public static final int USAGE = 2;
    public static final int INVOICE_LINE = 3;
    public static final int PAYMENT = 4;
    public static final int AFTER_EVENTS = 9;
    /** The lowest rank an event can have: a judgement before it at the same instant cannot be overtaken. */
    public static final int FIRST_EVENT_RANK = CONTRACT;

    /** Before everything. */
    public static final EventPosition START = new EventPosition(Long.MIN_VALUE, Integer.MIN_VALUE, "");

    public EventPosition {
        Objects.requireNonNull(identity);
    }

    /** A judgement's position: no identity of its own. */
    public static EventPosition judgement(long time, int rank) {
        return new EventPosition(time, rank, "");
    }

    /** The first position at {@code time}: before every event and judgement of that instant. */
    public static EventPosition startOf(long time) {
        return new EventPosition(time, Integer.MIN_VALUE, "");
    }

    @Override
    public int compareTo(EventPosition o) {
        int c = Long.compare(time, o.time);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(rank, o.rank);
        if (c != 0 || identity.equals(o.identity)) {
            return c;
        }
        return Arrays.compareUnsigned(identity.getBytes(StandardCharsets.UTF_8), o.identity.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isBefore(EventPosition o) {
        return compareTo(o) < 0;
    }
}
