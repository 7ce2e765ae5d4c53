package io.leakwatch.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    Path tmp;

    @Test
    void shouldServeTheHighestValidVersionOfEveryModel() {
        try (ModelRegistry registry = ModelRegistry.open(TestModels.MODELS)) {
            assertThat(registry.servedVersions()).isEqualTo(Map.of(
                    "churn_risk", "churn_risk:v1", "leakage_amount", "leakage_amount:v1", "leakage_risk", "leakage_risk:v1"));
            assertThat(registry.rejections()).isEmpty();
        }
    }

    @Test
    void shouldRefuseToStartWithoutTheModelsDirectory() {
        assertThatThrownBy(() -> ModelRegistry.open(tmp.resolve("nowhere")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("models directory").hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseToStartWhenAModelHasNoValidVersion() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        Files.write(dir.resolve("churn_risk/v1/model.onnx"), "not a model".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelRegistry.open(dir))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("no valid version").hasMessageContaining("churn_risk:v1: ONNX Runtime cannot load");
    }

    @Test
    void shouldRejectACorruptModelAndKeepServingThePreviousVersion() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            Path v2 = newVersion(dir, "v2");
            Files.write(v2.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5});

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
            assertThat(registry.rejections().get("leakage_risk:v2")).startsWith("leakage_risk:v2: ONNX Runtime cannot load model.onnx");
            assertThat(new OnnxRiskScorer(registry, RiskThresholds.DEFAULTS).score(List.of(TestModels.leaky("a"))))
                    .singleElement().satisfies(s -> assertThat(s.modelVersions()).contains("leakage_risk:v1"));
        }
    }

    @Test
    void shouldRejectAVersionTrainedAgainstAnotherContract() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            Path v2 = newVersion(dir, "v2");
            Files.writeString(v2.resolve("card.json"), "{\"version\": \"v2\", \"contract_sha256\": \"" + "ab".repeat(32) + "\"}");

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
            assertThat(registry.rejections().get("leakage_risk:v2"))
                    .contains("feature contract mismatch: trained against contract sha256 " + "ab".repeat(32));
        }
    }

    @Test
    void shouldRejectAModelWhoseInputWidthDiffersFromTheContract() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            Path v2 = newVersion(dir, "v2");
            Files.copy(TestModels.NARROW, v2.resolve("model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            int width = io.leakwatch.features.FeatureContract.read(dir.resolve("leakage_risk/features.json")).features().size();

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
            assertThat(registry.rejections().get("leakage_risk:v2"))
                    .isEqualTo("leakage_risk:v2: feature contract mismatch: the contract lists " + width
                            + " features, the model takes " + (width - 1) + " columns");
        }
    }

    @Test
    void shouldRejectAContractNamingAFeatureTheStreamDoesNotCompute() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            Path contract = dir.resolve("leakage_risk/features.json");
            Files.writeString(contract, Files.readString(contract).replace("\"invoice_count_trend\"", "\"support_tickets_30d\""));
            newVersion(dir, "v2");

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
            assertThat(registry.rejections().get("leakage_risk:features.json"))
                    .contains("feature contract mismatch in leakage_risk: the stream computes no feature 'support_tickets_30d'");
        }
    }

    @Test
    void shouldRejectAVersionWhoseParityRowsDoNotReproduce() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            Path v2 = newVersion(dir, "v2");
            List<String> lines = Files.readAllLines(v2.resolve("parity.jsonl"));
            lines.set(2, lines.get(2).replaceAll("\"expected\": ([0-9.e-]+)", "\"expected\": 0.123"));
            Files.write(v2.resolve("parity.jsonl"), lines);

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
            assertThat(registry.rejections().get("leakage_risk:v2")).contains("parity failure on parity.jsonl row 3: expected 0.12300000");
        }
    }

    @Test
    void shouldRetryARejectedVersionOnceItsFilesChange() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            Path v2 = dir.resolve("leakage_risk/v2");
            Files.createDirectories(v2);
            Files.copy(TestModels.LEAKAGE_V2.resolve("model.onnx"), v2.resolve("model.onnx"));
            registry.reload(); // half copied: no card yet
            assertThat(registry.rejections()).containsKey("leakage_risk:v2");

            TestModels.copyTree(TestModels.LEAKAGE_V2, v2);
            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v2");
            assertThat(registry.rejections()).doesNotContainKey("leakage_risk:v2");
        }
    }

    @Test
    @Timeout(30)
    void shouldPickUpANewVersionWithoutRestartAndCloseTheOldOne() throws Exception {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir).startPolling(Duration.ofMillis(50))) {
            OnnxModel v1 = registry.withModels(m -> m.get("leakage_risk"));
            // written next to the models dir and moved in, as a deployment should (an atomic rename)
            Path staged = tmp.resolve("staged-v2");
            TestModels.copyTree(TestModels.LEAKAGE_V2, staged);
            Files.move(staged, dir.resolve("leakage_risk/v2"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            while (!"leakage_risk:v2".equals(registry.servedVersions().get("leakage_risk"))) {
                Thread.sleep(20);
            }

            assertThat(v1.isClosed()).isTrue();
            assertThat(new OnnxRiskScorer(registry, RiskThresholds.DEFAULTS).score(List.of(TestModels.leaky("a"))).get(0)
                    .modelVersions()).containsExactly("leakage_risk:v2", "leakage_amount:v1", "churn_risk:v1");
        }
    }

    @Test
    void shouldNotPromoteANewVersionWorseThanTheServedOneOnTheHeldOutSet() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        scoreCard(dir.resolve("leakage_risk/v1"), "classification", Map.of("roc_auc", 0.85));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            scoreCard(newVersion(dir, "v2"), "classification", Map.of("roc_auc", 0.80));

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
            assertThat(registry.rejections().get("leakage_risk:v2"))
                    .contains("not promoted", "worse than v1", "roc_auc 0.8000 against roc_auc 0.8500");
        }
    }

    @Test
    void shouldPromoteANewVersionThatIsNotWorseOnTheHeldOutSet() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        scoreCard(dir.resolve("leakage_risk/v1"), "classification", Map.of("roc_auc", 0.85));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            scoreCard(newVersion(dir, "v2"), "classification", Map.of("roc_auc", 0.86));

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v2");
        }
    }

    @Test
    void shouldServeTheLowerVersionAtStartUpWhenTheHigherIsWorseOnTheHeldOutSet() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        scoreCard(dir.resolve("leakage_risk/v1"), "classification", Map.of("roc_auc", 0.85));
        scoreCard(newVersion(dir, "v2"), "classification", Map.of("roc_auc", 0.70));

        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
        }
    }

    @Test
    void shouldNotServeARegressorNoBetterThanPredictingTheTrainingMean() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            Path v2 = dir.resolve("leakage_amount/v2");
            TestModels.copyTree(dir.resolve("leakage_amount/v1"), v2);
            scoreCard(v2, "regression", Map.of("mae", 0.0296, "mae_predict_train_mean", 0.0280));

            registry.reload();

            assertThat(registry.servedVersions()).containsEntry("leakage_amount", "leakage_amount:v1");
            assertThat(registry.rejections().get("leakage_amount:v2"))
                    .contains("no better than predicting the training mean", "mae 0.0296", "training mean 0.0280");
        }
    }

    @Test
    void shouldRollBackToAPinnedVersionWithoutARestartAndReturnWhenUnpinned() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        newVersion(dir, "v2");
        try (ModelRegistry registry = ModelRegistry.open(dir)) {
            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v2");

            Files.writeString(dir.resolve("leakage_risk").resolve(ModelRegistry.PIN_FILE), "v1\n");
            registry.reload();
            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");

            Files.delete(dir.resolve("leakage_risk").resolve(ModelRegistry.PIN_FILE));
            registry.reload();
            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v2");
        }
    }

    @Test
    void shouldServeTheConfiguredPinAndRefuseToStartWhenItDoesNotExist() throws IOException {
        Path dir = TestModels.copyModels(tmp.resolve("models"));
        newVersion(dir, "v2");
        try (ModelRegistry registry = ModelRegistry.open(dir, Map.of("leakage_risk", "v1"))) {
            assertThat(registry.servedVersions()).containsEntry("leakage_risk", "leakage_risk:v1");
        }
        assertThatThrownBy(() -> ModelRegistry.open(dir, Map.of("leakage_risk", "v9")))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("leakage_risk:v9: pinned, but there is no version directory");
    }

    /** Gives the card of {@code versionDir} a task and held-out metrics. */
    private static void scoreCard(Path versionDir, String task, Map<String, Double> metrics) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode card =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(versionDir.resolve("card.json").toFile());
        card.put("task", task);
        com.fasterxml.jackson.databind.node.ObjectNode m = card.putObject("metrics");
        metrics.forEach(m::put);
        json.writeValue(versionDir.resolve("card.json").toFile(), card);
    }

    /** A copy of leakage_risk v2 (valid) as {@code dir/leakage_risk/<version>}. */
    private static Path newVersion(Path dir, String version) {
        Path target = dir.resolve("leakage_risk").resolve(version);
        TestModels.copyTree(TestModels.LEAKAGE_V2, target);
        return target;
    }
}
