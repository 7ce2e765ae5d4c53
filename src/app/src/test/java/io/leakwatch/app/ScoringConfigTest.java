package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.app.LeakwatchConfig.ConfigException;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskThresholds;
import io.leakwatch.topology.RiskSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringConfigTest {
    @TempDir
    Path tmp;

    @Test
    void shouldDefaultToDailyScoringWithTheDocumentedThresholds() {
        RiskSettings risk = new LeakwatchConfig(Map.of()).topologySettings().risk();

        assertThat(risk.scoringInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(risk.thresholds()).isEqualTo(RiskThresholds.DEFAULTS);
        assertThat(risk.scorer()).isNull();
    }

    @Test
    void shouldReadScheduleAndThresholds() {
        RiskSettings risk = new LeakwatchConfig(Map.of(LeakwatchKeys.SCORING_INTERVAL, "PT6H",
                LeakwatchKeys.RISK_HIGH_ENTER, "0.8",
                LeakwatchKeys.RISK_HIGH_EXIT, "0.6", LeakwatchKeys.RISK_MEDIUM, "0.3")).topologySettings().risk();

        assertThat(risk.scoringInterval()).isEqualTo(Duration.ofHours(6));
        assertThat(risk.thresholds()).isEqualTo(new RiskThresholds(0.8, 0.6, 0.3));
    }

    @Test
    void shouldReadWhenScoresArePublished() {
        RiskSettings defaults = new LeakwatchConfig(Map.of()).topologySettings().risk();
        RiskSettings risk = new LeakwatchConfig(Map.of(LeakwatchKeys.PUBLISH_MIN_PROBABILITY_CHANGE, "0",
                LeakwatchKeys.PUBLISH_MIN_REVENUE_CHANGE, "0.25", LeakwatchKeys.PUBLISH_MAX_AGE, "P7D"))
                .topologySettings().risk();

        assertThat(defaults.publishing()).isEqualTo(RiskPublishing.DEFAULTS);
        assertThat(risk.publishing()).isEqualTo(new RiskPublishing(0, 0.25, Duration.ofDays(7)));
        assertThatThrownBy(() -> new LeakwatchConfig(Map.of(LeakwatchKeys.PUBLISH_MAX_AGE, "a month")).topologySettings())
                .isInstanceOf(ConfigException.class).hasMessageContaining(LeakwatchKeys.PUBLISH_MAX_AGE);
        assertThatThrownBy(() -> new LeakwatchConfig(Map.of(LeakwatchKeys.PUBLISH_MIN_PROBABILITY_CHANGE, "2"))
                .topologySettings()).isInstanceOf(ConfigException.class).hasMessageContaining("probability");
    }

    @Test
    void shouldRefuseThresholdsOutOfOrder() {
        assertThatThrownBy(() -> new LeakwatchConfig(Map.of(LeakwatchKeys.RISK_HIGH_EXIT, "0.9")).topologySettings())
                .isInstanceOf(ConfigException.class).hasMessageContaining("medium <= high-exit <= high-enter");
    }

    @Test
    void shouldEnableScoringOnlyWhenTheModelsDirectoryHasVersions() throws Exception {
        Path dir = tmp.resolve("models");
        LeakwatchConfig config = new LeakwatchConfig(Map.of(LeakwatchKeys.MODELS_DIR, dir.toString()));
        assertThat(config.scoring().enabled()).isFalse();

        Files.createDirectories(dir.resolve("leakage_risk"));
        Files.writeString(dir.resolve("leakage_risk/features.json"), "{}");
        assertThat(config.scoring().enabled()).as("a contract without versions").isFalse();

        Files.createDirectories(dir.resolve("leakage_risk/v1"));
        assertThat(config.scoring()).isEqualTo(new ScoringConfig(true, dir, Duration.ofMinutes(1)));
        assertThat(config.with(LeakwatchKeys.SCORING_ENABLED, "false").scoring().enabled()).isFalse();
    }

    @Test
    void shouldReadModelPinsAndRefuseAPinThatIsNotModelEqualsVersion() {
        LeakwatchConfig config = new LeakwatchConfig(Map.of(LeakwatchKeys.MODELS_PIN, "leakage_risk=v4, churn_risk=v3"));
        assertThat(config.scoring().pins()).isEqualTo(Map.of("leakage_risk", "v4", "churn_risk", "v3"));

        assertThatThrownBy(() -> new LeakwatchConfig(Map.of(LeakwatchKeys.MODELS_PIN, "leakage_risk=latest")))
                .hasMessageContaining(LeakwatchKeys.MODELS_PIN).hasMessageContaining("model=v<N> pairs");
    }

    @Test
    void shouldFindTheModelsBesideTheInstallationWhenTheWorkingDirectoryHasNone() throws Exception {
        Path installation = tmp.resolve("opt/leakwatch");
        Path jar = Files.createDirectories(installation.resolve("lib")).resolve("leakwatch-app.jar");
        Path elsewhere = Files.createDirectories(tmp.resolve("home/analyst"));
        assertThat(ScoringConfig.locateModels(elsewhere, jar)).as("no models anywhere: the working directory's, to name")
                .isEqualTo(elsewhere.resolve("models"));

        Files.createDirectories(installation.resolve("models/leakage_risk/v1"));
        Files.writeString(installation.resolve("models/leakage_risk/features.json"), "{}");
        assertThat(ScoringConfig.locateModels(elsewhere, jar)).isEqualTo(installation.resolve("models"));

        Files.createDirectories(elsewhere.resolve("models/leakage_risk/v2"));
        Files.writeString(elsewhere.resolve("models/leakage_risk/features.json"), "{}");
        assertThat(ScoringConfig.locateModels(elsewhere, jar)).as("the working directory's come first")
                .isEqualTo(elsewhere.resolve("models"));
    }

    @Test
    void shouldFindTheRepositorysModelsFromTheBuiltJars() {
        // tests run from the repository root, and its models/ holds the served versions
        assertThat(ScoringConfig.defaultModelsDir()).isEqualTo(Path.of("models").toAbsolutePath());
        assertThat(ScoringConfig.locateModels(Path.of("src").toAbsolutePath(),
                Path.of("src/app/target/classes").toAbsolutePath())).isEqualTo(Path.of("models").toAbsolutePath());
    }

    @Test
    void shouldRefuseAnUnreadableEnabledFlag() {
        assertThatThrownBy(() -> new LeakwatchConfig(Map.of(LeakwatchKeys.SCORING_ENABLED, "yes")).scoring())
                .isInstanceOf(ConfigException.class).hasMessage("leakwatch.scoring.enabled: 'yes' is not true or false");
    }
}
