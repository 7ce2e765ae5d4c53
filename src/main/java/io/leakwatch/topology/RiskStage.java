package io.leakwatch.topology;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.detect.risk.RiskOutput;
import io.leakwatch.detect.risk.RiskScoringProcessor;
import io.leakwatch.detect.risk.RiskStateSerde;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.features.FeatureBatch;
import io.leakwatch.scoring.RiskPolicy;
import io.leakwatch.serde.EventSerde;
import io.leakwatch.serde.EventType;
import io.leakwatch.state.WriteBackStore;
import io.leakwatch.topics.TopicCatalog;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Wires risk scoring (docs/risk-scoring.md, "Scoring in the stream").
 *
 * <pre>
 * feature batches (periodEnd = false) --RiskScoringProcessor "risk-scoring" [risk-state]--&gt; per account:
 *     AccountRisk --"risk-scores"--&gt; account-risk (compacted, key account_id)   sink "account-risk-sink"
 *     HIGH_LEAKAGE_RISK | HIGH_CHURN_RISK --"risk-alerts"--&gt; returned (merged into the alerts by the caller)
 * </pre>
 * The batches come from the feature stage of the same task, so accounts stay on their partition: nothing is
 * repartitioned.
 */
public final class RiskStage {
    public static final String SCORING_PROCESSOR = "risk-scoring";

    private RiskStage() {
    }

    public static KStream<String, Alert> alerts(TopologySettings settings, KStream<String, FeatureBatch> batches,
                                                AlertFactory alertFactory) {
        RiskSettings risk = settings.risk();
        Objects.requireNonNull(risk.scorer(), "risk scoring needs a scorer (RiskSettings.withScorer)");
        RiskPolicy policy = new RiskPolicy(risk.thresholds());
        // every account under contract is read at each period-end scan and most of them change: live objects,
        // encoded once per commit, instead of a serde round trip and a cache entry per read and per write
        StoreBuilder<?> store = WriteBackStore.persistent(RiskScoringProcessor.STORE, new RiskStateSerde(),
                RiskScoringProcessor.KEPT_STATES);
        ProcessorSupplier<String, FeatureBatch, String, RiskOutput> scoring = new ProcessorSupplier<>() {
            @Override
            public Processor<String, FeatureBatch, String, RiskOutput> get() {
                return new RiskScoringProcessor(risk.scorer(), policy, risk.publishing(), alertFactory);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store);
            }
        };
        Map<String, KStream<String, RiskOutput>> outputs = batches
                .process(scoring, Named.as(SCORING_PROCESSOR))
                .split(Named.as("risk-"))
                .branch((account, out) -> out.isAlert(), Branched.as("alert-outputs"))
                .defaultBranch(Branched.as("score-outputs"));
        EventSerde<AccountRisk> riskSerde = new EventSerde<>(
                settings.wireFormat().codec(EventType.ACCOUNT_RISK, settings.schemas()));
        outputs.get("risk-score-outputs")
                .mapValues(RiskOutput::risk, Named.as("risk-scores"))
                .to(settings.topics().name(TopicCatalog.ACCOUNT_RISK),
                        Produced.with(Serdes.String(), riskSerde).withName("account-risk-sink"));
        return outputs.get("risk-alert-outputs").mapValues(RiskOutput::alert, Named.as("risk-alerts"));
    }
}
