package io.leakwatch.topology;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.period.LedgerEvent;
import io.leakwatch.detect.period.LedgerOutput;
import io.leakwatch.detect.period.PeriodLedgerProcessor;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.serde.EventType;
import java.util.Map;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Wires the period detectors (UNBILLED_USAGE, MISSING_INVOICE, PROVISIONING_MISMATCH; rules in
 * {@link io.leakwatch.detect.period.PeriodRules}, state and period close in {@link PeriodLedgerProcessor}).
 *
 * <pre>
 * usage, invoices, provisioning, contracts (accepted, keyed by account)
 *   --mapValues to LedgerEvent, merge-->  period-ledger  (stores period-ledger, period-ledger-open-periods;
 *                                                         reads contract-versions as of each period's close)
 *   --split--> alerts             (returned)
 *          \-> late usage / provisioning, re-encoded in the wire format  --> dead-letter
 * </pre>
 * Keys are never changed, so nothing repartitions.
 */
final class PeriodLedgerStage {
    private PeriodLedgerStage() {
    }

    static KStream<String, Alert> alerts(TopologySettings settings, KStream<String, Contract> contracts,
                                         KStream<String, InvoiceLine> invoices, KStream<String, UsageRecord> usage,
                                         KStream<String, ProvisioningChange> provisioning, AlertFactory alertFactory,
                                         IngestStage ingest) {
        KStream<String, LedgerEvent> events = usage
                .<LedgerEvent>mapValues(LedgerEvent.Usage::new, Named.as("period-ledger-usage"))
                .merge(invoices.mapValues(LedgerEvent.Line::new, Named.as("period-ledger-invoice-lines")),
                        Named.as("period-ledger-merge-invoice-lines"))
                .merge(provisioning.mapValues(LedgerEvent.Provisioning::new, Named.as("period-ledger-provisioning")),
                        Named.as("period-ledger-merge-provisioning"))
                .merge(contracts.mapValues(LedgerEvent.ContractSeen::new, Named.as("period-ledger-contracts")),
                        Named.as("period-ledger-merge-contracts"));

        KStream<String, LedgerOutput> out = events.process(PeriodLedgerProcessor.supplier(alertFactory,
                        settings.detection().periodCloseGrace(), LeakwatchTopology.CONTRACT_STORE,
                        settings.wireFormat().codec(EventType.USAGE, settings.schemas()),
                        settings.wireFormat().codec(EventType.PROVISIONING, settings.schemas())),
                Named.as(PeriodLedgerProcessor.LEDGER_STORE), LeakwatchTopology.CONTRACT_STORE);

        Map<String, KStream<String, LedgerOutput>> branches = out.split(Named.as("period-ledger-"))
                .branch((account, value) -> value instanceof LedgerOutput.Refused, Branched.as("late"))
                .defaultBranch(Branched.as("alerts"));
        ingest.deadLetter(branches.get("period-ledger-late")
                .mapValues(v -> ((LedgerOutput.Refused) v).value(), Named.as("period-ledger-late-bytes")));
        return branches.get("period-ledger-alerts")
                .mapValues(v -> ((LedgerOutput.Raised) v).alert(), Named.as("period-ledger-alert-records"));
    }
}
