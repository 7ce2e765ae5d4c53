package io.leakwatch.topology;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.features.AccountFeatureProcessor;
import io.leakwatch.features.AccountFeatures;
import io.leakwatch.features.FeatureBatch;
import io.leakwatch.features.FeatureSnapshotJson;
import io.leakwatch.topics.TopicCatalog;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Account features (docs/risk-scoring.md), built only when {@link RiskSettings#featuresNeeded()}.
 *
 * <pre>
 * contracts, invoice lines with an account, usage, payments, provisioning   (all keyed by account, no repartition)
 * deduped alerts of the account-keyed detectors, feature types only (RATE_MISMATCH, CHARGE_ARITHMETIC,
 *   CURRENCY_MISMATCH, UNBILLED_USAGE, MISSING_INVOICE, PROVISIONING_MISMATCH, DUPLICATE_CHARGE)
 *   --merge--> AccountFeatureProcessor [account-features, account-features-changed, account-features-clock]
 *   --> FeatureBatch(periodEnd=true)  --one JSON line per account--> account-features topic (period-end snapshots on)
 *   --> FeatureBatch(periodEnd=false) --> {@link #scoringBatches()} (a scorer is set)
 * </pre>
 * The alerts come from the dedupe step before the alerts sink; risk alerts must never be merged into that step's
 * input (they would feed back into the features: a cycle), and the filter keeps only the types above anyway.
 */
final class FeatureStage {
    private final KStream<String, FeatureBatch> scoring;

    private FeatureStage(KStream<String, FeatureBatch> scoring) {
        this.scoring = scoring;
    }

    static FeatureStage build(TopologySettings settings, KStream<String, Contract> contracts,
                              KStream<String, InvoiceLine> accountLines, KStream<String, UsageRecord> usage,
                              KStream<String, Payment> payments, KStream<String, ProvisioningChange> provisioning,
                              KStream<String, Alert> dedupedAlerts) {
        RiskSettings risk = settings.risk();
        // A balanced tree of merges, the busiest streams nearest the processor: a record passes two or three merge
        // nodes instead of a chain of six nodes (each costs a forward and its metrics, on every input record).
        KStream<String, Alert> featureAlerts = dedupedAlerts.filter(
                (key, alert) -> AccountFeatures.featureAlert(alert.getType()), Named.as("features-alerts-of-feature-types"));
        KStream<String, SpecificRecord> busiest = merge(input(usage), input(accountLines), "features-inputs-usage-lines");
        KStream<String, SpecificRecord> others = merge(
                merge(input(payments), input(contracts), "features-inputs-payments-contracts"),
                merge(input(provisioning), input(featureAlerts), "features-inputs-provisioning-alerts"),
                "features-inputs-payments-contracts-provisioning-alerts");
        KStream<String, SpecificRecord> inputs = merge(busiest, others, "features-inputs");
        KStream<String, FeatureBatch> batches = inputs.process(AccountFeatureProcessor.supplier(risk.scorer() != null,
                risk.scoringInterval(), risk.routineDelay(), risk.batchSize(), risk.periodEndSnapshots()), Named.as("account-features"));
        if (risk.periodEndSnapshots()) {
            batches.filter((key, batch) -> batch.periodEnd(), Named.as("feature-batches-period-end"))
                    .flatMap((key, batch) -> batch.snapshots().stream()
                            .map(s -> KeyValue.pair(s.accountId(), FeatureSnapshotJson.toJson(s))).toList(),
                            Named.as("feature-snapshots-as-json"))
                    .to(settings.topics().name(TopicCatalog.ACCOUNT_FEATURES),
                            Produced.with(Serdes.String(), Serdes.String()).withName("account-features-sink"));
        }
        KStream<String, FeatureBatch> scoring = risk.scorer() == null ? null
                : batches.filterNot((key, batch) -> batch.periodEnd(), Named.as("feature-batches-scoring"));
        return new FeatureStage(scoring);
    }

    /**
     * The stream as one of the processor's inputs. Only a view: the processor reads the records and never writes
     * one of another type back into {@code events}, so the unchecked cast cannot put a wrong type anywhere.
     */
    @SuppressWarnings("unchecked")
    private static KStream<String, SpecificRecord> input(KStream<String, ? extends SpecificRecord> events) {
        return (KStream<String, SpecificRecord>) events;
    }

    private static KStream<String, SpecificRecord> merge(KStream<String, SpecificRecord> a, KStream<String, SpecificRecord> b,
                                                         String name) {
        return a.merge(b, Named.as(name));
    }

    /** Scoring ticks: batches of the accounts whose features changed; null when no scorer is set. */
    KStream<String, FeatureBatch> scoringBatches() {
        return scoring;
    }
}
