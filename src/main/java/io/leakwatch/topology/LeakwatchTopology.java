package io.leakwatch.topology;

import io.leakwatch.alerts.AlertDeduplicator;
import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.invoice.InvoiceLineCheckProcessor;
import io.leakwatch.detect.invoice.InvoiceLineContractJoiner;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.ingest.Validators;
import io.leakwatch.serde.EventSerde;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The Leakwatch topology. A pure builder: no I/O, no config loading, no lifecycle; the runner, the
 * backtest and the tests all call {@link #build}.
 *
 * <pre>
 * inputs : contracts, invoices, usage, payments, provisioning   (keyed by account_id, co-partitioned)
 * outputs: alerts, dead-letter
 *
 * contracts --ingest--> versioned table "contract-versions" (as-of lookups by record time)
 * invoices  --ingest--> left-join contract version in force at the line's timestamp
 *           --InvoiceLineChecks--> RATE_MISMATCH | CHARGE_ARITHMETIC | NO_ACTIVE_CONTRACT | CURRENCY_MISMATCH
 *           --dedupe by alert_id--> alerts
 * invoices  --monthly revenue per account (store "revenue-history"), judged at period close-->
 *              REVENUE_SPIKE | REVENUE_DROP | REVENUE_EROSION  (BaselineStage)
 * every ingest step: undecodable | invalid | key != account_id | implausible timestamp
 *                    | timestamp &lt; stream time - lateness  --> dead-letter (original bytes + reason headers)
 * </pre>
 * The contract table answers "which version did we hold at time t"; inside that version,
 * {@link io.leakwatch.contracts.ContractTerms} picks the rate line in force at the line's service date.
 */
public final class LeakwatchTopology {
    public static final String CONTRACT_STORE = "contract-versions";

    private LeakwatchTopology() {
    }

    public static Topology build(TopologySettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicCatalog topics = settings.topics();
        IngestStage ingest = new IngestStage(builder, settings);

        KStream<String, Contract> contracts =
                ingest.accepted(TopicCatalog.CONTRACTS, EventType.CONTRACT, Validators.CONTRACT);
        KStream<String, InvoiceLine> invoices =
                ingest.accepted(TopicCatalog.INVOICES, EventType.INVOICE_LINE, Validators.INVOICE_LINE);
        KStream<String, UsageRecord> usage =
                ingest.accepted(TopicCatalog.USAGE, EventType.USAGE, Validators.USAGE);
        KStream<String, Payment> payments =
                ingest.accepted(TopicCatalog.PAYMENTS, EventType.PAYMENT, Validators.PAYMENT);
        KStream<String, ProvisioningChange> provisioning =
                ingest.accepted(TopicCatalog.PROVISIONING, EventType.PROVISIONING, Validators.PROVISIONING);

        KTable<String, Contract> contractVersions = contracts.toTable(Named.as("contract-versions-table"),
                Materialized.<String, Contract>as(Stores.persistentVersionedKeyValueStore(
                                CONTRACT_STORE, settings.contractHistoryRetention()))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(internalSerde(settings, EventType.CONTRACT)));

        AlertFactory alertFactory = new AlertFactory(settings.severity());
        List<KStream<String, Alert>> alerts = new ArrayList<>();
        alerts.add(invoiceLineAlerts(settings, invoices, contractVersions, alertFactory));
        // Cross-stream detectors each wire their own processors here and return their alerts.
        alerts.add(BaselineStage.alerts(settings, invoices, alertFactory));
        unusedUntilWired(usage, payments, provisioning);

        emitAlerts(builder, settings, alerts);
        ingest.sendRejectedToDeadLetter(topics.name(TopicCatalog.DEAD_LETTER));
        return builder.build();
    }

    /** Per-line checks: each line joined with the contract version in force at its record time. */
    private static KStream<String, Alert> invoiceLineAlerts(TopologySettings settings, KStream<String, InvoiceLine> invoices,
                                                            KTable<String, Contract> contractVersions,
                                                            AlertFactory alertFactory) {
        Joined<String, InvoiceLine, Contract> joined = Joined
                .<String, InvoiceLine, Contract>with(Serdes.String(), internalSerde(settings, EventType.INVOICE_LINE),
                        internalSerde(settings, EventType.CONTRACT))
                .withName("invoice-line-with-contract");
        if (!settings.contractJoinGrace().isZero()) {
            joined = joined.withGracePeriod(settings.contractJoinGrace());
        }
        return invoices
                .leftJoin(contractVersions, new InvoiceLineContractJoiner(), joined)
                .processValues(() -> new InvoiceLineCheckProcessor(alertFactory), Named.as("invoice-line-checks"));
    }

    /** All detectors' alerts, merged, repeats suppressed, to the alerts topic. */
    private static void emitAlerts(StreamsBuilder builder, TopologySettings settings, List<KStream<String, Alert>> alerts) {
        KStream<String, Alert> all = alerts.get(0);
        for (int i = 1; i < alerts.size(); i++) {
            all = all.merge(alerts.get(i), Named.as("alerts-merge-" + i));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AlertDeduplicator.STORE), Serdes.String(), Serdes.Long()));
        EventSerde<Alert> alertSerde = new EventSerde<>(settings.wireFormat().codec(EventType.ALERT, settings.schemas()));
        all.processValues(() -> new AlertDeduplicator(settings.alertDedupeRetention()), Named.as("alert-dedupe"),
                        AlertDeduplicator.STORE)
                .to(settings.topics().name(TopicCatalog.ALERTS),
                        Produced.with(Serdes.String(), alertSerde).withName("alerts-sink"));
    }

    /** Inputs ingested (validated, dead-lettered, counted) whose detectors are not wired yet. */
    private static void unusedUntilWired(KStream<?, ?>... streams) {
        // Nothing to do: ingesting them already validates and dead-letters bad records.
    }

    /** The topics a built topology reads. */
    public static java.util.Set<String> sourceTopics(Topology topology) {
        java.util.Set<String> topics = new java.util.TreeSet<>();
        for (org.apache.kafka.streams.TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (org.apache.kafka.streams.TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Source source && source.topicSet() != null) {
                    topics.addAll(source.topicSet());
                }
            }
        }
        return topics;
    }

    static <T extends org.apache.avro.specific.SpecificRecord> EventSerde<T> internalSerde(
            TopologySettings settings, EventType<T> type) {
        return new EventSerde<>(WireFormat.AVRO.codec(type, settings.schemas()));
    }
}
