package io.leakwatch.slack;

import io.leakwatch.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a message goes: a channel posted to with the bot token (chat.postMessage), or an incoming webhook
 * (which is bound to one channel by Slack). {@link #key()} identifies the Slack channel for rate limiting and
 * storm control, and is safe to log; a webhook's key is derived from a hash of its URL, never the URL.
 */
public sealed interface Destination {
    String key();

    record Channel(String channel) implements Destination {
        @Override
        public String key() {
            return "channel:" + channel;
        }

        @Override
        public String toString() {
            return key();
        }
    }

    record Webhook(Secret url) implements Destination {
        @Override
        public String key() {
            return "webhook:" + fingerprint(url.reveal());
        }

        @Override
        public String toString() {
            return key() + "(" + url.source() + ")";
        }

        private static String fingerprint(String value) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 4);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every JVM", e);
            }
        }
    }
}
