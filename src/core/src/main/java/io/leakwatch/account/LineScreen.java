package io.leakwatch.account;

import io.leakwatch.detect.duplicate.DuplicateRule;
import io.leakwatch.detect.duplicate.LineRef;
import io.leakwatch.detect.duplicate.LineSignature;
import io.leakwatch.detect.duplicate.SeenLine;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.InvoiceLine;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the duplicate screen remembers of one account's recent invoice lines, and its verdict on the next one
 * ({@link DuplicateRule}). Everything is per account, so the same {@code invoice_id/line_id} billed to two accounts
 * is two lines, never a re-issue.
 *
 * <pre>
 * seen[invoice_id/line_id]  = the issue time it was first seen with, and the original it duplicates (if it does)
 * signatures[LineSignature] = the line first seen with that signature
 * lines without an account: only told apart from redeliveries (same id, same issue time)
 * entries issued more than the duplicate window before the account's history have been read are forgotten
 * </pre>
 */
public final class LineScreen {
    final TreeMap<String, SeenLine> seen = new TreeMap<>();
    final TreeMap<String, LineRef> signatures = new TreeMap<>();

    public DuplicateRule.Verdict screen(InvoiceLine line, DuplicateRule rule, boolean hasAccount) {
        String id = InvoiceLineChecks.evidenceKey(line);
        long issuedAt = line.getIssuedAt().toEpochMilli();
        SeenLine before = seen.get(id);
        if (!hasAccount) {
            if (before != null && before.issuedAtMs() == issuedAt) {
                return new DuplicateRule.Verdict.Redelivery();
            }
            seen.put(id, new SeenLine(issuedAt, null));
            return new DuplicateRule.Verdict.New();
        }
        String signature = LineSignature.of(line);
        DuplicateRule.Verdict verdict = rule.judge(line, before, signatures.get(signature));
        if (verdict instanceof DuplicateRule.Verdict.Duplicate duplicate) {
            if (before == null || before.issuedAtMs() == issuedAt) {
                seen.put(id, new SeenLine(issuedAt, duplicate.original()));
            }
        } else if (verdict instanceof DuplicateRule.Verdict.New) {
            LineRef ref = LineRef.of(line);
            seen.put(id, new SeenLine(issuedAt, null));
            signatures.put(signature, ref);
        }
        return verdict;
    }

    /** Forgets lines issued before {@code before}: no later line can be near them. */
    public void forgetIssuedBefore(long before) {
        seen.values().removeIf(s -> s.issuedAtMs() < before);
        signatures.values().removeIf(r -> r.issuedAtMs() < before);
    }

    public boolean isEmpty() {
        return seen.isEmpty() && signatures.isEmpty();
    }

    Map<String, SeenLine> seen() {
        return seen;
    }

    Map<String, LineRef> signatures() {
        return signatures;
    }
}
