package io.leakwatch.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic alert ids: {@code hex(sha256(type + "|" + len(account) + ":" + account + "|" + evidence_key))[0..32)}
 * (the account is length-prefixed so no choice of ids can make two findings collide). The same
 * finding gets the same id on every replay and restart, so consumers can dedupe on it.
 */
public final class AlertIds {
    private AlertIds() {
    }

    public static String of(AlertType type, String accountId, String evidenceKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((type.name() + "|" + accountId.length() + ":" + accountId + "|" + evidenceKey)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
