package io.leakwatch.detect.payment;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.state.TimeIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds invoice lines and payments of an account into one {@link InvoicePaymentState} per invoice and, in a
 * stream-time punctuation, judges the invoices whose deadline has passed with {@link PaymentRules}.
 *
 * <p>Both inputs are keyed by account, so an invoice's lines and payments meet in the account's task; the key is
 * never changed. State:
 * <ul>
 *   <li>{@value #INVOICE_STORE}: {@code account|invoice_id -> InvoicePaymentState}</li>
 *   <li>{@value #DEADLINE_STORE}: {@code zero-padded epoch ms|account|invoice_id -> account|invoice_id}, one entry
 *       per invoice at {@link PaymentRules#nextWakeUp}; the punctuation range-scans the entries due at or before
 *       stream time, so its cost is the number of invoices due, not the number held.</li>
 * </ul>
 * Alerts carry the judgement instant as {@code detected_at} (and record timestamp) and the invoice's issue time
 * as {@code event_time}, never the punctuation time: a replay gives byte-identical alerts. The punctuation runs
 * every {@link #PUNCTUATE_EVERY} of stream time, so a judgement is emitted at most that much stream time after
 * its instant; what it finds depends only on events timed at or before the instant.
 *
 * <p>Ignored, and counted in sensors of group {@code leakwatch-payments}: payments without {@code invoice_id}
 * ({@code no-invoice-id}: nothing to match them to), payments and lines in a currency other than the invoice's
 * ({@code other-currency}), and invoices whose lines never arrived ({@code abandoned}).
 */
public final class InvoicePaymentProcessor implements Processor<String, PaymentEvent, String, Alert> {
    public static final String INVOICE_STORE = "payment-invoices";
    public static final String DEADLINE_STORE = "payment-deadlines";
    public static final Duration PUNCTUATE_EVERY = Duration.ofHours(1);

    private final PaymentTerms terms;
    private final PaymentRules rules;
    private final AlertFactory alerts;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, byte[]> invoices;
    /** The deadline index; the hourly punctuation reads it only when something is due (see {@link TimeIndex}). */
    private TimeIndex deadlines;
    private Sensor noInvoiceId;
    private Sensor otherCurrency;
    private Sensor abandoned;

    public InvoicePaymentProcessor(PaymentTerms terms, AlertFactory alerts) {
        this.terms = terms;
        this.rules = new PaymentRules(terms);
        this.alerts = alerts;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.invoices = context.getStateStore(INVOICE_STORE);
        this.deadlines = new TimeIndex(context.getStateStore(DEADLINE_STORE));
        this.noInvoiceId = sensor("no-invoice-id");
        this.otherCurrency = sensor("other-currency");
        this.abandoned = sensor("abandoned");
        context.schedule(PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::judgeDue);
    }

    private Sensor sensor(String name) {
        return context.metrics().addRateTotalSensor("leakwatch-payments", "payment-detector", name,
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, PaymentEvent> record) {
        if (record.value() instanceof PaymentEvent.LineIssued issued) {
            addLine(record.key(), issued.line());
        } else if (record.value() instanceof PaymentEvent.PaymentMade made) {
            addPayment(record.key(), made.payment());
        }
    }

    private void addLine(String account, InvoiceLine line) {
        String key = stateKey(account, line.getInvoiceId());
        InvoicePaymentState state = load(key, account, line.getInvoiceId());
        switch (state.addLine(line, terms)) {
            case FIRST_LINE -> record(otherCurrency, state.paymentsInOtherCurrency());
            case OTHER_CURRENCY -> otherCurrency.record();
            case ADDED -> {
                // the total grew; nothing to count
            }
        }
        save(key, state);
    }

    private void addPayment(String account, Payment payment) {
        if (payment.getInvoiceId() == null || payment.getInvoiceId().isBlank()) {
            noInvoiceId.record();
            return;
        }
        String key = stateKey(account, payment.getInvoiceId());
        InvoicePaymentState state = load(key, account, payment.getInvoiceId());
        switch (state.addPayment(payment)) {
            case OTHER_CURRENCY -> otherCurrency.record();
            case REDELIVERED, SETTLES_NOTHING -> {
                return;
            }
            case RECORDED -> {
                // counted at the invoice's judgements
            }
        }
        save(key, state);
    }

    private void judgeDue(long streamTime) {
        // Only deadlines strictly before stream time: records stamped exactly at a deadline (a retry on the last
        // allowed instant) may still be on their way from another input partition, so a deadline is judged once
        // stream time has moved past it. The judgement itself only counts events up to the deadline.
        List<TimeIndex.Entry> due = deadlines.takeDue(streamTime);
        Instant now = Instant.ofEpochMilli(streamTime - 1);
        for (TimeIndex.Entry entry : due) {
            byte[] bytes = invoices.get(entry.ref());
            if (bytes == null) {
                continue;
            }
            InvoicePaymentState state = InvoicePaymentStateCodec.decode(bytes);
            state.indexedAt(null);
            PaymentRules.Outcome outcome = rules.judgeUpTo(state, now);
            for (PaymentRules.Judged judged : outcome.findings()) {
                Alert alert = alerts.toAlert(judged.finding(), judged.detectedAt());
                context.forward(new Record<>(state.accountId(), alert, judged.detectedAt().toEpochMilli()));
            }
            if (outcome.abandoned()) {
                abandoned.record();
            }
            if (outcome.finished()) {
                invoices.delete(entry.ref());
            } else {
                save(entry.ref(), state);
            }
        }
    }

    private InvoicePaymentState load(String key, String account, String invoiceId) {
        byte[] bytes = invoices.get(key);
        return bytes == null ? InvoicePaymentState.open(account, invoiceId) : InvoicePaymentStateCodec.decode(bytes);
    }

    /** Stores the state and moves its deadline-index entry to its next wake-up. */
    private void save(String key, InvoicePaymentState state) {
        Long next = rules.nextWakeUp(state).map(Instant::toEpochMilli).orElse(null);
        if (!java.util.Objects.equals(next, state.indexedAt())) {
            if (state.indexedAt() != null) {
                deadlines.remove(state.indexedAt(), key);
            }
            if (next != null) {
                deadlines.add(next, key);
            }
            state.indexedAt(next);
        }
        invoices.put(key, InvoicePaymentStateCodec.encode(state));
    }

    private static void record(Sensor sensor, long times) {
        for (long i = 0; i < times; i++) {
            sensor.record();
        }
    }

    static String stateKey(String account, String invoiceId) {
        return account + "|" + invoiceId;
    }
}
