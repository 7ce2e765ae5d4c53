package io.leakwatch.scoring;

import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureContract;
import io.leakwatch.features.FeatureSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The production {@link RiskScorer}: three ONNX models from a {@link ModelRegistry}.
 * <pre>
 * leakage_probability    = leakage_risk(row)        (one session.run per model per batch)
 * churn_probability      = churn_risk(row)
 * then only for the rows the caller wants in full ({@link RiskScorer.Full}: the ones it will publish):
 * expected_leakage_ratio = max(0, leakage_amount(row))   (NaN for the others; no run when no row is wanted)
 * factors (rows Medium or High on either probability, i.e. p &gt;= medium):
 *   drop(f) = p(row) - p(row with f set to its contract default), per elevated model, in one extra batched run
 *   the features with the largest drop &gt; 0 (max over the elevated models), at most 3, in words
 * </pre>
 * Most scores are not published (nothing moved enough since the last published one), and a small batch pays
 * mostly the fixed cost of each ONNX Runtime call, so asking first saves the amount model's call in every batch
 * that publishes nothing, and its rows in the others.
 * Every batch uses one consistent set of model versions (a hot reload waits for it) and every result names them
 * ({@code leakage_risk:v1, leakage_amount:v1, churn_risk:v1}). Thread-safe; deterministic for given versions.
 */
public final class OnnxRiskScorer implements RiskScorer {
    public static final int MAX_FACTORS = 3;
    /** Drops smaller than this are noise, not a reason. */
    static final double MIN_DROP = 1e-6;
    private static final Comparator<Map.Entry<Feature, Double>> BY_DROP =
            Comparator.<Map.Entry<Feature, Double>>comparingDouble(Map.Entry::getValue).reversed()
                    .thenComparing(e -> e.getKey().ordinal());

    private final ModelRegistry registry;
    private final RiskPolicy policy;

    /** @throws ModelValidationException when the registry does not serve all three models */
    public OnnxRiskScorer(ModelRegistry registry, RiskThresholds thresholds) {
        this.registry = registry;
        this.policy = new RiskPolicy(thresholds);
        Map<String, String> served = registry.servedVersions();
        List<String> missing = MODELS.stream().filter(m -> !served.containsKey(m)).toList();
        if (!missing.isEmpty()) {
            throw new ModelValidationException("models directory " + registry.directory() + " has no valid " + missing
                    + " (risk scoring needs " + MODELS + ")");
        }
    }

    @Override
    public List<RiskScores> score(List<FeatureSnapshot> snapshots, Full full) {
        if (snapshots.isEmpty()) {
            return List.of();
        }
        return registry.withModels(models -> score(models, snapshots, full));
    }

    private List<RiskScores> score(Map<String, OnnxModel> models, List<FeatureSnapshot> snapshots, Full full) {
        OnnxModel leakage = model(models, LEAKAGE_RISK);
        OnnxModel amount = model(models, LEAKAGE_AMOUNT);
        OnnxModel churn = model(models, CHURN_RISK);
        List<float[]> leakageRows = rows(leakage.contract(), snapshots);
        List<float[]> churnRows = rows(churn.contract(), snapshots);
        double[] leakageP = leakage.predict(leakageRows);
        double[] churnP = churn.predict(churnRows);
        List<String> versions = List.of(leakage.id(), amount.id(), churn.id());
        RiskScores[] probabilities = new RiskScores[snapshots.size()];
        boolean[] wanted = new boolean[snapshots.size()];
        List<FeatureSnapshot> wantedSnapshots = new ArrayList<>();
        List<Map<Feature, Double>> drops = new ArrayList<>(snapshots.size());
        for (int i = 0; i < snapshots.size(); i++) {
            probabilities[i] = RiskScores.probabilities(leakageP[i], churnP[i], versions);
            wanted[i] = full.wants(i, probabilities[i]);
            if (wanted[i]) {
                wantedSnapshots.add(snapshots.get(i));
            }
            drops.add(wanted[i] ? new TreeMap<>() : null);     // only rows wanted in full get factors
        }
        double[] ratios = amount.predict(rows(amount.contract(), wantedSnapshots));
        explain(leakage, leakageRows, leakageP, wanted, drops);
        explain(churn, churnRows, churnP, wanted, drops);
        List<RiskScores> scores = new ArrayList<>(snapshots.size());
        int next = 0;
        for (int i = 0; i < snapshots.size(); i++) {
            if (!wanted[i]) {
                scores.add(probabilities[i]);     // the score the caller was asked about
                continue;
            }
            double raw = ratios[next++];
            double ratio = Double.isFinite(raw) ? Math.max(0.0, raw) : 0.0;
            scores.add(new RiskScores(leakageP[i], ratio, churnP[i], versions, factors(drops.get(i), leakageRows.get(i),
                    churnRows.get(i), leakage.contract(), churn.contract())));
        }
        return scores;
    }

    /**
     * For the accounts wanted in full that are Medium or High on this model: every feature that is not at its
     * default is set to it, all in one batch; the drop in probability is recorded per account and feature (the
     * larger one if two models see it). An account elevated on neither model keeps no drops, so no factors.
     */
    private void explain(OnnxModel model, List<float[]> rows, double[] probabilities, boolean[] wanted,
                         List<Map<Feature, Double>> drops) {
        FeatureContract contract = model.contract();
        double[] defaults = contract.defaults();
        List<float[]> perturbed = new ArrayList<>();
        List<int[]> which = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!wanted[i] || !policy.elevated(probabilities[i])) {
                continue;
            }
            float[] row = rows.get(i);
            for (int j = 0; j < row.length; j++) {
                float def = (float) defaults[j];
                if (row[j] != def) {
                    float[] copy = row.clone();
                    copy[j] = def;
                    perturbed.add(copy);
                    which.add(new int[] {i, j});
                }
            }
        }
        if (perturbed.isEmpty()) {
            return;
        }
        double[] p = model.predict(perturbed);
        for (int k = 0; k < p.length; k++) {
            int account = which.get(k)[0];
            Feature feature = contract.features().get(which.get(k)[1]);
            double drop = probabilities[account] - p[k];
            if (drop > MIN_DROP) {
                drops.get(account).merge(feature, drop, Math::max);
            }
        }
    }

    /** The largest drops first (ties: the earlier feature), at most {@value #MAX_FACTORS}, in words. */
    private static List<String> factors(Map<Feature, Double> drops, float[] leakageRow, float[] churnRow,
                                        FeatureContract leakage, FeatureContract churn) {
        List<Map.Entry<Feature, Double>> ranked = new ArrayList<>(drops.entrySet());
        ranked.sort(BY_DROP);
        List<String> phrases = new ArrayList<>(MAX_FACTORS);
        for (Map.Entry<Feature, Double> e : ranked.subList(0, Math.min(MAX_FACTORS, ranked.size()))) {
            phrases.add(FactorPhrases.phrase(e.getKey(), value(e.getKey(), leakageRow, churnRow, leakage, churn)));
        }
        return List.copyOf(phrases);
    }

    /** The value the model saw (a missing value already replaced by the contract default). */
    private static double value(Feature feature, float[] leakageRow, float[] churnRow, FeatureContract leakage,
                                FeatureContract churn) {
        int i = leakage.features().indexOf(feature);
        return i >= 0 ? leakageRow[i] : churnRow[churn.features().indexOf(feature)];
    }

    private static List<float[]> rows(FeatureContract contract, List<FeatureSnapshot> snapshots) {
        List<float[]> rows = new ArrayList<>(snapshots.size());
        for (FeatureSnapshot s : snapshots) {
            rows.add(contract.row(s));
        }
        return rows;
    }

    private static OnnxModel model(Map<String, OnnxModel> models, String name) {
        OnnxModel model = models.get(name);
        if (model == null) {
            throw new IllegalStateException("no model " + name + " is served");
        }
        return model;
    }
}
