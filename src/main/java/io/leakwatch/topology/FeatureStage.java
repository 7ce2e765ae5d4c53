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
import java.util.List;
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
        KStream<String, SpecificRecord> inputs = contracts.mapValues(v -> (SpecificRecord) v, Named.as("features-contracts"));
        List<KStream<String, SpecificRecord>> others = List.of(
                accountLines.mapValues(v -> (SpecificRecord) v, Named.as("features-invoice-lines")),
                usage.mapValues(v -> (SpecificRecord) v, Named.as("features-usage")),
                payments.mapValues(v -> (SpecificRecord) v, Named.as("features-payments")),
                provisioning.mapValues(v -> (SpecificRecord) v, Named.as("features-provisioning")),
                dedupedAlerts.filter((key, alert) -> AccountFeatures.featureAlert(alert.getType()),
                                Named.as("features-alerts-of-feature-types"))
                        .mapValues(v -> (SpecificRecord) v, Named.as("features-alerts")));
        for (int i = 0; i < others.size(); i++) {
            inputs = inputs.merge(others.get(i), Named.as("features-inputs-merge-" + (i + 1)));
        }
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

    /** Scoring ticks: batches of the accounts whose features changed; null when no scorer is set. */
    KStream<String, FeatureBatch> scoringBatches() {
        return scoring;
    }
}
