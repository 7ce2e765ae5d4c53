package io.leakwatch.detect.duplicate;

/**
 * What the screen remembers of an {@code invoice_id/line_id}: the issue time it was first seen with, and the
 * original it duplicates when it was judged a duplicate (null otherwise). The value of the seen-ids store.
 */
public record SeenLine(long issuedAtMs, LineRef duplicateOf) {
}
