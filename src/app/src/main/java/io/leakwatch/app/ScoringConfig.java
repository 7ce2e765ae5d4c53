package io.leakwatch.app;

import io.leakwatch.scoring.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Risk scoring as configured ({@code leakwatch.scoring.enabled}, {@code leakwatch.models.dir},
 * {@code leakwatch.models.poll-interval}).
 *
 * @param enabled      score accounts
 * @param modelsDir    the models directory (docs/risk-scoring.md)
 * @param pollInterval how often (wall clock) the directory is re-read for new model versions
 * @param pins         model -&gt; version to serve ({@code leakwatch.models.pin})
 */
public record ScoringConfig(boolean enabled, Path modelsDir, Duration pollInterval, java.util.Map<String, String> pins) {
    public ScoringConfig {
        pins = java.util.Map.copyOf(pins);
    }

    /** No pins. */
    public ScoringConfig(boolean enabled, Path modelsDir, Duration pollInterval) {
        this(enabled, modelsDir, pollInterval, java.util.Map.of());
    }

    /** Loads the models, pins applied, without the reload poll (a replay). */
    public ModelRegistry openRegistryOnce() {
        return ModelRegistry.open(modelsDir, pins);
    }

    /**
     * Loads the models and starts the reload poll; a clear {@link io.leakwatch.scoring.ModelValidationException} if it
     * cannot. The runner wraps it in an {@link io.leakwatch.scoring.OnnxRiskScorer} and closes it at shutdown.
     */
    public ModelRegistry openRegistry() {
        return ModelRegistry.open(modelsDir, pins).startPolling(pollInterval);
    }

    /**
     * The models directory when {@code leakwatch.models.dir} is not set: {@code models} in the working directory when
     * it holds a model version, else the first {@code models} that does beside the installation (the directory of the
     * jar that holds Leakwatch and its parents: {@code /opt/leakwatch/models} in the image, the repository's
     * {@code models/} for the launcher), else {@code models} in the working directory, which scoring then reports as
     * empty by its absolute path.
     */
    public static Path defaultModelsDir() {
        Path installed;
        try {
            installed = Path.of(ScoringConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            installed = null;
        }
        return locateModels(Path.of("").toAbsolutePath(), installed);
    }

    static Path locateModels(Path workingDir, Path codeLocation) {
        Path here = workingDir.resolve("models");
        if (hasModelVersions(here)) {
            return here;
        }
        for (Path dir = codeLocation == null ? null : codeLocation.toAbsolutePath().getParent();
             dir != null; dir = dir.getParent()) {
            if (hasModelVersions(dir.resolve("models"))) {
                return dir.resolve("models");
            }
        }
        return here;
    }

    /** True when {@code dir} holds at least one {@code <model>/v<N>/} directory next to a features.json. */
    static boolean hasModelVersions(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> models = Files.list(dir)) {
            return models.filter(m -> Files.isRegularFile(m.resolve(ModelRegistry.CONTRACT_FILE)))
                    .anyMatch(m -> hasVersion(m));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasVersion(Path modelDir) {
        try (Stream<Path> children = Files.list(modelDir)) {
            return children.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().matches("v\\d+"));
        } catch (IOException e) {
            return false;
        }
    }
}
