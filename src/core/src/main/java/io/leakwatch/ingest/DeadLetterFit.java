package io.leakwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Cuts a dead letter to a size every broker accepts. A record the broker took on an input topic can still make a
 * dead letter too large to write (its headers grow, a topic's {@code max.message.bytes} differs), and a write that
 * fails stops the processor; a dead letter therefore never carries more than
 * <pre>
 * key                                {@value #MAX_KEY} bytes        (the first characters that fit)
 * value                              {@value #MAX_VALUE} bytes     (the first bytes)
 * the producer's own headers         {@value #MAX_FOREIGN_HEADERS} bytes in all (else all of them are left off)
 * Leakwatch's headers                bounded: the detail at most {@value DeadLetterHeaders#MAX_DETAIL} characters
 * </pre>
 * about 300 KB at most, under the 1 MB default of {@code max.message.bytes} and {@code max.request.size}. Whatever was
 * cut is named in {@link DeadLetterHeaders#TRUNCATED}, with the original's size and SHA-256 (key, value) or count and
 * size (headers): the source topic, partition and offset headers find the original, the hash proves it is the one.
 */
public final class DeadLetterFit {
    public static final int MAX_KEY = 1_024;
    public static final int MAX_VALUE = 256 * 1_024;
    public static final int MAX_FOREIGN_HEADERS = 16 * 1_024;
    private static final String OURS = "leakwatch.";

    private DeadLetterFit() {
    }

    /** The key, cut to its first characters that fit in {@value #MAX_KEY} bytes of UTF-8 when it is longer. */
    public static String key(String key, Headers headers) {
        if (key == null || key.length() * 3L <= MAX_KEY) {
            return key;
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_KEY) {
            return key;
        }
        cut(headers, "key", DeadLetterHeaders.ORIGINAL_KEY_SIZE, DeadLetterHeaders.ORIGINAL_KEY_SHA256, bytes);
        int end = 0;
        int size = 0;
        while (end < key.length()) {
            int next = key.offsetByCodePoints(end, 1);
            size += key.substring(end, next).getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_KEY) {
                break;
            }
            end = next;
        }
        return key.substring(0, end);
    }

    /** Raw key bytes (a record whose key is not known to be text), cut to {@value #MAX_KEY} bytes. */
    public static byte[] keyBytes(byte[] key, Headers headers) {
        if (key == null || key.length <= MAX_KEY) {
            return key;
        }
        cut(headers, "key", DeadLetterHeaders.ORIGINAL_KEY_SIZE, DeadLetterHeaders.ORIGINAL_KEY_SHA256, key);
        return java.util.Arrays.copyOf(key, MAX_KEY);
    }

    /** The value, cut to its first {@value #MAX_VALUE} bytes when it is longer. */
    public static byte[] value(byte[] value, Headers headers) {
        if (value == null || value.length <= MAX_VALUE) {
            return value;
        }
        cut(headers, "value", DeadLetterHeaders.ORIGINAL_VALUE_SIZE, DeadLetterHeaders.ORIGINAL_VALUE_SHA256, value);
        return java.util.Arrays.copyOf(value, MAX_VALUE);
    }

    /**
     * Leaves off the producer's headers (every header not named {@code leakwatch.*}) when together they are larger
     * than {@value #MAX_FOREIGN_HEADERS} bytes; Leakwatch's own are kept.
     */
    public static void headers(Headers headers) {
        List<Header> foreign = new ArrayList<>();
        long size = 0;
        for (Header h : headers) {
            if (!h.key().startsWith(OURS)) {
                foreign.add(h);
                size += h.key().length() + (h.value() == null ? 0 : h.value().length);
            }
        }
        if (size <= MAX_FOREIGN_HEADERS) {
            return;
        }
        for (Header h : foreign) {
            headers.remove(h.key());
        }
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ORIGINAL_HEADERS_DROPPED,
                String.format("%,d headers, %,d bytes", foreign.size(), size));
        truncated(headers, "headers");
    }

    private static void cut(Headers headers, String what, String sizeHeader, String hashHeader, byte[] original) {
        DeadLetterHeaders.put(headers, sizeHeader, Integer.toString(original.length));
        DeadLetterHeaders.put(headers, hashHeader, sha256(original));
        truncated(headers, what);
    }

    private static void truncated(Headers headers, String what) {
        String held = DeadLetterHeaders.get(headers, DeadLetterHeaders.TRUNCATED);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.TRUNCATED, held == null ? what : held + "," + what);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
