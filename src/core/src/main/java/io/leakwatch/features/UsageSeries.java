package io.leakwatch.features;

import java.util.Arrays;

/**
 * One service's usage points of an account: instant (epoch ms) -&gt; quantity, sorted by instant, one point per
 * instant (quantities at the same instant are summed), in two primitive arrays. Usage is the busiest input and a
 * point lands on almost every usage record; a {@code TreeMap<Long, Double>} spent most of that in cache misses on
 * its boxed nodes, while a few dozen points here sit in a few cache lines. Points almost always arrive in time
 * order (an append); a late one is inserted in place.
 */
final class UsageSeries {
    private long[] at = new long[8];
    private double[] quantity = new double[8];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The instant of point {@code i} (0 = the earliest). */
    long at(int i) {
        return at[i];
    }

    double quantity(int i) {
        return quantity[i];
    }

    /** The earliest instant; the series must not be empty. */
    long first() {
        return at[0];
    }

    /** Adds {@code q} at instant {@code t}: to the point already there (old + q), else as a new point. */
    void add(long t, double q) {
        if (size == 0 || t > at[size - 1]) {
            append(t, q);
            return;
        }
        int i = Arrays.binarySearch(at, 0, size, t);
        if (i >= 0) {
            quantity[i] = quantity[i] + q;
            return;
        }
        int insert = -i - 1;
        grow();
        System.arraycopy(at, insert, at, insert + 1, size - insert);
        System.arraycopy(quantity, insert, quantity, insert + 1, size - insert);
        at[insert] = t;
        quantity[insert] = q;
        size++;
    }

    /** Appends a point after the last one (the codec, which reads the points in order). */
    void append(long t, double q) {
        if (size > 0 && t <= at[size - 1]) {
            throw new IllegalArgumentException("usage point at " + t + " is not after the last one at " + at[size - 1]);
        }
        grow();
        at[size] = t;
        quantity[size] = q;
        size++;
    }

    /** The index of the first point at or after {@code t} ({@link #size} when there is none). */
    int indexFrom(long t) {
        int i = Arrays.binarySearch(at, 0, size, t);
        return i >= 0 ? i : -i - 1;
    }

    /** Forgets the points before {@code t}. */
    void dropBefore(long t) {
        int from = indexFrom(t);
        if (from > 0) {
            System.arraycopy(at, from, at, 0, size - from);
            System.arraycopy(quantity, from, quantity, 0, size - from);
            size -= from;
        }
    }

    private void grow() {
        if (size == at.length) {
            at = Arrays.copyOf(at, size * 2);
            quantity = Arrays.copyOf(quantity, size * 2);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsageSeries other && Arrays.equals(at, 0, size, other.at, 0, other.size)
                && Arrays.equals(quantity, 0, size, other.quantity, 0, other.size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + Long.hashCode(at[i]) * 17 + Double.hashCode(quantity[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            s.append(i == 0 ? "" : ", ").append(at[i]).append('=').append(quantity[i]);
        }
        return s.append('}').toString();
    }
}
