package io.leakwatch.detect.risk;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.Finding;
import io.leakwatch.events.Severity;
import io.leakwatch.features.FeatureBatch;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.metrics.TimeSpent;
import io.leakwatch.scoring.RiskPolicy;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each scoring batch (a {@link FeatureBatch} with {@code periodEnd = false}; period-end batches are training
 * snapshots and are ignored) with one {@link RiskScorer} call, and forwards per account, in batch order, when the
 * score is published ({@link io.leakwatch.scoring.RiskPublishing}): its {@code AccountRisk} (key account_id,
 * timestamp = the batch's stream time) and, when it enters High on a model, a HIGH_LEAKAGE_RISK / HIGH_CHURN_RISK
 * alert (rules in {@link RiskJudgement}). Only published scores get their expected leakage and top factors (the
 * scorer asks, {@link RiskScorer.Full}), and the state is written only when it changed.
 *
 * <p>State {@code risk-state}: account -&gt; {@link RiskState} (levels for hysteresis, the day each High began),
 * {@link RiskStateSerde}, in a {@link io.leakwatch.state.WriteBackStore} (the states read and changed at a period-end
 * scan are encoded once, at the commit). Nothing here reads the wall clock, so the same batches give the same bytes.
 * Risk alerts are predictions, so their severity is capped at HIGH whatever the amount.
 */
public final class RiskScoringProcessor implements Processor<String, FeatureBatch, String, RiskOutput> {
    public static final String STORE = "risk-state";
    /** Accounts whose state stays in memory between scores (least recently used ones are written back and dropped). */
    public static final int KEPT_STATES = 4096;

    private final RiskScorer scorer;
    private final RiskJudgement judgement;
    private final AlertFactory alertFactory;
    private ProcessorContext<String, RiskOutput> context;
    private KeyValueStore<String, RiskState> states;
    /** What the scorer takes per batch ({@link TimeSpent#SCORER}). */
    private TimeSpent scorerTime;

    public RiskScoringProcessor(RiskScorer scorer, RiskPolicy policy, RiskPublishing publishing, AlertFactory alertFactory) {
        this.scorer = scorer;
        this.judgement = new RiskJudgement(policy, publishing);
        this.alertFactory = alertFactory;
    }

    @Override
    public void init(ProcessorContext<String, RiskOutput> context) {
        this.context = context;
        this.states = context.getStateStore(STORE);
        this.scorerTime = TimeSpent.register(context.metrics(), TimeSpent.SCORER,
                "batches through the risk scorer (the models and the top factors)", Map.of(TimeSpent.TASK_TAG, context.taskId().toString()));
    }

    @Override
    public void process(Record<String, FeatureBatch> record) {
        FeatureBatch batch = record.value();
        if (batch == null || batch.periodEnd() || batch.snapshots().isEmpty()) {
            return;
        }
        List<FeatureSnapshot> snapshots = batch.snapshots();
        List<RiskState> previous = new ArrayList<>(snapshots.size());
        for (FeatureSnapshot snapshot : snapshots) {
            RiskState state = states.get(snapshot.accountId());
            previous.add(state == null ? RiskState.NONE : state);
        }
        // the scorer asks about every row once (RiskScorer.Full); the answers are kept for the judgement below
        Boolean[] publish = new Boolean[snapshots.size()];
        long start = TimeSpent.start();
        List<RiskScores> scores = scorer.score(snapshots, (row, probabilities) ->
                publish[row] = judgement.publishes(snapshots.get(row), probabilities, previous.get(row), batch.asOf()));
        scorerTime.since(start);
        if (scores.size() != snapshots.size()) {
            throw new IllegalStateException("risk scorer returned " + scores.size() + " scores for " + snapshots.size() + " accounts");
        }
        long timestamp = batch.asOf().toEpochMilli();
        for (int i = 0; i < snapshots.size(); i++) {
            FeatureSnapshot snapshot = snapshots.get(i);
            String account = snapshot.accountId();
            if (publish[i] == null) {
                throw new IllegalStateException("risk scorer did not ask whether account " + account + " is published");
            }
            RiskJudgement.Outcome outcome = judgement.judge(snapshot, scores.get(i), previous.get(i), batch.asOf(), publish[i]);
            if (!outcome.state().equals(previous.get(i))) {
                states.put(account, outcome.state());
            }
            if (!outcome.published()) {
                continue;
            }
            context.forward(new Record<>(account, RiskOutput.of(outcome.risk()), timestamp));
            for (Finding finding : outcome.findings()) {
                context.forward(new Record<>(account,
                        RiskOutput.of(alertFactory.toAlert(finding, batch.asOf(), Severity.HIGH)), timestamp));
            }
        }
    }
}
