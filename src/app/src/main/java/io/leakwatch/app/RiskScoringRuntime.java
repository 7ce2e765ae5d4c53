package io.leakwatch.app;

import io.leakwatch.scoring.ModelRegistry;
import io.leakwatch.scoring.OnnxRiskScorer;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.topology.TopologySettings;
import java.util.Map;

/**
 * The risk scorer a command runs with, and its lifetime: loads the models directory when scoring is on, hands the
 * scorer to the topology settings, and closes the ONNX sessions at the end. {@code run} polls the directory for new
 * model versions (hot reload); a replay loads the versions once, so its scores depend only on its input.
 */
public final class RiskScoringRuntime implements AutoCloseable {
    private final ModelRegistry registry;
    private final OnnxRiskScorer scorer;
    private final ScoringConfig config;

    private RiskScoringRuntime(ScoringConfig config, ModelRegistry registry, OnnxRiskScorer scorer) {
        this.config = config;
        this.registry = registry;
        this.scorer = scorer;
    }

    /**
     * @param hotReload poll the directory for new versions (live processing); false for replays
     */
    public static RiskScoringRuntime open(ScoringConfig config, TopologySettings settings, boolean hotReload) {
        if (!config.enabled()) {
            return new RiskScoringRuntime(config, null, null);
        }
        ModelRegistry registry = hotReload ? config.openRegistry() : config.openRegistryOnce();
        return new RiskScoringRuntime(config, registry, new OnnxRiskScorer(registry, settings.risk().thresholds()));
    }

    /** The settings with the scorer in place (unchanged when scoring is off). */
    public TopologySettings apply(TopologySettings settings) {
        return scorer == null ? settings : settings.withRisk(settings.risk().withScorer(scorer));
    }

    /** "model:version" by model name of the versions served now; empty when scoring is off. */
    public Map<String, String> servedVersions() {
        return registry == null ? Map.of() : registry.servedVersions();
    }

    /** The scorer, or null when scoring is off. */
    public RiskScorer scorer() {
        return scorer;
    }

    public boolean enabled() {
        return scorer != null;
    }

    /** One line for the console: which model versions score, or why nothing does. */
    public String describe() {
        if (registry == null) {
            return "risk scoring off (no model versions under " + config.modelsDir().toAbsolutePath()
                    + "; set leakwatch.models.dir)";
        }
        Map<String, String> served = registry.servedVersions();
        return "risk scoring on: " + String.join(", ", served.values());
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
