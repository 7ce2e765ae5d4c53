package io.leakwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.ScoringConfig;
import io.leakwatch.app.http.Health;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.config.BadConfigException;
import io.leakwatch.scoring.ModelRegistry;
import io.leakwatch.slack.SlackBridgeConfig;
import io.leakwatch.slack.SlackBridgeKeys;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code docker compose up} needs from docker-compose.yml, checked from the file because no Docker engine runs
 * here: a broker of the clients' version that the host can reach, data that outlives the containers, services that
 * wait for what they need and do not restart forever, risk scoring with the models the image holds, a sample world
 * loaded once, and a Slack bridge that stays off until it has its secret. Paths and settings are followed through
 * the Dockerfile and the config files the services mount, so a test fails when one of them drifts from the others.
 */
class ComposeFileTest {
    private static final String BROKER = "kafka";
    private static final String LOADER = "loader";
    private static final String PROCESSOR = "leakwatch";
    private static final String BRIDGE = "slack-bridge";

    private static ComposeFile compose;
    private static DockerfileStages dockerfile;

    @BeforeAll
    static void readFiles() throws IOException {
        compose = ComposeFile.read(Path.of("docker-compose.yml"));
        dockerfile = DockerfileStages.read(Path.of("Dockerfile"));
    }

    @Test
    void shouldRunTheBrokerOfTheClientsKafkaVersion() throws IOException {
        Matcher version = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).as("kafka.version in pom.xml").isTrue();

        assertThat(compose.service(BROKER).path("image").asText()).isEqualTo("apache/kafka:" + version.group(1));
    }

    @Test
    void shouldPublishTheBrokersHostListenerOnTheLoopbackAtTheAddressItAdvertises() {
        Map<String, String> env = compose.environment(BROKER);
        Map<String, String> listening = listeners(env.get("KAFKA_LISTENERS"));
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        List<String> withProtocol = Arrays.stream(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(","))
                .map(entry -> entry.strip().split(":")[0]).toList();

        String hostListener = advertised.entrySet().stream().filter(e -> e.getValue().startsWith("localhost:"))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no listener advertises localhost"));
        String advertisedPort = port(advertised.get(hostListener));
        String containerPort = port(listening.get(hostListener));

        assertThat(listening.keySet()).containsAll(advertised.keySet());
        assertThat(withProtocol).containsAll(listening.keySet());
        assertThat(texts(compose.service(BROKER).path("ports"))).contains("127.0.0.1:" + advertisedPort + ":" + containerPort);
    }

    @Test
    void shouldPointEveryClientAtTheListenerTheBrokerAdvertisesToOtherContainers() throws IOException {
        String internal = internalAddress();

        for (String service : List.of("topics", PROCESSOR, BRIDGE)) {
            assertThat(properties(configFile(service)).getProperty("bootstrap.servers")).as(service).isEqualTo(internal);
        }
        assertThat(compose.option(LOADER, "--bootstrap-servers")).contains(internal);
        assertThat(texts(compose.service(BROKER).path("healthcheck").path("test"))).contains("localhost:" + port(internal));
    }

    @Test
    void shouldKeepBrokerDataAndStreamsStateInNamedVolumes() throws IOException {
        String logDirs = compose.environment(BROKER).get("KAFKA_LOG_DIRS");
        String stateDir = properties(configFile(PROCESSOR)).getProperty("state.dir");

        assertThat(logDirs).as("KAFKA_LOG_DIRS").isNotBlank().doesNotContain(",");
        assertThat(compose.namedVolumeAt(BROKER, logDirs)).hasValueSatisfying(v -> assertThat(compose.declaredVolumes()).contains(v));
        assertThat(stateDir).as("state.dir").isNotBlank();
        assertThat(compose.namedVolumeAt(PROCESSOR, stateDir)).hasValueSatisfying(v -> assertThat(compose.declaredVolumes()).contains(v));
        // a named volume takes its owner from the image's directory: the unprivileged user must own the state dir
        assertThat(dockerfile.stage(buildTarget(PROCESSOR)).orElseThrow().arguments("RUN"))
                .anySatisfy(run -> assertThat(run).contains("mkdir -p " + stateDir).contains("chown"));
    }

    @Test
    void shouldBoundEveryRestartPolicySoThatAFailingServiceStopsRestarting() {
        for (String service : compose.services()) {
            JsonNode restart = compose.service(service).path("restart");
            if (!restart.isMissingNode()) {
                assertThat(restart.asText()).as(service + " restart").matches("no|on-failure:([1-9]|10)");
            }
            assertThat(compose.service(service).path("deploy").path("restart_policy").isMissingNode()).as(service).isTrue();
        }
    }

    @Test
    void shouldStartEachServiceOnlyWhenWhatItDependsOnIsHealthyOrDone() {
        assertThat(compose.service(BROKER).path("healthcheck").path("test").size()).isGreaterThan(1);

        for (String service : compose.services()) {
            JsonNode dependsOn = compose.service(service).path("depends_on");
            if (dependsOn.isMissingNode()) {
                continue;
            }
            assertThat(dependsOn.isObject()).as(service + ": depends_on as a list only waits for a start").isTrue();
            for (Map.Entry<String, JsonNode> dependency : dependsOn.properties()) {
                JsonNode target = compose.service(dependency.getKey());
                String condition = dependency.getValue().path("condition").asText();
                if (target.has("healthcheck")) {
                    assertThat(condition).as(service + " -> " + dependency.getKey()).isEqualTo("service_healthy");
                } else {
                    assertThat(condition).as(service + " -> " + dependency.getKey()).isEqualTo("service_completed_successfully");
                    assertThat(target.has("restart")).as(dependency.getKey() + " runs once").isFalse();
                }
            }
        }
        assertThat(compose.service(PROCESSOR).path("depends_on").path(BROKER).path("condition").asText()).isEqualTo("service_healthy");
        assertThat(compose.service(LOADER).path("depends_on").path("topics").path("condition").asText())
                .isEqualTo("service_completed_successfully");
    }

    @Test
    void shouldRunTheProductionCommandsFromTheProductionImageAndTheLoaderFromTheToolsImage() {
        for (String service : compose.services()) {
            JsonNode build = compose.service(service).path("build");
            if (build.isMissingNode()) {
                continue;
            }
            String target = buildTarget(service);
            assertThat(dockerfile.stage(target)).as(service + " build target").isPresent();
            String command = compose.command(service).get(0);
            if (command.equals("generate")) {
                assertThat(target).as(service).isEqualTo("tools");
            } else {
                assertThat(command).isIn("run", "topics", "slack-bridge");
                assertThat(target).as(service).isEqualTo(dockerfile.defaultStage().name());
            }
        }
    }

    @Test
    void shouldScoreRiskWithTheModelsTheImageHolds() throws IOException {
        // Given the processor's config, as mounted into its container
        ScoringConfig scoring = LeakwatchConfig.load(configFile(PROCESSOR), name -> null).scoring();
        // and what the production image copies to the models directory
        String modelsInImage = scoring.modelsDir().toString();
        DockerfileStages.Copy models = dockerfile.copies(dockerfile.stage(buildTarget(PROCESSOR)).orElseThrow()).stream()
                .filter(c -> c.destination().equals(modelsInImage)).findFirst()
                .orElseThrow(() -> new AssertionError("the image copies nothing to " + modelsInImage));
        assertThat(models.from()).as("copied from the build context").isEmpty();
        Path source = Path.of(models.sources().get(0));

        // Then scoring is on, at an absolute path, and the copied directory serves a version of every model
        assertThat(scoring.enabled()).isTrue();
        assertThat(scoring.modelsDir()).isAbsolute();
        try (ModelRegistry registry = ModelRegistry.open(source)) {
            assertThat(registry.servedVersions()).containsOnlyKeys("leakage_risk", "leakage_amount", "churn_risk");
        }
        DockerIgnore ignore = DockerIgnore.read(Path.of(".dockerignore"));
        try (var files = Files.walk(source)) {
            List<String> needed = files.filter(Files::isRegularFile).map(Path::toString)
                    .filter(f -> f.endsWith("features.json") || f.matches(".*/v\\d+/(model\\.onnx|card\\.json|parity\\.jsonl)"))
                    .toList();
            assertThat(needed).isNotEmpty().noneMatch(ignore::excludes);
        }
    }

    @Test
    void shouldLoadTheSampleWorldOnceWithTheProcessorsTopicNamesAndWireFormat() throws IOException {
        List<String> command = compose.command(LOADER);

        assertThat(command.get(0)).isEqualTo("generate");
        assertThat(command).contains("--if-topics-empty");
        assertThat(compose.option(LOADER, "--bootstrap-servers")).contains(internalAddress());
        assertThat(compose.option(LOADER, "--out")).hasValueSatisfying(out -> assertThat(out).startsWith("/tmp/"));
        assertThat(configFile(LOADER)).isEqualTo(configFile(PROCESSOR));
        assertThat(compose.service(LOADER).has("restart")).isFalse();
    }

    @Test
    void shouldStartTheSlackBridgeOnlyWhenAskedFor() {
        JsonNode bridge = compose.service(BRIDGE);

        assertThat(bridge.path("profiles").size() > 0 || compose.command(BRIDGE).contains("--dry-run"))
                .as("a profile or --dry-run").isTrue();
        assertThat(compose.environment(BRIDGE)).containsKey("SLACK_WEBHOOK_URL");
        // Compose resolves every variable of the file before it looks at profiles: a required one (${NAME:?...})
        // would stop a plain `docker compose up` that never starts the bridge
        assertThat(compose.text()).doesNotContainPattern("\\$\\{[A-Za-z0-9_]+:?\\?");
    }

    @Test
    void shouldStopTheBridgeWithOneLineNamingTheVariableWhenTheWebhookIsNotSet() throws IOException {
        Path config = configFile(BRIDGE);
        Map<String, String> environment = new LinkedHashMap<>(compose.environment(BRIDGE));

        assertThatThrownBy(() -> SlackBridgeConfig.load(config, environment::get))
                .isInstanceOf(BadConfigException.class).hasMessageContaining("SLACK_WEBHOOK_URL");
        environment.put("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/test");
        assertThat(SlackBridgeConfig.load(config, environment::get).router().defaultRoute()).isPresent();
    }

    @Test
    void shouldProbeTheProcessorsAndTheBridgesReadinessOnThePortTheirConfigServesAndPublishIt() throws IOException {
        int processorPort = LeakwatchConfig.load(configFile(PROCESSOR), name -> null).http().port();
        int bridgePort = Integer.parseInt(properties(configFile(BRIDGE)).getProperty(SlackBridgeKeys.ENDPOINT_PORT));

        for (Map.Entry<String, Integer> service : Map.of(PROCESSOR, processorPort, BRIDGE, bridgePort).entrySet()) {
            String probe = probe(service.getKey());
            assertThat(probe).as(service.getKey()).contains("/dev/tcp/127.0.0.1/" + service.getValue() + " ")
                    .contains("GET " + HttpEndpoint.READY + " ");
            assertThat(texts(compose.service(service.getKey()).path("ports"))).as(service.getKey())
                    .singleElement().asString().startsWith("127.0.0.1:").endsWith(":" + service.getValue());
        }
    }

    @Test
    void shouldPassTheProbeOnlyWhileTheEndpointAnswersReady() throws Exception {
        // Given the endpoint of run, ready and then not
        AtomicBoolean ready = new AtomicBoolean(true);
        Health readiness = () -> ready.get() ? Health.Status.up("RUNNING", Map.of())
                : Health.Status.down("REBALANCING", List.of("rebalancing"), Map.of());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, "test.port", registry,
                () -> Health.Status.up("RUNNING", Map.of()), readiness, List.of())) {
            // When the compose file's probe runs (as Compose gives it to bash: $$ is $), on the endpoint's port
            String probe = probe(PROCESSOR).replace("$$", "$").replace("/dev/tcp/127.0.0.1/8080 ",
                    "/dev/tcp/127.0.0.1/" + endpoint.port() + " ");

            // Then it passes while ready, fails while not, and fails when nothing listens
            assertThat(bash(probe)).isZero();
            ready.set(false);
            assertThat(bash(probe)).isNotZero();
            endpoint.close();
            assertThat(bash(probe)).isNotZero();
        }
    }

    /** The bash script of a service's healthcheck, {@code ["CMD", "bash", "-c", SCRIPT]}. */
    private static String probe(String service) {
        List<String> test = texts(compose.service(service).path("healthcheck").path("test"));
        assertThat(test).as(service + " healthcheck").hasSize(4).startsWith("CMD", "bash", "-c");
        return test.get(3);
    }

    private static int bash(String script) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the probe returns").isTrue();
        return process.exitValue();
    }

    /** The broker's address for the other containers: its listener advertised under its service name. */
    private static String internalAddress() {
        return listeners(compose.environment(BROKER).get("KAFKA_ADVERTISED_LISTENERS")).values().stream()
                .filter(address -> address.startsWith(BROKER + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no listener advertises " + BROKER + ":PORT"));
    }

    /** {@code NAME://host:port,...} as name -> host:port. */
    private static Map<String, String> listeners(String value) {
        Map<String, String> listeners = new LinkedHashMap<>();
        for (String listener : value.split(",")) {
            String[] parts = listener.strip().split("://", 2);
            listeners.put(parts[0], parts[1]);
        }
        return listeners;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static String port(String address) {
        return address.substring(address.lastIndexOf(':') + 1);
    }

    private static String buildTarget(String service) {
        JsonNode build = compose.service(service).path("build");
        return build.path("target").isMissingNode() ? dockerfile.defaultStage().name() : build.path("target").asText();
    }

    /** The host file the service's {@code --config} names inside its container. */
    private static Path configFile(String service) {
        String inContainer = compose.option(service, "--config")
                .orElseThrow(() -> new AssertionError(service + " has no --config"));
        Path file = compose.hostPath(service, inContainer)
                .orElseThrow(() -> new AssertionError(service + ": " + inContainer + " is not bind-mounted"));
        assertThat(file).as(service + " --config").isRegularFile();
        return Path.of("").toAbsolutePath().relativize(file);
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
