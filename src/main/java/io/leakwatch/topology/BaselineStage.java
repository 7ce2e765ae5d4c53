package io.leakwatch.topology;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.baseline.RevenueBaselineProcessor;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Revenue baselines: invoice lines -> per-account monthly revenue history (store {@code revenue-history}) ->
 * REVENUE_SPIKE | REVENUE_DROP | REVENUE_EROSION when a period closes. Invoices are keyed by account, so the
 * store is local to the account's partition (no repartition). Rule: {@link io.leakwatch.detect.baseline.BaselineRule}.
 */
final class BaselineStage {
    private BaselineStage() {
    }

    static KStream<String, Alert> alerts(TopologySettings settings, KStream<String, InvoiceLine> invoices,
                                         AlertFactory alertFactory) {
        DetectionSettings detection = settings.detection();
        return invoices.process(RevenueBaselineProcessor.supplier(detection.baseline(), detection.periodCloseGrace(),
                alertFactory), Named.as("revenue-baselines"));
    }
}
