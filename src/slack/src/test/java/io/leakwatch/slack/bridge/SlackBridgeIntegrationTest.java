package io.leakwatch.slack.bridge;

import static io.leakwatch.slack.TestAlerts.alert;
import static io.leakwatch.slack.TestAlerts.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import io.leakwatch.slack.FakeSlack.Reply;
import io.leakwatch.slack.FakeSlack;
import io.leakwatch.slack.SdkSlackSender;
import io.leakwatch.slack.SlackBridgeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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

/**
 * The bridge against a real in-process broker and a loopback stand-in for Slack. Each test has its own topics
 * and consumer group. Rate limits are raised (50/s) so the suite stays fast; the 1/s default is pinned by
 * RateLimiterTest.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlackBridgeIntegrationTest {
    private static final Map<String, String> ENV = Map.of("SLACK_BOT_TOKEN", "xoxb-test-token");
    private static TestBroker kafka;
    private static final JsonEventCodec<Alert> CODEC = new JsonEventCodec<>(EventType.ALERT);

    private FakeSlack slack;
    private String suffix;
    private final List<SlackBridge> bridges = new ArrayList<>();
    /** The first exception a bridge thread died of: waiting on a dead bridge fails at once, with the cause. */
    private static final AtomicReference<Throwable> bridgeDied = new AtomicReference<>();

    @BeforeAll
    static void startBroker() {
        kafka = TestBrokers.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        slack = new FakeSlack();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        bridgeDied.set(null);
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(alertsTopic(), 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void tearDown() {
        bridges.forEach(b -> b.stop(Duration.ofSeconds(20)));
        slack.close();
    }

    @Test
    void shouldDeliverEveryAlertExactlyOnceToItsRoute() throws Exception {
        Properties props = baseConfig("g1");
        props.setProperty("slack.routes", "ops");
        props.setProperty("slack.route.ops.channel", "#revenue-ops");
        props.setProperty("slack.route.ops.min-severity", "HIGH");
        props.setProperty("slack.default.webhook", slack.webhook("default"));
        List<Alert> alerts = List.of(
                alert("a1", Severity.HIGH, "ACC-1", "1500"), alert("a2", Severity.LOW, "ACC-2", "10"),
                alert("a3", Severity.CRITICAL, "ACC-3", "25000"), alert("a4", Severity.LOW, "ACC-1", "20"),
                alert("a5", Severity.HIGH, "ACC-2", "3000"), alert("a6", Severity.MEDIUM, "ACC-3", "500"));
        produce(alerts);

        SlackBridge bridge = start(props);
        await(() -> slack.accepted(null).size() >= 6, "six alerts posted");
        await(() -> committed("g1") == 6, "offsets committed to the end");
        Thread.sleep(500);

        for (Alert a : alerts) {
            assertThat(slack.accepted(null).stream().filter(r -> text(r).contains("`" + a.getAlertId() + "`")))
                    .as("messages for " + a.getAlertId()).hasSize(1);
        }
        assertThat(slack.accepted("/api/chat.postMessage")).hasSize(3)
                .allSatisfy(r -> assertThat(r.form()).containsEntry("channel", "#revenue-ops"));
        assertThat(slack.accepted("/hooks/default")).hasSize(3);
        assertThat(slack.requests()).hasSize(6);
        assertThat(bridge.stats().alertsDelivered()).isEqualTo(6);
    }

    @Test
    void shouldWaitForRetryAfterWhenSlackAnswers429() throws Exception {
        Properties props = baseConfig("g2");
        props.setProperty("slack.default.webhook", slack.webhook("default"));
        slack.script("/hooks/default", Reply.retryAfter(1));
        produce(List.of(alert("b1", Severity.HIGH, "ACC-1", "1500")));

        start(props);
        await(() -> slack.accepted(null).size() == 1, "alert posted after the 429");

        List<FakeSlack.Request> requests = slack.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).answered()).isEqualTo(429);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void shouldRetryServerErrorsWithBackoffAndPostOnce() throws Exception {
        Properties props = baseConfig("g3");
        props.setProperty("slack.default.webhook", slack.webhook("default"));
        slack.script("/hooks/default", Reply.status(500, "internal_error"), Reply.status(503, "unavailable"));
        produce(List.of(alert("c1", Severity.HIGH, "ACC-1", "1500")));

        SlackBridge bridge = start(props);
        await(() -> slack.accepted(null).size() == 1, "alert posted after two 5xx");
        await(() -> committed("g3") == 1, "offset committed");

        assertThat(slack.requests()).extracting(FakeSlack.Request::answered).containsExactly(500, 503, 200);
        assertThat(bridge.stats().deadLettered()).isZero();
    }

    @Test
    void shouldCountPostsAndRetriesInItsMetersAndBeReadyWhilePolling() throws Exception {
        Properties props = baseConfig("g3m");
        props.setProperty("slack.default.webhook", slack.webhook("default"));
        slack.script("/hooks/default", Reply.status(500, "internal_error"), Reply.retryAfter(1));
        produce(List.of(alert("m1", Severity.HIGH, "ACC-1", "1500")));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

        SlackBridge bridge = start(props, registry);
        await(() -> slack.accepted(null).size() == 1, "alert posted after a 500 and a 429");
        await(() -> committed("g3m") == 1, "offset committed");

        assertThat(registry.get(BridgeMeters.RETRIES).tag("cause", "transient").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(BridgeMeters.RETRIES).tag("cause", "rate_limited").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(BridgeMeters.MESSAGES).tag("kind", "alert").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(BridgeMeters.DELIVERED).functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(BridgeMeters.DEAD_LETTERS).functionCounter().count()).isZero();
        assertThat(registry.get(BridgeMeters.PENDING).gauge().value()).isZero();
        assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total").functionCounters()).isNotEmpty();
        SlackBridge.Status status = bridge.status();
        assertThat(status.running()).isTrue();
        assertThat(status.joined()).isTrue();
        assertThat(status.notReady(java.time.Instant.now(), Duration.ofMinutes(1))).isEmpty();
        assertThat(status.notReady(status.lastPoll().plus(Duration.ofMinutes(2)), Duration.ofMinutes(1)))
                .singleElement().asString().startsWith("no poll for 120s");
    }

    @Test
    void shouldNeverPostAnAlertTwiceAcrossRestarts() throws Exception {
        Properties props = baseConfig("g4");
        props.setProperty("slack.default.webhook", slack.webhook("default"));
        List<Alert> first = List.of(alert("d1", Severity.HIGH, "ACC-1", "100"), alert("d2", Severity.HIGH, "ACC-2", "200"),
                alert("d3", Severity.HIGH, "ACC-3", "300"));
        produce(first);
        SlackBridge one = start(props);
        await(() -> slack.accepted(null).size() == 3, "first three posted");
        assertThat(one.stop(Duration.ofSeconds(20))).isTrue();

        // Given a replay re-emits the first three and three new alerts arrive while the bridge is down
        produce(first);
        produce(List.of(alert("d4", Severity.HIGH, "ACC-1", "400"), alert("d5", Severity.HIGH, "ACC-2", "500"),
                alert("d6", Severity.HIGH, "ACC-3", "600")));
        start(props);
        await(() -> committed("g4") == 9, "restarted bridge read everything");
        // and a bridge whose offsets were lost (crash before commit) rereads the whole topic
        Properties lostOffsets = (Properties) props.clone();
        lostOffsets.setProperty("group.id", "g4-lost");
        SlackBridge third = start(lostOffsets);
        await(() -> committed("g4-lost") == 9, "bridge without offsets read everything");

        assertThat(slack.accepted(null)).hasSize(6);
        for (String id : List.of("d1", "d2", "d3", "d4", "d5", "d6")) {
            assertThat(slack.accepted(null).stream().filter(r -> text(r).contains("`" + id + "`"))).as(id).hasSize(1);
        }
        assertThat(third.stats().duplicates()).isEqualTo(9);
    }

    @Test
    void shouldCollapseAStormIntoOneDigest() throws Exception {
        Properties props = baseConfig("g5");
        props.setProperty("slack.default.webhook", slack.webhook("default"));
        props.setProperty("slack.storm.threshold", "3");
        props.setProperty("slack.storm.window", "2s");
        List<Alert> storm = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            storm.add(alert("e" + i, Severity.HIGH, "ACC-" + (i % 2), "100.25"));
        }
        produce(storm);

        SlackBridge bridge = start(props);
        await(() -> committed("g5") == 8, "every storm alert settled");

        List<FakeSlack.Request> posted = slack.accepted(null);
        List<FakeSlack.Request> digests = posted.stream().filter(r -> text(r).contains("Alert storm")).toList();
        assertThat(digests).hasSize(1);
        assertThat(posted.size()).isLessThanOrEqualTo(4);
        for (Alert a : storm) {
            assertThat(posted.stream().filter(r -> text(r).contains("`" + a.getAlertId() + "`"))).as(a.getAlertId()).hasSize(1);
        }
        long inDigest = storm.stream().filter(a -> text(digests.get(0)).contains("`" + a.getAlertId() + "`")).count();
        assertThat(text(digests.get(0))).contains("Alert storm: " + inDigest + " alerts")
                .contains("USD " + String.format("%,.2f", 100.25 * inDigest));
        assertThat(bridge.stats().digests()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterA404RouteWithoutStallingOtherChannels() throws Exception {
        Properties props = baseConfig("g6");
        props.setProperty("slack.routes", "gone");
        props.setProperty("slack.route.gone.webhook", slack.webhook("gone"));
        props.setProperty("slack.route.gone.accounts", "ACC-GONE");
        props.setProperty("slack.default.webhook", slack.webhook("default"));
        slack.always("/hooks/gone", Reply.status(404, "no_service"));
        produce(List.of(alert("f1", Severity.HIGH, "ACC-GONE", "100"), alert("f2", Severity.HIGH, "ACC-OK", "100"),
                alert("f3", Severity.HIGH, "ACC-GONE", "100"), alert("f4", Severity.HIGH, "ACC-OK", "100"),
                alert("f5", Severity.HIGH, "ACC-GONE", "100"), alert("f6", Severity.HIGH, "ACC-OK", "100")));

        start(props);
        await(() -> slack.accepted("/hooks/default").size() == 3, "the healthy channel got its three alerts");
        List<ConsumerRecord<byte[], byte[]>> dead = readAll("dlq-" + suffix, 3);
        await(() -> committed("g6") == 6, "both channels settled");

        assertThat(dead).hasSize(3).allSatisfy(r -> {
            assertThat(header(r, "leakwatch.dlq.reason")).contains("404").contains("no_service")
                    .doesNotContain(slack.webhook("gone"));
            assertThat(header(r, "leakwatch.dlq.route")).isEqualTo("gone");
            assertThat(header(r, "leakwatch.dlq.source.topic")).isEqualTo(alertsTopic());
            assertThat(CODEC.decode(r.value()).getAccountId()).isEqualTo("ACC-GONE");
        });
    }

    @Test
    void shouldEditTheOriginalMessageWhenAnAlertIsWithdrawnAndNeverAgainAfterARestart() throws Exception {
        // Given an alert posted with the bot token
        Properties props = baseConfig("g7");
        props.setProperty("slack.default.channel", "#revenue-ops");
        Alert critical = alert("w1", Severity.CRITICAL, "ACC-1", "25000");
        Alert withdrawal = withdrawn(critical, 2, "Contract ctr-acct-00165 v2, signed 2024-04-23, reached us after the "
                + "line was checked; the line matches v2's rate of 51.198.");
        produce(List.of(critical));
        SlackBridge one = start(props);
        await(() -> slack.accepted(FakeSlack.POST).size() == 1, "the alert posted");
        String ts = slack.accepted(FakeSlack.POST).get(0).response().replaceAll(".*\"ts\":\"([^\"]+)\".*", "$1");

        // When it is withdrawn
        produce(List.of(withdrawal));
        await(() -> slack.accepted(FakeSlack.UPDATE).size() == 1, "the message edited");
        await(() -> committed("g7") == 2, "both records committed");
        assertThat(one.stop(Duration.ofSeconds(20))).isTrue();

        // and a replay emits both records again, read by a bridge that lost its offsets too
        produce(List.of(critical, withdrawal));
        start(props);
        await(() -> committed("g7") == 4, "restarted bridge read everything");
        Properties lostOffsets = (Properties) props.clone();
        lostOffsets.setProperty("group.id", "g7-lost");
        SlackBridge third = start(lostOffsets);
        await(() -> committed("g7-lost") == 4, "bridge without offsets read everything");

        // Then Slack saw one post and one chat.update of that message, struck through with the reason
        assertThat(slack.requests()).extracting(FakeSlack.Request::path).containsExactly(FakeSlack.POST, FakeSlack.UPDATE);
        FakeSlack.Request update = slack.accepted(FakeSlack.UPDATE).get(0);
        assertThat(update.form()).containsEntry("channel", "C-REVENUE-OPS").containsEntry("ts", ts);
        assertThat(update.form().get("blocks")).contains("Withdrawn", "~:red_circle: CRITICAL · RATE_MISMATCH~", "ctr-acct-00165 v2");
        assertThat(third.stats().duplicates()).isEqualTo(4);
        List<ConsumerRecord<byte[], byte[]>> delivered = readAll("delivered-" + suffix, 2);
        assertThat(new String(delivered.get(delivered.size() - 1).value(), StandardCharsets.UTF_8))
                .contains("\"revision\":2", "\"status\":\"WITHDRAWN\"", "\"channel\":\"C-REVENUE-OPS\"", "\"ts\":\"" + ts + "\"");
    }

    @Test
    void shouldFollowUpAWithdrawalOfAnAlertRecordedInThePreviousFormat() throws Exception {
        // Given slack-delivered holds the note the bridge wrote before alerts had revisions (no ts)
        Properties props = baseConfig("g8");
        props.setProperty("slack.default.channel", "#revenue-ops");
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("delivered-" + suffix, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("delivered-" + suffix, "old1".getBytes(StandardCharsets.UTF_8),
                    "{\"destination\":\"channel:#revenue-ops\",\"delivered_at\":\"2025-06-01T10:00:00Z\"}"
                            .getBytes(StandardCharsets.UTF_8))).get();
        }
        Alert old = alert("old1", Severity.HIGH, "ACC-1", "1500");

        // When the alert is read again (a replay) and then withdrawn
        produce(List.of(old, withdrawn(old, 2, "The credit note CN-7 covers this line.")));
        SlackBridge bridge = start(props);
        await(() -> committed("g8") == 2, "both records settled");

        // Then it is not posted again, and the withdrawal is a follow-up, since there is no message to edit
        assertThat(slack.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo(FakeSlack.POST);
            assertThat(text(r)).contains("Withdrawn:", "The credit note CN-7 covers this line.", "alert `old1`");
        });
        assertThat(bridge.stats().duplicates()).isEqualTo(1);
        assertThat(bridge.stats().followUps()).isEqualTo(1);
    }

    @Test
    void shouldPrintWithoutCreatingOrWaitingForTheDeliveredTopicInADryRunOnAFreshCluster() throws Exception {
        // Given a cluster where the bridge never ran: no delivered or dead-letter topic
        Properties props = baseConfig("g9");
        props.setProperty("slack.default.channel", "#revenue-ops");
        produce(List.of(alert("dry1", Severity.HIGH, "ACC-1", "1500")));

        // When the bridge starts with --dry-run
        java.io.StringWriter printed = new java.io.StringWriter();
        SlackBridgeConfig config = SlackBridgeConfig.parse(props, new SecretResolver(ENV::get));
        SlackBridge bridge = new SlackBridge(config, new io.leakwatch.slack.DryRunSender(new java.io.PrintWriter(printed, true),
                config.redactor()), true, InstantSource.system());
        bridges.add(bridge);
        Thread t = new Thread(bridge::run, "slack-bridge-dry-run");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> bridgeDied.compareAndSet(null, e));
        t.start();

        // Then the message is printed (the missing delivered topic means nothing was delivered yet, not an error),
        // nothing is sent, and no topic is created
        await(() -> printed.toString().contains("dry1"), "the dry run printed the alert's message");
        assertThat(slack.requests()).isEmpty();
        bridge.stop(Duration.ofSeconds(20));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .doesNotContain("delivered-" + suffix, "dlq-" + suffix);
        }
        assertThat(committed("g9")).as("nothing committed").isLessThanOrEqualTo(0);
    }

    // --- helpers ---

    private String alertsTopic() {
        return "alerts-" + suffix;
    }

    private Properties baseConfig(String group) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        p.setProperty("group.id", group);
        p.setProperty("slack.alerts.topic", alertsTopic());
        p.setProperty("slack.delivered.topic", "delivered-" + suffix);
        p.setProperty("slack.dead-letter.topic", "dlq-" + suffix);
        p.setProperty("slack.api-url", slack.apiUrl());
        p.setProperty("slack.bot-token", "${env:SLACK_BOT_TOKEN}");
        p.setProperty("slack.link-template", "https://billing.example.com/accounts/{account_id}/invoices/{invoice_id}");
        p.setProperty("slack.rate.per-second", "50");
        p.setProperty("slack.rate.burst", "5");
        p.setProperty("slack.retry.initial-backoff", "200ms");
        p.setProperty("slack.retry.max-backoff", "1s");
        p.setProperty("slack.retry.max-attempts", "5");
        return p;
    }

    private SlackBridge start(Properties props) {
        return start(props, null);
    }

    private SlackBridge start(Properties props, io.micrometer.core.instrument.MeterRegistry registry) {
        SlackBridgeConfig config = SlackBridgeConfig.parse(props, new SecretResolver(ENV::get));
        SdkSlackSender sender = new SdkSlackSender(config.apiUrl(), config.botToken(), config.redactor(), Duration.ofSeconds(5));
        SlackBridge bridge = new SlackBridge(config, sender, false, InstantSource.system());
        if (registry != null) {
            bridge.bindMetrics(registry);
        }
        bridges.add(bridge);
        Thread t = new Thread(bridge::run, "slack-bridge-" + config.groupId());
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> bridgeDied.compareAndSet(null, e));
        t.start();
        return bridge;
    }

    private void produce(List<Alert> alerts) throws Exception {
        Properties p = kafka.clientProperties();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Alert a : alerts) {
                producer.send(new ProducerRecord<>(alertsTopic(), a.getAccountId().getBytes(StandardCharsets.UTF_8),
                        CODEC.encode(a))).get();
            }
        }
    }

    /** Sum of the group's committed offsets on the alerts topic. */
    private long committed(String group) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(alertsTopic()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties p = kafka.clientProperties();
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("group.id", "reader-" + suffix);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return Optional.ofNullable(r.headers().lastHeader(name)).map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }

    private static String text(FakeSlack.Request r) {
        return r.path().startsWith("/api/") ? r.form().getOrDefault("blocks", "") + r.form().getOrDefault("text", "") : r.body();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (bridgeDied.get() != null) {
                throw new AssertionError("the bridge stopped while waiting until " + what, bridgeDied.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
