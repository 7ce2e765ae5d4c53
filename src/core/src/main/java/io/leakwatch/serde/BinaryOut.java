package io.leakwatch.serde;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * A {@link DataOutput} into a growable byte array, for the binary state codecs that are run on every record. It
 * writes exactly the bytes a {@link DataOutputStream} over a {@link java.io.ByteArrayOutputStream} writes (big-endian
 * primitives, modified UTF-8 with a 2-byte length), so stored state stays readable both ways, but without their
 * per-call locking and intermediate copies: on a state of a few kilobytes written per event, those were most of the
 * encoding time. Not thread-safe; one per encode.
 */
public final class BinaryOut implements DataOutput {
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

    /**
     * A decimal's unscaled value as {@link java.math.BigInteger#toByteArray()} would give it (minimal big-endian two's
     * complement), without allocating the array when it fits in a long.
     */
    public void writeUnscaled(java.math.BigInteger unscaled) {
        int length = unscaled.bitLength() / 8 + 1;
        if (length > 8) {
            byte[] bytes = unscaled.toByteArray();
            writeByte(bytes.length);
            write(bytes);
            return;
        }
        long v = unscaled.longValue();
        writeByte(length);
        ensure(length);
        for (int shift = (length - 1) * 8; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    /** Forgets what was written, keeping the array: one writer can serve every encode of a processor. */
    public BinaryOut reset() {
        size = 0;
        return this;
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

    @Override
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    @Override
    public void writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Modified UTF-8 as {@link DataOutputStream#writeUTF}: 2-byte length, U+0000 and U+0800.. as 2 or 3 bytes. */
    @Override
    public void writeUTF(String s) throws UTFDataFormatException {
        // fast path: ids and codes are ASCII without NUL, where modified UTF-8 is one byte a character (not a length
        // check on String.getBytes: that writes a lone surrogate as one '?' byte)
        int n = s.length();
        if (n <= 65535 && ascii(s)) {
            writeShort(n);
            writeBytes(s);
            return;
        }
        int encoded = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == 0) {
                encoded += c >= 0x800 ? 2 : 1;
            }
        }
        if (encoded > 65535) {
            throw new UTFDataFormatException("encoded string too long: " + encoded + " bytes");
        }
        writeShort(encoded);
        ensure(encoded);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80 && c != 0) {
                buf[size++] = (byte) c;
            } else if (c >= 0x800) {
                buf[size++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
                buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            } else {
                buf[size++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }
}
