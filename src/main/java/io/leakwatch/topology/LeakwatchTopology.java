package io.leakwatch.topology;

import io.leakwatch.alerts.AlertDeduplicator;
import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.duplicate.DuplicateScreenProcessor;
import io.leakwatch.detect.duplicate.LineRef;
import io.leakwatch.detect.duplicate.ScreenedLine;
import io.leakwatch.detect.duplicate.ScreenedLineSerde;
import io.leakwatch.detect.duplicate.SeenLine;
import io.leakwatch.detect.invoice.InvoiceLineCheckProcessor;
import io.leakwatch.detect.invoice.InvoiceLineContractJoiner;
import io.leakwatch.detect.invoice.LineWithContract;
import io.leakwatch.detect.unattributed.BilledLine;
import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.detect.unattributed.TaskPartial;
import io.leakwatch.detect.unattributed.UnattributedRevenueRule;
import io.leakwatch.detect.unattributed.UnattributedSummaryProcessor;
import io.leakwatch.detect.unattributed.UnattributedTallyProcessor;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.ingest.Validators;
import io.leakwatch.serde.EventSerde;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonRecordSerde;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The Leakwatch topology. A pure builder: no I/O, no config loading, no lifecycle; the runner, the
 * backtest and the tests all call {@link #build}.
 *
 * <pre>
 * inputs : contracts, invoices, usage, payments, provisioning   (keyed by account_id, co-partitioned)
 * outputs: alerts, dead-letter; with risk scoring on: account-risk (and account-features for training snapshots)
 * internal: unattributed-partials (repartition, 1 partition, keyed by period; a few records per period)
 *
 * contracts --ingest--> versioned table "contract-versions" (as-of lookups by record time)
 * invoices  --ingest--> duplicate screen (stores invoice-line-signatures, invoice-line-ids-seen)
 *           duplicate          --> DUPLICATE_CHARGE                                     (no per-line checks)
 *           no account         --> unattributed
 *           otherwise          --> left-join contract version in force at the line's timestamp
 *                                  no contract version   --> unattributed
 *                                  contract              --> InvoiceLineChecks: RATE_MISMATCH | CHARGE_ARITHMETIC
 *                                                            | NO_ACTIVE_CONTRACT | CURRENCY_MISMATCH
 *           --dedupe by alert_id--> alerts
 *           every line but redeliveries --> per-task totals per (period, currency) "unattributed-period-totals"
 *           --period closed (stream time &gt;= end + close grace)--> unattributed-partials
 *           --one summary task: sum, final when a later period's partial arrives--> UNATTRIBUTED_REVENUE --> alerts
 * invoices with an account --monthly revenue per account (store "revenue-history"), judged at period close-->
 *           REVENUE_SPIKE | REVENUE_DROP | REVENUE_EROSION  (BaselineStage)
 * with risk features on (off by default): every input and the deduped feature-type alerts --> account features
 *           (FeatureStage) --> period-end snapshots to account-features (training data)
 *           --scoring tick (stream time), changed accounts in batches--> RiskScoringProcessor (scorer: ONNX)
 *           --> AccountRisk to account-risk; HIGH_LEAKAGE_RISK | HIGH_CHURN_RISK --> alerts (own sink)
 * every ingest step: undecodable | invalid | key != account_id (when the event has one) | implausible timestamp
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
        EventSerde<Alert> alertSerde = new EventSerde<>(settings.wireFormat().codec(EventType.ALERT, settings.schemas()));
        List<KStream<String, Alert>> alerts = new ArrayList<>();
        List<KStream<String, BilledLine>> billedLines = new ArrayList<>();
        alerts.add(invoiceLineAlerts(builder, settings, invoices, contractVersions, alertFactory, billedLines));
        // Cross-stream detectors each wire their own processors here and return their alerts.
        unattributedRevenueAlerts(builder, settings, billedLines, alertFactory, alertSerde);
        // Period and payment reconciliation need an account: lines without one are unattributed revenue.
        KStream<String, InvoiceLine> accountLines = invoices.filter(
                (key, line) -> line.getAccountId() != null && !line.getAccountId().isBlank(),
                Named.as("invoice-lines-with-account"));
        alerts.add(PeriodLedgerStage.alerts(settings, contracts, accountLines, usage, provisioning, alertFactory, ingest));
        alerts.add(PaymentStage.alerts(settings, accountLines, payments, alertFactory));
        alerts.add(BaselineStage.alerts(settings, accountLines, alertFactory));

        KStream<String, Alert> dedupedAlerts = emitAlerts(builder, settings, alerts, alertSerde);
        if (settings.risk().featuresNeeded()) {
            FeatureStage features = FeatureStage.build(settings, contracts, accountLines, usage, payments, provisioning,
                    dedupedAlerts);
            if (settings.risk().scorer() != null) {
                // Risk alerts go to the alerts topic through a sink of their own: the deduped alerts above feed the
                // features, so merging risk alerts into them would be a cycle. Repeats cannot happen: an alert is
                // raised only when risk-state records an account entering High (the crossing date is its key).
                RiskStage.alerts(settings, features.scoringBatches(), alertFactory)
                        .to(topics.name(TopicCatalog.ALERTS),
                                Produced.with(Serdes.String(), alertSerde).withName("risk-alerts-sink"));
            }
        }
        ingest.sendRejectedToDeadLetter(topics.name(TopicCatalog.DEAD_LETTER));
        return builder.build();
    }

    /**
     * The invoice path. Every line first meets the duplicate screen; a duplicate is reported and goes no further.
     * The others are joined with the contract version in force at their record time, unless they have no
     * account; lines with no account or no contract are unattributed, the rest get the per-line checks. Every line
     * that is not a redelivery is counted in the period totals of UNATTRIBUTED_REVENUE.
     */
    private static KStream<String, Alert> invoiceLineAlerts(StreamsBuilder builder, TopologySettings settings,
                                                            KStream<String, InvoiceLine> invoices,
                                                            KTable<String, Contract> contractVersions,
                                                            AlertFactory alertFactory,
                                                            List<KStream<String, BilledLine>> billedLines) {
        EventSerde<InvoiceLine> lineSerde = internalSerde(settings, EventType.INVOICE_LINE);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DuplicateScreenProcessor.SIGNATURES),
                Serdes.String(), new JsonRecordSerde<>(LineRef.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DuplicateScreenProcessor.SEEN_IDS),
                Serdes.String(), new JsonRecordSerde<>(SeenLine.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DuplicateScreenProcessor.EXPIRY),
                Serdes.String(), Serdes.String()).withCachingEnabled());
        KStream<String, ScreenedLine> screened = invoices.processValues(
                () -> new DuplicateScreenProcessor(settings.detection().duplicateWindow(), settings.lateness(), alertFactory),
                Named.as("invoice-duplicate-screen"), DuplicateScreenProcessor.SIGNATURES, DuplicateScreenProcessor.SEEN_IDS,
                DuplicateScreenProcessor.EXPIRY);
        Map<String, KStream<String, ScreenedLine>> screenedBranches = screened.split(Named.as("invoice-lines-screened-"))
                .branch((key, value) -> value.isDuplicate(), Branched.as("duplicate"))
                .branch((key, value) -> value.hasNoAccount(), Branched.as("without-account"))
                .defaultBranch(Branched.as("with-account"));
        KStream<String, ScreenedLine> duplicates = screenedBranches.get("invoice-lines-screened-duplicate");
        billedLines.add(duplicates.mapValues(s -> BilledLine.attributed(s.line()), Named.as("invoice-duplicates-billed")));
        billedLines.add(screenedBranches.get("invoice-lines-screened-without-account")
                .filterNot((key, value) -> value.isRedelivery(), Named.as("invoice-lines-without-account-first-seen"))
                .mapValues(s -> BilledLine.unattributed(s.line()), Named.as("invoice-lines-without-account-billed")));

        Joined<String, ScreenedLine, Contract> joined = Joined
                .<String, ScreenedLine, Contract>with(Serdes.String(),
                        new ScreenedLineSerde(lineSerde, internalSerde(settings, EventType.ALERT)),
                        internalSerde(settings, EventType.CONTRACT))
                .withName("invoice-line-with-contract");
        if (!settings.contractJoinGrace().isZero()) {
            joined = joined.withGracePeriod(settings.contractJoinGrace());
        }
        Map<String, KStream<String, LineWithContract>> joinedBranches = screenedBranches.get("invoice-lines-screened-with-account")
                .leftJoin(contractVersions, new InvoiceLineContractJoiner(), joined)
                .split(Named.as("invoice-lines-joined-"))
                .branch((key, value) -> value.accountHasNoContract(), Branched.as("without-contract"))
                .defaultBranch(Branched.as("with-contract"));
        KStream<String, LineWithContract> withContract = joinedBranches.get("invoice-lines-joined-with-contract");
        billedLines.add(joinedBranches.get("invoice-lines-joined-without-contract")
                .filterNot((key, value) -> value.redelivery(), Named.as("invoice-lines-without-contract-first-seen"))
                .mapValues(l -> BilledLine.unattributed(l.line()), Named.as("invoice-lines-without-contract-billed")));
        billedLines.add(withContract
                .filterNot((key, value) -> value.redelivery(), Named.as("invoice-lines-with-contract-first-seen"))
                .mapValues(l -> BilledLine.attributed(l.line()), Named.as("invoice-lines-with-contract-billed")));

        return withContract
                .processValues(() -> new InvoiceLineCheckProcessor(alertFactory), Named.as("invoice-line-checks"))
                .merge(duplicates.mapValues(ScreenedLine::duplicateAlert, Named.as("invoice-duplicate-alerts")),
                        Named.as("invoice-line-alerts-merge"));
    }

    /**
     * UNATTRIBUTED_REVENUE. Each task tallies its lines per period and currency and, when a period closes, sends its
     * partial totals through the single-partition repartition topic {@code unattributed-partials} (a few records
     * per period) to one summary task, which judges a period once every input partition has closed it.
     * That task is its own sub-topology, so its alerts go to the alerts topic through their own sink; the summary
     * judges each period once, which is its own dedupe.
     */
    private static void unattributedRevenueAlerts(StreamsBuilder builder, TopologySettings settings,
                                                  List<KStream<String, BilledLine>> billedLines,
                                                  AlertFactory alertFactory, EventSerde<Alert> alertSerde) {
        DetectionSettings detection = settings.detection();
        UnattributedRevenueRule rule = new UnattributedRevenueRule(detection.unattributedMinAmount(),
                detection.unattributedMinShare(), detection.periodCloseGrace());
        JsonRecordSerde<PeriodTotals> totalsSerde = new JsonRecordSerde<>(PeriodTotals.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UnattributedTallyProcessor.STORE),
                Serdes.String(), totalsSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UnattributedSummaryProcessor.STORE),
                Serdes.String(), totalsSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(UnattributedSummaryProcessor.WATERMARK_STORE), Serdes.String(), Serdes.String()));
        int inputPartitions = settings.topics().role(TopicCatalog.INVOICES).partitions();
        KStream<String, BilledLine> all = billedLines.get(0);
        for (int i = 1; i < billedLines.size(); i++) {
            all = all.merge(billedLines.get(i), Named.as("invoice-lines-billed-merge-" + i));
        }
        all.process(() -> new UnattributedTallyProcessor(rule), Named.as("unattributed-period-tally"),
                        UnattributedTallyProcessor.STORE)
                .repartition(Repartitioned.<String, TaskPartial>as("unattributed-partials")
                        .withNumberOfPartitions(1).withKeySerde(Serdes.String())
                        .withValueSerde(new JsonRecordSerde<>(TaskPartial.class)))
                .process(() -> new UnattributedSummaryProcessor(rule, alertFactory, inputPartitions),
                        Named.as("unattributed-period-summary"),
                        UnattributedSummaryProcessor.STORE, UnattributedSummaryProcessor.WATERMARK_STORE)
                .to(settings.topics().name(TopicCatalog.ALERTS),
                        Produced.with(Serdes.String(), alertSerde).withName("unattributed-alerts-sink"));
    }

    /** All detectors' alerts, merged, repeats suppressed, to the alerts topic. Returns the deduped alerts. */
    private static KStream<String, Alert> emitAlerts(StreamsBuilder builder, TopologySettings settings,
                                                     List<KStream<String, Alert>> alerts, EventSerde<Alert> alertSerde) {
        KStream<String, Alert> all = alerts.get(0);
        for (int i = 1; i < alerts.size(); i++) {
            all = all.merge(alerts.get(i), Named.as("alerts-merge-" + i));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AlertDeduplicator.STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AlertDeduplicator.EXPIRY), Serdes.String(), Serdes.String()).withCachingEnabled());
        KStream<String, Alert> deduped = all.processValues(() -> new AlertDeduplicator(settings.alertDedupeRetention()),
                Named.as("alert-dedupe"), AlertDeduplicator.STORE, AlertDeduplicator.EXPIRY);
        deduped.to(settings.topics().name(TopicCatalog.ALERTS),
                Produced.with(Serdes.String(), alertSerde).withName("alerts-sink"));
        return deduped;
    }


    /**
     * The external topics a built topology reads: its input topics. A topic the topology also writes (the
     * {@code unattributed-partials} repartition topic) is internal, created by Kafka Streams, and not listed.
     */
    public static java.util.Set<String> sourceTopics(Topology topology) {
        java.util.Set<String> topics = new java.util.TreeSet<>();
        java.util.Set<String> written = new java.util.TreeSet<>();
        for (org.apache.kafka.streams.TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (org.apache.kafka.streams.TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Source source && source.topicSet() != null) {
                    topics.addAll(source.topicSet());
                }
                if (node instanceof org.apache.kafka.streams.TopologyDescription.Sink sink && sink.topic() != null) {
                    written.add(sink.topic());
                }
            }
        }
        topics.removeAll(written);
        return topics;
    }

    static <T extends org.apache.avro.specific.SpecificRecord> EventSerde<T> internalSerde(
            TopologySettings settings, EventType<T> type) {
        return new EventSerde<>(WireFormat.AVRO.codec(type, settings.schemas()));
    }
}
