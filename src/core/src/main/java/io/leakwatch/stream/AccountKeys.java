package io.leakwatch.stream;

import io.leakwatch.account.EventPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the per-account stores, laid out so that one account's entries are contiguous and in time order:
 * <pre>
 * account prefix = int length, UTF-8 account id     (no account's prefix starts another's)
 * event log      = prefix | time | rank | identity   (time with its sign bit flipped, rank + 128: unsigned byte order
 *                                                     is {@link EventPosition} order)
 * checkpoint     = prefix | month boundary
 * </pre>
 */
final class AccountKeys {
    private AccountKeys() {
    }

    static byte[] prefix(String account) {
        byte[] utf8 = account.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
    }

    static Bytes event(String account, EventPosition position) {
        byte[] prefix = prefix(account);
        byte[] identity = position.identity().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + 9 + identity.length).put(prefix)
                .putLong(position.time() ^ Long.MIN_VALUE).put((byte) (position.rank() + 128)).put(identity).array());
    }

    /** The first event-log key of {@code account} at or after {@code time}. */
    static Bytes eventsFrom(String account, long time) {
        byte[] prefix = prefix(account);
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(time ^ Long.MIN_VALUE).array());
    }

    /** A key after every key of {@code account} (event log or checkpoints). */
    static Bytes end(String account) {
        byte[] prefix = prefix(account);
        byte[] key = new byte[prefix.length + 10];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        java.util.Arrays.fill(key, prefix.length, key.length, (byte) 0xff);
        return Bytes.wrap(key);
    }

    static Bytes checkpoint(String account, long boundary) {
        return eventsFrom(account, boundary);
    }

    /** The time of an event-log or checkpoint key. */
    static long time(Bytes key) {
        ByteBuffer b = ByteBuffer.wrap(key.get());
        int length = b.getInt();
        return b.getLong(4 + length) ^ Long.MIN_VALUE;
    }

    /** The account of an event-log or checkpoint key. */
    static String account(Bytes key) {
        ByteBuffer b = ByteBuffer.wrap(key.get());
        int length = b.getInt();
        return new String(key.get(), 4, length, StandardCharsets.UTF_8);
    }
}
