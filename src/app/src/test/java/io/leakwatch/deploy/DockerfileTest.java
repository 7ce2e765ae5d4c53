package io.leakwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.deploy.DockerfileStages.Copy;
import io.leakwatch.deploy.DockerfileStages.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The images the Dockerfile builds, checked from the file because no Docker engine runs here: the jars are built in a
 * stage of their own, the production image (the default target) holds src/app's jar and lib/ and nothing of the tools
 * or the broker, both runtime images run as an unprivileged user, and the build context holds what the stages copy
 * and no build output, Git history or local config. ImageLayoutIntegrationTest checks the jar layout itself.
 */
class DockerfileTest {
    /** Jars and modules the production image must not hold: tools, broker, test and chart libraries. */
    private static final String FORBIDDEN = ".*(src/tools|src/broker|leakwatch-tools|leakwatch-broker|kafka_2\\.13"
            + "|test-utils|jfreechart|junit|assertj).*";

    private static DockerfileStages dockerfile;
    private static DockerIgnore ignore;

    @BeforeAll
    static void readFiles() throws IOException {
        dockerfile = DockerfileStages.read(Path.of("Dockerfile"));
        ignore = DockerIgnore.read(Path.of(".dockerignore"));
    }

    private static Stage production() {
        return dockerfile.defaultStage();
    }

    private static Stage build() {
        return dockerfile.stages().stream().filter(s -> s.arguments("RUN").stream().anyMatch(r -> r.contains("mvn ")
                && r.contains(" package"))).findFirst().orElseThrow(() -> new AssertionError("no stage runs mvn package"));
    }

    @Test
    void shouldBuildTheJarsInAStageTheRuntimeImagesDoNotStartFrom() {
        Stage build = build();

        assertThat(production().name()).isEqualTo("app");
        assertThat(dockerfile.lineage(production())).doesNotContain(build);
        assertThat(dockerfile.lineage(dockerfile.stage("tools").orElseThrow())).doesNotContain(build);
        assertThat(production().base()).doesNotContain("jdk").doesNotContain("maven");
    }

    @Test
    void shouldRunBothRuntimeImagesAsAnUnprivilegedUser() {
        for (Stage stage : List.of(production(), dockerfile.stage("tools").orElseThrow())) {
            assertThat(dockerfile.user(stage)).as(stage.name() + " USER")
                    .hasValueSatisfying(user -> assertThat(user.split(":")[0]).isNotIn("root", "0"));
        }
    }

    @Test
    void shouldCopyIntoTheProductionImageOnlyTheAppJarItsLibrariesTheModelsAndTheConfigs() {
        List<Copy> copies = dockerfile.copies(production());
        String buildDir = build().workdir() + "/";

        assertThat(copies).allSatisfy(copy -> assertThat(copy.sources()).noneMatch(source -> source.matches(FORBIDDEN)));
        assertThat(copies.stream().filter(c -> c.from().isPresent()))
                .allSatisfy(copy -> assertThat(copy.from()).contains(build().name()))
                .flatMap(Copy::sources)
                .containsExactlyInAnyOrder(buildDir + "src/app/target/leakwatch-app.jar", buildDir + "src/app/target/lib/");
        assertThat(copies.stream().filter(c -> c.from().isEmpty()).flatMap(c -> c.sources().stream()))
                .containsExactlyInAnyOrder("models/", "config/");
    }

    @Test
    void shouldCopyTheToolsJarIntoTheToolsImageOnly() {
        assertThat(dockerfile.copies(dockerfile.stage("tools").orElseThrow()).stream().flatMap(c -> c.sources().stream()))
                .contains(build().workdir() + "/src/tools/target/leakwatch.jar");
    }

    @Test
    void shouldHaveAHealthCheckOrLeaveItToTheServicesThatRunTheImage() {
        Stage production = production();

        // one image, three commands on two ports and a one-shot: ComposeFileTest checks each service's own probe
        assertThat(!production.arguments("HEALTHCHECK").isEmpty()
                || production.comments().stream().anyMatch(c -> c.startsWith("No HEALTHCHECK in the image")))
                .as("a HEALTHCHECK, or a comment starting 'No HEALTHCHECK in the image' that says where it is").isTrue();
        assertThat(production.arguments("EXPOSE")).singleElement().asString().contains("8080").contains("8081");
    }

    @Test
    void shouldKeepBuildOutputHistoryAndLocalConfigOutOfTheBuildContext() {
        assertThat(List.of(".git/HEAD", "target/pyenv/bin/python", "src/app/target/leakwatch-app.jar",
                "src/core/target/classes/topology/topics.json", "src/tools/target/lib/kafka_2.13-4.3.1.jar",
                "leakwatch.properties", ".idea/workspace.xml", "demo-out/alerts.jsonl",
                "models/leakwatch_models/train.py", "models/tests/test_train.py", "models/ci/check.py",
                "models/leakwatch_models/__pycache__/train.cpython-312.pyc")).allMatch(ignore::excludes);
    }

    @Test
    void shouldSendTheSourcesTheStagesCopyInTheBuildContext() throws IOException {
        List<String> sources = dockerfile.stages().stream().flatMap(s -> s.copies().stream())
                .filter(c -> c.from().isEmpty()).flatMap(c -> c.sources().stream()).toList();

        assertThat(sources).contains("pom.xml", "src/", "topology/topics.json", "models/", "config/");
        for (String source : sources) {
            Path path = Path.of(source);
            assertThat(path).as(source).exists();
            if (source.startsWith("models")) {
                continue; // only the models themselves are sent, not their training code: ComposeFileTest checks them
            }
            try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
                // build output is left out: the build stage makes its own
                List<String> sent = files.filter(Files::isRegularFile).map(Path::toString)
                        .filter(f -> !f.contains("/target/")).toList();
                assertThat(sent).as(source).isNotEmpty().noneMatch(ignore::excludes);
            }
        }
    }
}
