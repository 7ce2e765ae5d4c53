package io.leakwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.deploy.DockerfileStages.Copy;
import io.leakwatch.deploy.DockerfileStages.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The jar layout the production image copies (src/app/target/leakwatch-app.jar and lib/), as {@code package} made
 * it: a failsafe test, so that it runs after the jar is packaged. Every jar the manifest names is in lib/, none of
 * them is the broker, a test library or the tools, and the jar runs in a JVM of its own with nothing but lib/.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ImageLayoutIntegrationTest {
    private static final Path APP_JAR = Path.of("src/app/target/leakwatch-app.jar");
    private static final Path LIB = Path.of("src/app/target/lib");

    private static Manifest manifest;

    @BeforeAll
    static void readManifest() throws IOException {
        try (JarFile jar = new JarFile(APP_JAR.toFile())) {
            manifest = jar.getManifest();
        }
    }

    private static List<String> classPath() {
        return Arrays.stream(manifest.getMainAttributes().getValue("Class-Path").split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void shouldFindWhatTheProductionStageCopiesFromTheBuildStageWhereTheBuildPutsIt() throws IOException {
        DockerfileStages dockerfile = DockerfileStages.read(Path.of("Dockerfile"));
        Stage production = dockerfile.defaultStage();
        List<Copy> fromBuild = dockerfile.copies(production).stream().filter(c -> c.from().isPresent()).toList();

        assertThat(fromBuild).isNotEmpty().allSatisfy(copy -> {
            String buildDir = dockerfile.stage(copy.from().get()).orElseThrow().workdir() + "/";
            for (String source : copy.sources()) {
                assertThat(source).startsWith(buildDir);
                assertThat(Path.of(source.substring(buildDir.length()))).as(source).exists();
            }
        });
    }

    @Test
    void shouldFindEveryJarOfTheManifestClassPathInLib() throws IOException {
        assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo("io.leakwatch.cli.LeakwatchCommand");
        assertThat(classPath()).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry).startsWith("lib/");
            assertThat(APP_JAR.resolveSibling(entry)).as(entry).isRegularFile();
        });
    }

    @Test
    void shouldShipNoBrokerTestOrToolsJars() throws IOException {
        List<String> lib;
        try (Stream<Path> files = Files.list(LIB)) {
            lib = files.map(f -> f.getFileName().toString()).toList();
        }

        for (List<String> jars : List.of(lib, classPath().stream().map(e -> e.substring("lib/".length())).toList())) {
            assertThat(jars).isNotEmpty()
                    .noneMatch(jar -> jar.startsWith("kafka") && !jar.matches("kafka-(clients|streams)-\\d.*"))
                    .noneMatch(jar -> jar.matches("(leakwatch-(tools|broker)|jfreechart|junit|assertj|archunit"
                            + "|jackson-dataformat-yaml|snakeyaml|scala-library).*"))
                    .noneMatch(jar -> jar.contains("-tests.jar"));
        }
    }

    @Test
    void shouldRunTheProductionJarWithNothingButItsLib() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", APP_JAR.toString(), "topics", "list",
                "--config", "config/compose/leakwatch.properties").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines().map(line -> line.split("\\s+")[0]))
                .contains("contracts", "invoices", "usage", "payments", "provisioning", "alerts", "dead-letter");
    }
}
