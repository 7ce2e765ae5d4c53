package io.leakwatch.topology;

import io.leakwatch.account.AccountEngine;
import io.leakwatch.account.EngineSettings;
import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.detect.payment.PaymentTerms;
import io.leakwatch.detect.unattributed.TaskPartial;
import io.leakwatch.detect.unattributed.UnattributedRevenueRule;
import io.leakwatch.events.Alert;
import io.leakwatch.ingest.Validators;
import io.leakwatch.scoring.RiskPolicy;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.stream.AccountOutput;
import io.leakwatch.stream.AccountProcessor;
import io.leakwatch.stream.EventSerde;
import io.leakwatch.stream.JsonRecordSerde;
import io.leakwatch.stream.UnattributedSummaryProcessor;
import io.leakwatch.topics.TopicCatalog;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The Leakwatch topology. A pure builder: no I/O, no config loading, no lifecycle; the runner, the backtest and the
 * tests all call {@link #build}.
 *
 * <pre>
 * inputs : contracts, invoices, usage, payments, provisioning, alert-feedback   (keyed by account_id, co-partitioned)
 * outputs: alerts (key account), alert-state (key alert_id, compacted), dead-letter; with risk scoring on:
 *          account-risk; with period-end snapshots on: account-features
 * internal: unattributed-partials (repartition, 1 partition, a few records per task and period), misrouted-events
 *          (repartition; empty unless a producer partitions keys unlike the Java client)
 *
 * each input --ingest: decode, validate, key = account_id, plausible time, within the horizon--&gt; accepted events
 *            \-- rejected (original bytes, reason headers) --&gt; dead-letter
 *            \-- valid, but on another partition than its key's --&gt; misrouted-events (repartition, as many partitions
 *                as the inputs) --&gt; merged with the accepted events on the key's partition
 * accepted events of all five inputs --merge--&gt; "accounts" (AccountProcessor: every rule of every detector, per
 *   account, in event time; late records replay the account from its last month checkpoint) --split--&gt;
 * alert-feedback --ingest (as above)--&gt; merged after them into "accounts": the alert lifecycle applies each decision
 *   to the alert it names (ACKNOWLEDGED / RESOLVED / FALSE_POSITIVE, revision + 1); an unknown alert --&gt; dead-letter
 *     alert records (raised, revised, withdrawn, people's decisions) --&gt; alerts (key account) and alert-state (key alert_id)
 *     risk scores                                 --&gt; account-risk
 *     period-end feature snapshots                --&gt; account-features
 *     refused events (older than the history kept) --&gt; dead-letter
 *     period totals and the task's closed-period watermark --&gt; unattributed-partials --&gt; one summary task:
 *         UNATTRIBUTED_REVENUE once every partition closed the period, again when late totals change it
 *         --&gt; alerts, alert-state
 * </pre>
 * The rules are in {@link AccountEngine}; what happens to an alert over its life in
 * {@link io.leakwatch.alerts.AlertLifecycle}. {@link TopologySettings#meters()} is told of each record an ingest step
 * reads, each alert record on its way to the alert sinks and each dead letter at the dead-letter sink: side effects
 * in those nodes, which change neither what is written nor the rendered topology.
 */
public final class LeakwatchTopology {
    public static final String ACCOUNTS = "accounts";

    private LeakwatchTopology() {
    }

    public static Topology build(TopologySettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicCatalog topics = settings.topics();
        IngestStage ingest = new IngestStage(builder, settings);

        // A balanced tree of merges, the busiest streams nearest the processor: a record passes two or three merge
        // nodes instead of a chain of four.
        KStream<String, SpecificRecord> usage = input(ingest.accepted(TopicCatalog.USAGE, EventType.USAGE, Validators.USAGE));
        KStream<String, SpecificRecord> invoices =
                input(ingest.accepted(TopicCatalog.INVOICES, EventType.INVOICE_LINE, Validators.INVOICE_LINE));
        KStream<String, SpecificRecord> payments =
                input(ingest.accepted(TopicCatalog.PAYMENTS, EventType.PAYMENT, Validators.PAYMENT));
        KStream<String, SpecificRecord> contracts =
                input(ingest.accepted(TopicCatalog.CONTRACTS, EventType.CONTRACT, Validators.CONTRACT));
        KStream<String, SpecificRecord> provisioning =
                input(ingest.accepted(TopicCatalog.PROVISIONING, EventType.PROVISIONING, Validators.PROVISIONING));
        KStream<String, SpecificRecord> events = usage.merge(invoices, Named.as("events-usage-invoices"))
                .merge(payments.merge(contracts, Named.as("events-payments-contracts"))
                                .merge(provisioning, Named.as("events-payments-contracts-provisioning")),
                        Named.as("events"))
                .merge(ingest.misroutedEventsRerouted(), Named.as("events-with-rerouted"));
        // people's decisions about alerts: read after the events' ingest so that their misrouted records share the
        // repartition topic; the processor applies them to the alerts it told
        KStream<String, SpecificRecord> feedback = input(ingest.accepted(TopicCatalog.ALERT_FEEDBACK,
                EventType.ALERT_FEEDBACK, Validators.ALERT_FEEDBACK));

        AlertSerdes alertSerdes = new AlertSerdes(onTopic(settings, EventType.ALERT, TopicCatalog.ALERTS),
                onTopic(settings, EventType.ALERT, TopicCatalog.ALERT_STATE));
        // the processor's own store of what it told: bundled ids, readable whatever resolver the topics use
        EventSerde<Alert> internalAlerts = new EventSerde<>(
                WireFormat.AVRO.codec(EventType.ALERT, "told-alerts", new BundledSchemaResolver()));
        AccountEngine engine = new AccountEngine(engineSettings(settings));
        AccountProcessor.Settings processing = new AccountProcessor.Settings(inputCodecs(settings),
                settings.horizon(), settings.detection().periodCloseGrace(), settings.alertDedupeRetention(),
                settings.replayInterval(), settings.closeAtEnd());
        Map<String, KStream<String, AccountOutput>> out = events.merge(feedback, Named.as("events-and-feedback"))
                .process(AccountProcessor.supplier(engine, processing, internalAlerts), Named.as(ACCOUNTS))
                .split(Named.as("account-outputs-"))
                .branch((key, value) -> value instanceof AccountOutput.Refused, Branched.as("refused"))
                .branch((key, value) -> value instanceof AccountOutput.Partial, Branched.as("partials"))
                .branch((key, value) -> value instanceof AccountOutput.Risk, Branched.as("risk"))
                .branch((key, value) -> value instanceof AccountOutput.Snapshot, Branched.as("snapshots"))
                .defaultBranch(Branched.as("alerts"));

        KStream<String, Alert> accountAlerts = out.get("account-outputs-alerts")
                .mapValues(v -> ((AccountOutput.AlertRecord) v).alert(), Named.as("account-alerts"));
        sinkAlerts(accountAlerts, settings, alertSerdes, "account");
        if (settings.risk().scorer() != null) {
            out.get("account-outputs-risk")
                    .mapValues(v -> ((AccountOutput.Risk) v).risk(), Named.as("risk-scores"))
                    .to(topics.name(TopicCatalog.ACCOUNT_RISK), Produced.with(Serdes.String(),
                            onTopic(settings, EventType.ACCOUNT_RISK, TopicCatalog.ACCOUNT_RISK))
                            .withName("account-risk-sink"));
        }
        if (settings.risk().periodEndSnapshots()) {
            out.get("account-outputs-snapshots")
                    .mapValues(v -> ((AccountOutput.Snapshot) v).json(), Named.as("feature-snapshots"))
                    .to(topics.name(TopicCatalog.ACCOUNT_FEATURES),
                            Produced.with(Serdes.String(), Serdes.String()).withName("account-features-sink"));
        }
        ingest.deadLetter(out.get("account-outputs-refused")
                .mapValues(v -> ((AccountOutput.Refused) v).value(), Named.as("refused-events")));
        unattributedRevenue(builder, settings, out.get("account-outputs-partials"), alertSerdes, internalAlerts);
        ingest.sendRejectedToDeadLetter(topics.name(TopicCatalog.DEAD_LETTER));
        return builder.build();
    }

    /**
     * UNATTRIBUTED_REVENUE. Every task sends its accounts' period totals and its closed-period watermark through the
     * single-partition repartition topic {@code unattributed-partials} to one summary task, its own sub-topology,
     * whose alerts go to the alert topics through sinks of their own.
     */
    private static void unattributedRevenue(StreamsBuilder builder, TopologySettings settings,
                                            KStream<String, AccountOutput> partials, AlertSerdes alertSerdes,
                                            EventSerde<Alert> internalAlerts) {
        DetectionSettings detection = settings.detection();
        UnattributedRevenueRule rule = new UnattributedRevenueRule(detection.unattributedMinAmount(),
                detection.unattributedMinShare(), detection.periodCloseGrace(),
                detection.switches().isOn(AlertType.UNATTRIBUTED_REVENUE));
        AlertFactory alerts = new AlertFactory(settings.severity());
        int inputPartitions = settings.topics().role(TopicCatalog.INVOICES).partitions();
        ProcessorSupplier<String, TaskPartial, String, Alert> summary = new ProcessorSupplier<>() {
            @Override
            public Processor<String, TaskPartial, String, Alert> get() {
                return new UnattributedSummaryProcessor(rule, alerts, inputPartitions, settings.horizon());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // a fixed order: the rendered topology (under version control) lists them as given
                return new java.util.LinkedHashSet<>(java.util.List.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UnattributedSummaryProcessor.STORE),
                                Serdes.String(), new JsonRecordSerde<>(io.leakwatch.detect.unattributed.PeriodTotals.class))
                                .withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UnattributedSummaryProcessor.WATERMARK_STORE),
                                Serdes.String(), Serdes.String()),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UnattributedSummaryProcessor.TOLD),
                                Serdes.String(), internalAlerts)));
            }
        };
        KStream<String, Alert> unattributed = partials
                .mapValues(v -> ((AccountOutput.Partial) v).partial(), Named.as("unattributed-partials-out"))
                .repartition(Repartitioned.<String, TaskPartial>as("unattributed-partials")
                        .withNumberOfPartitions(1).withKeySerde(Serdes.String())
                        .withValueSerde(new JsonRecordSerde<>(TaskPartial.class)))
                .process(summary, Named.as("unattributed-period-summary"));
        sinkAlerts(unattributed, settings, alertSerdes, "unattributed");
    }

    /** Alert records to the event log {@code alerts} (key account) and to {@code alert-state} (key alert_id). */
    private static void sinkAlerts(KStream<String, Alert> alerts, TopologySettings settings, AlertSerdes serdes,
                                   String source) {
        TopicCatalog topics = settings.topics();
        alerts.to(topics.name(TopicCatalog.ALERTS),
                Produced.with(Serdes.String(), serdes.alerts()).withName(source + "-alerts-sink"));
        // the one place every alert record passes exactly once on its way out: counted here
        alerts.selectKey((account, alert) -> {
            settings.meters().alert(alert);
            return alert.getAlertId();
        }, Named.as(source + "-alerts-by-id"))
                .to(topics.name(TopicCatalog.ALERT_STATE),
                        Produced.with(Serdes.String(), serdes.alertState()).withName(source + "-alert-state-sink"));
    }

    /** The alert topics' serdes: one per topic, since a registry's schema id depends on the topic's subject. */
    private record AlertSerdes(EventSerde<Alert> alerts, EventSerde<Alert> alertState) {
    }

    private static <T extends SpecificRecord> EventSerde<T> onTopic(TopologySettings settings, EventType<T> type,
                                                                     String role) {
        return new EventSerde<>(settings.wireFormat().codec(type, settings.topics().name(role), settings.schemas()));
    }

    /**
     * The wire codec of each input event type on its input topic: a record the processor refuses after ingest goes
     * to the dead-letter topic as its input topic would hold it.
     */
    private static Map<EventType<?>, EventCodec<?>> inputCodecs(TopologySettings settings) {
        Map<EventType<?>, EventCodec<?>> codecs = new java.util.HashMap<>();
        codecs.put(EventType.CONTRACT, onTopicCodec(settings, EventType.CONTRACT, TopicCatalog.CONTRACTS));
        codecs.put(EventType.INVOICE_LINE, onTopicCodec(settings, EventType.INVOICE_LINE, TopicCatalog.INVOICES));
        codecs.put(EventType.USAGE, onTopicCodec(settings, EventType.USAGE, TopicCatalog.USAGE));
        codecs.put(EventType.PAYMENT, onTopicCodec(settings, EventType.PAYMENT, TopicCatalog.PAYMENTS));
        codecs.put(EventType.PROVISIONING, onTopicCodec(settings, EventType.PROVISIONING, TopicCatalog.PROVISIONING));
        codecs.put(EventType.ALERT_FEEDBACK, onTopicCodec(settings, EventType.ALERT_FEEDBACK, TopicCatalog.ALERT_FEEDBACK));
        return Map.copyOf(codecs);
    }

    private static <T extends SpecificRecord> EventCodec<T> onTopicCodec(TopologySettings settings, EventType<T> type,
                                                                         String role) {
        return settings.wireFormat().codec(type, settings.topics().name(role), settings.schemas());
    }

    /**
     * The topics the topology writes events to in the deployment's wire format, each with the schema it writes there:
     * what a schema registry must hold (or accept) before the processor starts. Records refused after ingest go to
     * the dead-letter topic as their input topic holds them; those ids are asked for when the first one is refused.
     */
    public static Map<String, Schema> eventOutputs(TopologySettings settings) {
        TopicCatalog topics = settings.topics();
        Map<String, Schema> out = new java.util.LinkedHashMap<>();
        out.put(topics.name(TopicCatalog.ALERTS), Alert.getClassSchema());
        out.put(topics.name(TopicCatalog.ALERT_STATE), Alert.getClassSchema());
        if (settings.risk().scorer() != null) {
            out.put(topics.name(TopicCatalog.ACCOUNT_RISK), io.leakwatch.events.AccountRisk.getClassSchema());
        }
        return out;
    }

    /** What the account engine needs, from the topology's settings. */
    public static EngineSettings engineSettings(TopologySettings settings) {
        DetectionSettings detection = settings.detection();
        RiskSettings risk = settings.risk();
        EngineSettings.Risk engineRisk = !risk.featuresNeeded() ? EngineSettings.Risk.OFF
                : new EngineSettings.Risk(true, risk.periodEndSnapshots(), risk.scorer(), risk.scoringInterval(),
                risk.routineDelay(), new RiskPolicy(risk.thresholds()), risk.publishing());
        return new EngineSettings(settings.severity(), settings.horizon(), detection.periodCloseGrace(),
                detection.duplicateWindow(), new PaymentTerms(detection.paymentGrace(), detection.paymentRetryWindow(),
                detection.defaultPaymentTerms(), settings.horizon()), detection.baseline(), engineRisk,
                detection.switches());
    }

    /**
     * The stream as one of the account processor's inputs. Only a view: the processor reads the records and never
     * writes one of another type back into it, so the unchecked cast cannot put a wrong type anywhere.
     */
    @SuppressWarnings("unchecked")
    private static KStream<String, SpecificRecord> input(KStream<String, ? extends SpecificRecord> events) {
        return (KStream<String, SpecificRecord>) events;
    }

    /**
     * The external topics a built topology reads: its input topics. A topic the topology also writes (the
     * {@code unattributed-partials} repartition topic) is internal, created by Kafka Streams, and not listed.
     */
    public static Set<String> sourceTopics(Topology topology) {
        Set<String> topics = new TreeSet<>();
        Set<String> written = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    topics.addAll(source.topicSet());
                }
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    written.add(sink.topic());
                }
            }
        }
        topics.removeAll(written);
        return topics;
    }
}
