package io.leakwatch.detect.duplicate;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.InvoiceLine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
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
 *   <li>{@value #SEEN_IDS}: {@code invoice_id/line_id} -> {@link SeenLine} (first issue time, original if a duplicate).</li>
 * </ul>
 * Every day of stream time, entries issued more than {@code window} before the oldest time a record can still be
 * accepted ({@code stream time - lateness}) are purged: no line that ingest lets through can be near them.
 */
public final class DuplicateScreenProcessor implements FixedKeyProcessor<String, InvoiceLine, ScreenedLine> {
    public static final String SIGNATURES = "invoice-line-signatures";
    public static final String SEEN_IDS = "invoice-line-ids-seen";

    private final DuplicateRule rule;
    private final AlertFactory alerts;
    private final long latenessMs;
    private FixedKeyProcessorContext<String, ScreenedLine> context;
    private KeyValueStore<String, LineRef> signatures;
    private KeyValueStore<String, SeenLine> seen;

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
                seen.put(id, new SeenLine(line.getIssuedAt().toEpochMilli(), null));
            }
            context.forward(record.withValue(ScreenedLine.passed(line, redelivery)));
            return;
        }
        String signature = LineSignature.of(line);
        DuplicateRule.Verdict verdict = rule.judge(line, seenBefore, signatures.get(signature));
        if (verdict instanceof DuplicateRule.Verdict.Duplicate duplicate) {
            if (seenBefore == null || seenBefore.issuedAtMs() == line.getIssuedAt().toEpochMilli()) {
                seen.put(id, new SeenLine(line.getIssuedAt().toEpochMilli(), duplicate.original()));
            }
            var alert = alerts.toAlert(rule.finding(line, duplicate.original()), Instant.ofEpochMilli(record.timestamp()));
            context.forward(record.withValue(ScreenedLine.duplicate(line, alert)));
        } else if (verdict instanceof DuplicateRule.Verdict.Redelivery) {
            context.forward(record.withValue(ScreenedLine.passed(line, true)));
        } else {
            LineRef ref = LineRef.of(line);
            seen.put(id, new SeenLine(ref.issuedAtMs(), null));
            signatures.put(signature, ref);
            context.forward(record.withValue(ScreenedLine.passed(line, false)));
        }
    }

    private void purge(long streamTime) {
        long oldestAccepted = streamTime - latenessMs;
        List<String> staleSignatures = new ArrayList<>();
        try (KeyValueIterator<String, LineRef> all = signatures.all()) {
            while (all.hasNext()) {
                KeyValue<String, LineRef> entry = all.next();
                if (rule.expired(entry.value.issuedAtMs(), oldestAccepted)) {
                    staleSignatures.add(entry.key);
                }
            }
        }
        staleSignatures.forEach(signatures::delete);
        List<String> staleIds = new ArrayList<>();
        try (KeyValueIterator<String, SeenLine> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, SeenLine> entry = all.next();
                if (rule.expired(entry.value.issuedAtMs(), oldestAccepted)) {
                    staleIds.add(entry.key);
                }
            }
        }
        staleIds.forEach(seen::delete);
    }
}
