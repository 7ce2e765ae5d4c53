package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.labels.LabelledFinding;
import io.leakwatch.broker.EmbeddedKafka;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import io.leakwatch.slack.TestAlerts;
import io.leakwatch.testing.PrintedOutput;
import io.leakwatch.broker.TestTls;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topics.TopicSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The commands that talk to Kafka, run through the CLI entry point against a broker whose client listeners are
 * secured, with nothing but the documented client settings in their config files: SASL_SSL with a SCRAM-SHA-512
 * user, and SSL with a client certificate (mutual TLS). The PLAINTEXT listener of the broker is used only to look
 * at what the commands did. After every test nothing printed — the commands' output, System.out and System.err, and
 * every log line from INFO up — holds a password.
 *
 * <p>Always on the in-process broker, also under {@code -P containers}: the secured listeners, their certificates
 * and SCRAM users are set up by {@link EmbeddedKafka.Builder}, which the container broker has no equivalent of.
 */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecuredClusterIntegrationTest {
    private static final String USER = "leakwatch";
    private static final String PASSWORD = TestTls.randomSecret();
    private static final JsonEventCodec<Alert> ALERTS = new JsonEventCodec<>(EventType.ALERT);

    /** The two listeners a production cluster offers clients. */
    enum Listener { SASL_SSL, MUTUAL_TLS }

    @TempDir
    static Path shared;
    private static TestTls tls;
    private static EmbeddedKafka kafka;
    private static PrintedOutput printed;
    /** Everything the commands of this class printed. */
    private static final ConcurrentLinkedQueue<String> commandOutput = new ConcurrentLinkedQueue<>();
    /** The SCRAM password, the key and trust store password, and every wrong password a test made up. */
    private static final Set<String> secrets = ConcurrentHashMap.newKeySet();

    @TempDir
    Path dir;
    /** Topic names and application id of this test: each test has its own. */
    private String prefix;

    @BeforeAll
    static void startSecuredBroker() {
        printed = PrintedOutput.capture();
        tls = TestTls.create(shared);
        secrets.add(PASSWORD);
        secrets.add(tls.password());
        kafka = EmbeddedKafka.builder()
                .saslSslListener(tls.broker())
                .mtlsListener(tls.broker())
                .scramUser(USER, PASSWORD)
                .start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
        if (printed != null) {
            printed.close();
        }
    }

    @BeforeEach
    void namePrefix() {
        prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void nothingPrintedHoldsAPassword() {
        String everything = printed.text() + "\n" + String.join("\n", commandOutput);
        List<String> holding = everything.lines().filter(line -> secrets.stream().anyMatch(line::contains)).limit(5).toList();
        assertThat(holding).as("printed lines that hold a password").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Listener.class)
    void shouldCreateTheCatalogTopics(Listener listener) throws Exception {
        Result r = leakwatch("topics", "create", "--config", config(listener).toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(existingTopics()).containsAll(catalogTopics());
    }

    @ParameterizedTest
    @EnumSource(Listener.class)
    void shouldCheckTheTopicSettings(Listener listener) throws IOException {
        Path config = config(listener);
        assertThat(leakwatch("topics", "create", "--config", config.toString()).exit()).isZero();

        Result r = leakwatch("topics", "check", "--config", config.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(prefix + "-invoices").contains("0 refusal(s)").contains("'run' would start");
    }

    @ParameterizedTest
    @EnumSource(Listener.class)
    void shouldProduceAGeneratedWorldToTheInputTopics(Listener listener) throws Exception {
        Path config = config(listener);
        assertThat(leakwatch("topics", "create", "--config", config.toString()).exit()).isZero();
        awaitServed(inputTopics());

        Result r = leakwatch("generate", "--accounts", "10", "--months", "2", "--out", dir.resolve("world").toString(),
                "--bootstrap-servers", bootstrap(listener), "--config", config.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        long produced = r.out().lines().filter(l -> l.startsWith("produced "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[1].replace(",", ""))).sum();
        assertThat(produced).isPositive().isEqualTo(recordsIn(inputTopics()));
    }

    @Test
    void shouldRaiseAlertsFromRecordsReadOverSaslSsl() throws Exception {
        Path config = config(Listener.SASL_SSL);
        Path world = dir.resolve("world");
        assertThat(leakwatch("topics", "create", "--config", config.toString()).exit()).isZero();
        awaitServed(inputTopics());
        Result generated = leakwatch("generate", "--accounts", "20", "--months", "3", "--seed", "11",
                "--rate-error-rate", "0.08", "--arithmetic-error-rate", "0.08", "--out", world.toString(),
                "--bootstrap-servers", kafka.saslSslBootstrapServers(), "--config", config.toString());
        assertThat(generated.exit()).as(generated.err()).isZero();
        // the per-line findings: each is judged from the line and the contract in force, whatever else arrives
        Set<String> expected = LabelledFinding.read(world.resolve("labels.jsonl")).stream()
                .filter(l -> l.type().equals("RATE_MISMATCH") || l.type().equals("CHARGE_ARITHMETIC"))
                .map(l -> l.type() + " " + l.evidenceKey()).collect(Collectors.toSet());
        assertThat(expected).isNotEmpty();

        Running run = Running.start("run", "--config", config.toString());
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> alerts = saslSslConsumer(prefix + "-alerts")) {
            await(() -> {
                for (ConsumerRecord<byte[], byte[]> record : alerts.poll(Duration.ofMillis(200))) {
                    seen.add(typeAndEvidence(record.value()));
                }
                return seen.containsAll(expected) || !run.isAlive();
            }, Duration.ofSeconds(45), "alerts for every labelled rate and arithmetic error");
        }
        Result r = run.stop();

        assertThat(seen).as(r.err()).containsAll(expected);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void shouldPrintTheSlackMessagesOfAlertsReadOverSaslSslInDryRun() throws Exception {
        String alertsTopic = prefix + "-alerts";
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(alertsTopic, 2, (short) 1),
                    new NewTopic(prefix + "-slack-delivered", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<Alert> alerts = List.of(TestAlerts.alert(prefix + "-a1", Severity.HIGH, "ACC-1", "1500"),
                TestAlerts.alert(prefix + "-a2", Severity.CRITICAL, "ACC-2", "25000"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Alert a : alerts) {
                producer.send(new ProducerRecord<>(alertsTopic, a.getAccountId().getBytes(StandardCharsets.UTF_8),
                        ALERTS.encode(a))).get();
            }
        }

        Running bridge = Running.start("slack-bridge", "--dry-run", "--config", bridgeConfig(passwordFile(PASSWORD)).toString());
        await(() -> alerts.stream().allMatch(a -> bridge.out().contains(a.getAlertId())) || !bridge.isAlive(),
                Duration.ofSeconds(30), "a message for each alert");
        Result r = bridge.stop();

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"text\":\"HIGH RATE_MISMATCH on ACC-1")
                .contains("\"text\":\"CRITICAL RATE_MISMATCH on ACC-2").contains("slack-bridge stopped:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "topics create", "topics check", "generate", "slack-bridge"})
    void shouldExitThreeWithOneLineWhenThePasswordIsWrong(String command) throws IOException {
        String wrong = TestTls.randomSecret();
        secrets.add(wrong);
        Path config = config(Listener.SASL_SSL, wrong);
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        switch (command) {
            case "generate" -> args.addAll(List.of("--accounts", "2", "--months", "1", "--out", dir.resolve("w").toString(),
                    "--bootstrap-servers", kafka.saslSslBootstrapServers(), "--config", config.toString()));
            case "slack-bridge" -> args.addAll(List.of("--dry-run", "--config", bridgeConfig(passwordFile(wrong)).toString()));
            default -> args.addAll(List.of("--config", config.toString()));
        }
        long t0 = System.nanoTime();

        Result r = leakwatch(args.toArray(String[]::new));

        assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("leakwatch " + command
                + ": authentication failed against " + kafka.saslSslBootstrapServers()
                + ": invalid credentials with SASL mechanism SCRAM-SHA-512 (check the user name and password in sasl.jaas.config)");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no waiting for the 10 s timeout").isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void shouldLogTheClientSettingsWithTheirPasswordsHidden() throws IOException {
        Result r = leakwatch("topics", "check", "--config", config(Listener.SASL_SSL).toString());

        assertThat(r.exit()).as(r.err()).isZero();
        // what the check after each test searches holds the settings every Kafka client logs when it starts
        assertThat(printed.text()).contains("AdminClientConfig values:").contains("sasl.jaas.config = [hidden]")
                .contains("ssl.truststore.password = [hidden]");
    }

    @Test
    void shouldExitThreeWithOneLineWhenTheClientHasNoCertificateForMutualTls() throws IOException {
        Path config = write("no-cert.properties", common(Listener.MUTUAL_TLS) + trustStore());

        Result r = leakwatch("topics", "check", "--config", config.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("leakwatch topics check: authentication failed against "
                + kafka.mtlsBootstrapServers() + ": TLS handshake failed: the broker did not accept this client's"
                + " certificate, or none was sent (ssl.keystore.location)");
    }

    @Test
    void shouldExitTwoWithOneLineWhenTheTrustStoreFileDoesNotExist() throws IOException {
        Path missing = dir.resolve("missing-truststore.p12");
        Path config = write("missing-store.properties", common(Listener.SASL_SSL) + sasl(PASSWORD)
                + "ssl.truststore.type=PKCS12\nssl.truststore.location=" + missing + "\nssl.truststore.password=" + tls.password() + "\n");

        Result r = leakwatch("run", "--config", config.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("leakwatch run: invalid Kafka client settings: NoSuchFileException: " + missing);
    }

    // --- config files: only the documented client settings ---

    private Path config(Listener listener) throws IOException {
        return config(listener, PASSWORD);
    }

    private Path config(Listener listener, String password) throws IOException {
        String security = listener == Listener.SASL_SSL ? sasl(password) + trustStore() : trustStore() + keyStore();
        return write("leakwatch-" + listener + ".properties", common(listener) + security);
    }

    private String common(Listener listener) {
        StringBuilder text = new StringBuilder()
                .append("bootstrap.servers=").append(bootstrap(listener)).append('\n')
                .append("security.protocol=").append(listener == Listener.SASL_SSL ? "SASL_SSL" : "SSL").append('\n')
                .append("application.id=").append(prefix).append('\n')
                .append("state.dir=").append(dir.resolve("state")).append('\n')
                // risk scoring is not what this test is about, and loading the models costs a second of CPU
                .append("leakwatch.scoring.enabled=false\n")
                // metrics and health on a free port: other tests may run a processor on this host
                .append("leakwatch.http.port=0\n");
        for (TopicSpec topic : TopicCatalog.bundled().all()) {
            text.append("leakwatch.topic.").append(topic.role()).append('=').append(prefix).append('-').append(topic.role()).append('\n');
        }
        return text.toString();
    }

    private static String sasl(String password) {
        return "sasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";\n";
    }

    private static String trustStore() {
        return "ssl.truststore.type=PKCS12\nssl.truststore.location=" + tls.clientTrustStore()
                + "\nssl.truststore.password=" + tls.password() + "\n";
    }

    private static String keyStore() {
        return "ssl.keystore.type=PKCS12\nssl.keystore.location=" + tls.clientKeyStore()
                + "\nssl.keystore.password=" + tls.password() + "\nssl.key.password=" + tls.password() + "\n";
    }

    /** The bridge's config, its Kafka password read from a file as docs/slack.md suggests for secrets. */
    private Path bridgeConfig(Path passwordFile) throws IOException {
        return write("slack-bridge.properties", "bootstrap.servers=" + kafka.saslSslBootstrapServers() + "\n"
                + "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"${file:" + passwordFile + "}\";\n"
                + trustStore()
                + "group.id=" + prefix + "-bridge\n"
                + "slack.alerts.topic=" + prefix + "-alerts\n"
                + "slack.delivered.topic=" + prefix + "-slack-delivered\n"
                + "slack.dead-letter.topic=" + prefix + "-slack-dead-letter\n"
                + "slack.default.webhook=https://hooks.slack.invalid/services/T000/B000/dry-run\n"
                + "slack.endpoint.port=0\n");
    }

    private Path passwordFile(String password) throws IOException {
        return write("kafka-password", password + "\n");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String bootstrap(Listener listener) {
        return listener == Listener.SASL_SSL ? kafka.saslSslBootstrapServers() : kafka.mtlsBootstrapServers();
    }

    // --- looking at the cluster: over PLAINTEXT, or as the SCRAM user ---

    private List<String> catalogTopics() {
        return TopicCatalog.bundled().all().stream().map(t -> prefix + "-" + t.role()).toList();
    }

    private List<String> inputTopics() {
        return List.of("contracts", "invoices", "usage", "payments", "provisioning").stream().map(r -> prefix + "-" + r).toList();
    }

    private static Set<String> existingTopics() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static long recordsIn(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                    .values().stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
        }
    }

    /**
     * Waits until the broker serves every partition of the topics just created. An idempotent producer whose first
     * request reaches a partition before the broker has applied its creation is answered NOT_LEADER_OR_FOLLOWER, and
     * when its next request, with later sequence numbers, arrives after, the broker takes that one first and refuses
     * the retried first batch as out of order until the delivery timeout: the records are lost.
     */
    private static void awaitServed(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                    .values().stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    // answered by the partition's leader only once the broker has the partition
                    admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> saslSslConsumer(String topic) throws IOException {
        Properties props = new Properties();
        try (var reader = Files.newBufferedReader(config(Listener.SASL_SSL))) {
            props.load(reader);
        }
        props.keySet().removeIf(k -> k.toString().startsWith("leakwatch.") || k.toString().equals("application.id")
                || k.toString().equals("state.dir"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static String typeAndEvidence(byte[] alertJson) {
        try {
            Alert alert = ALERTS.decode(alertJson);
            return alert.getType() + " " + alert.getEvidenceKey();
        } catch (EventDecodingException e) {
            throw new AssertionError("an alert that does not decode: " + new String(alertJson, StandardCharsets.UTF_8), e);
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    // --- running the CLI in-process, as LeakwatchCommandTest does ---

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Result leakwatch(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LeakwatchTools.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return recorded(new Result(exit, out.toString(), err.toString()));
    }

    private static Result recorded(Result r) {
        commandOutput.add(r.out());
        commandOutput.add(r.err());
        return r;
    }

    /** A command that runs until stopped, on a thread of its own; interrupting the thread stops it as SIGTERM would. */
    static final class Running {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final AtomicReference<Integer> exit = new AtomicReference<>();
        private final Thread thread;

        private Running(String... args) {
            CommandLine cli = LeakwatchTools.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exit.set(cli.execute(args)), "leakwatch-" + args[0]);
        }

        static Running start(String... args) {
            Running running = new Running(args);
            running.thread.start();
            return running;
        }

        String out() {
            return out.toString();
        }

        boolean isAlive() {
            return thread.isAlive();
        }

        Result stop() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(40));
            assertThat(thread.isAlive()).as("the command stopped").isFalse();
            return recorded(new Result(exit.get(), out.toString(), err.toString()));
        }
    }
}
