package io.leakwatch.detect.invoice;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.Finding;
import io.leakwatch.events.Alert;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Runs {@link InvoiceLineChecks} on each joined line and forwards one alert per finding. The alert's
 * {@code detected_at} is the line's record time (its issue time), so a replay reproduces it exactly.
 */
public final class InvoiceLineCheckProcessor implements FixedKeyProcessor<String, LineWithContract, Alert> {
    private final InvoiceLineChecks checks = new InvoiceLineChecks();
    private final AlertFactory alerts;
    private FixedKeyProcessorContext<String, Alert> context;

    public InvoiceLineCheckProcessor(AlertFactory alerts) {
        this.alerts = alerts;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, LineWithContract> record) {
        Instant detectedAt = Instant.ofEpochMilli(record.timestamp());
        for (Finding finding : checks.check(record.value().line(), record.value().contract())) {
            context.forward(record.withValue(alerts.toAlert(finding, detectedAt)));
        }
    }
}
