package io.leakwatch.serde;

import java.util.Arrays;

/**
 * A growable byte array written at its end: the buffer under {@link StateWriter}, which says how each value is laid
 * out. Big-endian fixed-width values, varints and ASCII are stored straight into the array, without the per-call
 * locking and intermediate copies of a {@link java.io.DataOutputStream}; the array is allocated again only when it
 * grows, and {@link #reset} keeps it. Not thread-safe.
 */
public final class BinaryOut {
    private byte[] buf;
    private int size;

    public BinaryOut(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /** Forgets what was written, keeping the array: one writer can serve every encode of a thread. */
    public BinaryOut reset() {
        size = 0;
        return this;
    }

    /** Forgets what was written after the first {@code length} bytes. */
    public void truncate(int length) {
        if (length < 0 || length > size) {
            throw new IndexOutOfBoundsException("length " + length + " of " + size + " bytes");
        }
        size = length;
    }

    /** A copy of the bytes written at positions {@code from} (inclusive) to {@code to} (exclusive). */
    public byte[] copyOfRange(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("range " + from + ".." + to + " of " + size + " bytes");
        }
        return Arrays.copyOfRange(buf, from, to);
    }

    /** The bytes written so far (a copy of exactly that length). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public int size() {
        return size;
    }

    /** The low 8 bits of {@code b}. */
    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void write(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    public void writeInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    public void writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    /** The 8 IEEE 754 bytes of {@code v}, NaN payloads included. */
    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** {@code value} as an unsigned LEB128 varint: 7 bits a byte, low first, the high bit set on all but the last. */
    public void writeVarint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /**
     * {@code s} as UTF-8 when it is ASCII (every character below U+0080), one byte a character, and true; else
     * nothing and false. Ids, codes and currencies are ASCII: they are copied without an intermediate array.
     */
    public boolean writeAscii(String s) {
        int n = s.length();
        ensure(n);
        int start = size;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                size = start;
                return false;
            }
            buf[size++] = (byte) c;
        }
        return true;
    }
}
