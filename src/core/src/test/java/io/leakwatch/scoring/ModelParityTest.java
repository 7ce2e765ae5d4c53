package io.leakwatch.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.features.FeatureContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java reproduces Python: for every committed model version, every {@code parity.jsonl} row gives its
 * {@code expected} within 1e-5. Runs over whatever versions are committed in {@code models/} (none until the
 * training lands) and over the test models; checks at least one row whenever a directory has versions.
 */
class ModelParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"models", "src/core/src/test/resources/onnx/models", "src/core/src/test/resources/onnx/extra"})
    void shouldReproduceEveryParityRowOfEveryCommittedVersion(String root) throws IOException {
        Path dir = Path.of(root);
        int versions = 0;
        int rows = 0;
        for (Path versionDir : versionDirs(dir)) {
            Path contractFile = versionDir.getParent().resolve(ModelRegistry.CONTRACT_FILE);
            Path contract = Files.exists(contractFile) ? contractFile
                    : Path.of("models").resolve(versionDir.getParent().getFileName()).resolve(ModelRegistry.CONTRACT_FILE);
            versions++;
            try (OnnxModel model = ModelRegistry.validate(FeatureContract.read(contract), versionDir)) {
                rows += ModelRegistry.checkParity(model, versionDir.resolve(ModelRegistry.PARITY_FILE));
            }
        }
        if (versions > 0) {
            assertThat(rows).as("parity rows checked in " + dir).isPositive();
        }
        if (!root.equals("models")) {
            assertThat(versions).as("test models in " + dir).isPositive();
        }
    }

    private static List<Path> versionDirs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> models = Files.list(dir)) {
            return models.filter(Files::isDirectory).sorted()
                    .flatMap(m -> ModelRegistry.versionDirs(m).stream()).toList();
        }
    }
}
