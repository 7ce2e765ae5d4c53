package io.leakwatch.detect.duplicate;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.state.TimeIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first step of the invoice path: every accepted line is judged by {@link DuplicateRule} and forwarded as a
 * {@link ScreenedLine}, either passed on (new or redelivered) or stopped as a duplicate with its alert
 * ({@code detected_at} = the duplicate's record time). Lines without an account are only told apart from
 * redeliveries: a duplicate needs an account to be reported against.
 *
 * <p>State, local to the account's partition (the key is never changed):
 * <ul>
 *   <li>{@value #SIGNATURES}: {@link LineSignature} -> the {@link LineRef} first seen with it;</li>
 *   <li>{@value #SEEN_IDS}: {@code invoice_id/line_id} -> {@link SeenLine} (first issue time, original if a duplicate);</li>
 *   <li>{@value #EXPIRY}: a {@link TimeIndex} of both by issue time ({@code S|signature}, {@code I|id}).</li>
 * </ul>
 * Every day of stream time, entries issued more than {@code window} before the oldest time a record can still be
 * accepted ({@code stream time - lateness}) are purged: no line that ingest lets through can be near them. The
 * purge reads only the index entries that fell due (it scanned both stores whole every day: half of the topology's
 * time in a replay); an entry rewritten with a later issue time since it was indexed has a later index entry and is
 * kept. State written before the index existed is indexed once, when a task finds the index empty and the stores not.
 */
public final class DuplicateScreenProcessor implements FixedKeyProcessor<String, InvoiceLine, ScreenedLine> {
    public static final String SIGNATURES = "invoice-line-signatures";
    public static final String SEEN_IDS = "invoice-line-ids-seen";
    public static final String EXPIRY = "invoice-line-expiry";
    private static final String SIGNATURE_REF = "S|";
    private static final String ID_REF = "I|";

    private final DuplicateRule rule;
    private final AlertFactory alerts;
    private final long latenessMs;
    private FixedKeyProcessorContext<String, ScreenedLine> context;
    private KeyValueStore<String, LineRef> signatures;
    private KeyValueStore<String, SeenLine> seen;
    private TimeIndex expiry;

    public DuplicateScreenProcessor(Duration window, Duration lateness, AlertFactory alerts) {
        this.rule = new DuplicateRule(window);
        this.latenessMs = lateness.toMillis();
        this.alerts = alerts;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ScreenedLine> context) {
        this.context = context;
        this.signatures = context.getStateStore(SIGNATURES);
        this.seen = context.getStateStore(SEEN_IDS);
        this.expiry = new TimeIndex(context.getStateStore(EXPIRY));
        indexStateWrittenBeforeTheIndex();
        context.schedule(Duration.ofDays(1), PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(FixedKeyRecord<String, InvoiceLine> record) {
        InvoiceLine line = record.value();
        String id = InvoiceLineChecks.evidenceKey(line);
        SeenLine seenBefore = seen.get(id);
        boolean hasAccount = line.getAccountId() != null && !line.getAccountId().isBlank();
        if (!hasAccount) {
            boolean redelivery = seenBefore != null && seenBefore.issuedAtMs() == line.getIssuedAt().toEpochMilli();
            if (!redelivery) {
                remember(id, new SeenLine(line.getIssuedAt().toEpochMilli(), null));
            }
            context.forward(record.withValue(ScreenedLine.passed(line, redelivery)));
            return;
        }
        String signature = LineSignature.of(line);
        DuplicateRule.Verdict verdict = rule.judge(line, seenBefore, signatures.get(signature));
        if (verdict instanceof DuplicateRule.Verdict.Duplicate duplicate) {
            if (seenBefore == null || seenBefore.issuedAtMs() == line.getIssuedAt().toEpochMilli()) {
                remember(id, new SeenLine(line.getIssuedAt().toEpochMilli(), duplicate.original()));
            }
            var alert = alerts.toAlert(rule.finding(line, duplicate.original()), Instant.ofEpochMilli(record.timestamp()));
            context.forward(record.withValue(ScreenedLine.duplicate(line, alert)));
        } else if (verdict instanceof DuplicateRule.Verdict.Redelivery) {
            context.forward(record.withValue(ScreenedLine.passed(line, true)));
        } else {
            LineRef ref = LineRef.of(line);
            remember(id, new SeenLine(ref.issuedAtMs(), null));
            signatures.put(signature, ref);
            expiry.add(ref.issuedAtMs(), SIGNATURE_REF + signature);
            context.forward(record.withValue(ScreenedLine.passed(line, false)));
        }
    }

    private void remember(String id, SeenLine line) {
        seen.put(id, line);
        expiry.add(line.issuedAtMs(), ID_REF + id);
    }

    private void purge(long streamTime) {
        long oldestAccepted = streamTime - latenessMs;
        for (TimeIndex.Entry due : expiry.takeDue(rule.expiredBefore(oldestAccepted))) {
            String ref = due.ref();
            if (ref.startsWith(SIGNATURE_REF)) {
                forgetIfExpired(signatures, ref.substring(SIGNATURE_REF.length()), LineRef::issuedAtMs, oldestAccepted);
            } else {
                forgetIfExpired(seen, ref.substring(ID_REF.length()), SeenLine::issuedAtMs, oldestAccepted);
            }
        }
    }

    /** Deletes {@code key} unless it was rewritten with a later issue time since it was indexed. */
    private <V> void forgetIfExpired(KeyValueStore<String, V> store, String key, ToLongFunction<V> issuedAt,
                                     long oldestAccepted) {
        V held = store.get(key);
        if (held != null && rule.expired(issuedAt.applyAsLong(held), oldestAccepted)) {
            store.delete(key);
        }
    }

    /** Upgrade from a version without the index: index what the two stores hold, once. */
    private void indexStateWrittenBeforeTheIndex() {
        if (expiry.isEmpty()) {
            expiry.indexAll(signatures, LineRef::issuedAtMs, SIGNATURE_REF);
            expiry.indexAll(seen, SeenLine::issuedAtMs, ID_REF);
        }
    }
}
