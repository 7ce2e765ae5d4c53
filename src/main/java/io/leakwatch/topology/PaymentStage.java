package io.leakwatch.topology;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.payment.InvoicePaymentProcessor;
import io.leakwatch.detect.payment.PaymentEvent;
import io.leakwatch.detect.payment.PaymentTerms;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires the payment detector (docs/detectors.md, "Payments"): FAILED_PAYMENT_NOT_RECOVERED, UNPAID_INVOICE,
 * UNDERPAYMENT per invoice.
 *
 * <pre>
 * invoices (by account) --as PaymentEvent--\
 *                                           merge --InvoicePaymentProcessor [payment-invoices, payment-deadlines]--> alerts
 * payments (by account) --as PaymentEvent--/
 * </pre>
 * Both inputs are already keyed by account and the key is never changed, so nothing is repartitioned.
 */
public final class PaymentStage {
    private PaymentStage() {
    }

    public static KStream<String, Alert> alerts(TopologySettings settings, KStream<String, InvoiceLine> invoices,
                                                KStream<String, Payment> payments, AlertFactory alertFactory) {
        DetectionSettings detection = settings.detection();
        PaymentTerms terms = new PaymentTerms(detection.paymentGrace(), detection.paymentRetryWindow(),
                detection.defaultPaymentTerms(), settings.lateness());
        KStream<String, PaymentEvent> lines = invoices.mapValues(
                line -> (PaymentEvent) new PaymentEvent.LineIssued(line), Named.as("payment-invoice-lines"));
        KStream<String, PaymentEvent> attempts = payments.mapValues(
                payment -> (PaymentEvent) new PaymentEvent.PaymentMade(payment), Named.as("payment-attempts"));
        StoreBuilder<?> invoiceStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(InvoicePaymentProcessor.INVOICE_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled();
        StoreBuilder<?> deadlineStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(InvoicePaymentProcessor.DEADLINE_STORE), Serdes.String(), Serdes.String())
                .withCachingEnabled();
        ProcessorSupplier<String, PaymentEvent, String, Alert> checks = new ProcessorSupplier<>() {
            @Override
            public Processor<String, PaymentEvent, String, Alert> get() {
                return new InvoicePaymentProcessor(terms, alertFactory);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return new LinkedHashSet<>(List.of(invoiceStore, deadlineStore));
            }
        };
        return lines.merge(attempts, Named.as("payment-events-merge")).process(checks, Named.as("payment-checks"));
    }
}
