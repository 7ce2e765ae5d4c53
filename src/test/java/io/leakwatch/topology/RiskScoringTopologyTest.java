package io.leakwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.AlertIds;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.events.RiskLevel;
import io.leakwatch.events.Severity;
import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureBatch;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.scoring.StubRiskScorer;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventSerde;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RiskStage} on a {@link TopologyTestDriver} with a {@link StubRiskScorer}. The feature stage is not on this
 * branch yet, so a test-only source turns a batch id into the {@link FeatureBatch} the test registered under it.
 */
class RiskScoringTopologyTest {
    private static final BundledSchemaResolver SCHEMAS = new BundledSchemaResolver();
    private static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant DAY3 = Instant.parse("2026-03-03T00:00:00Z");
    private static final Instant DAY4 = Instant.parse("2026-03-04T00:00:00Z");

    private final StubRiskScorer scorer = new StubRiskScorer();
    private final Map<String, FeatureBatch> batches = new ConcurrentHashMap<>();
    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> input;
    private TestOutputTopic<String, byte[]> risks;
    private TestOutputTopic<String, byte[]> alerts;

    @BeforeEach
    void start() throws Exception {
        stateDir = Files.createTempDirectory("risk-topology");
        driver = driver(scorer, batches, stateDir);
        input = driver.createInputTopic("feature-batches", new StringSerializer(), new StringSerializer());
        risks = driver.createOutputTopic("account-risk", new StringDeserializer(), new ByteArrayDeserializer());
        alerts = driver.createOutputTopic("alerts", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldPublishTheScoresOfEveryAccountOfABatchWithOneScorerCall() throws Exception {
        scorer.set("acct-a", 0.45, 0.125, 0.10, "3 failed payments in 90 days");

        batch(DAY1, false, snapshot("acct-a", "1234.56"), snapshot("acct-b", "99.99"));

        assertThat(scorer.calls()).isEqualTo(1);
        List<KeyValue<String, AccountRisk>> out = risks();
        assertThat(out).extracting(kv -> kv.key).containsExactly("acct-a", "acct-b");
        AccountRisk a = out.get(0).value;
        assertThat(a.getScoredAt()).isEqualTo(DAY1);
        assertThat(a.getModelVersions()).containsExactlyElementsOf(StubRiskScorer.VERSIONS);
        assertThat(a.getLeakageProbability()).isEqualTo(0.45);
        assertThat(a.getChurnProbability()).isEqualTo(0.10);
        // 0.125 x 1234.56 = 154.32 (HALF_EVEN to the cent)
        assertThat(a.getExpectedLeakage().getAmount()).isEqualByComparingTo("154.32");
        assertThat(a.getExpectedLeakage().getCurrency()).isEqualTo("USD");
        assertThat(a.getMonthlyRevenue().getAmount()).isEqualByComparingTo("1234.56");
        assertThat(a.getLeakageLevel()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(a.getChurnLevel()).isEqualTo(RiskLevel.LOW);
        assertThat(a.getRiskLevel()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(a.getFactors()).containsExactly("3 failed payments in 90 days");
        assertThat(out.get(1).value.getRiskLevel()).isEqualTo(RiskLevel.LOW);
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldPublishAScoreOnlyWhenItMovedOrTheLastRecordReachedItsMaximumAge() throws Exception {
        // Given acct-a published at Medium on day 1
        scorer.set("acct-a", 0.45, 0.10, 0.10, "3 failed payments in 90 days");
        batch(DAY1, false, snapshot("acct-a", "1000.00"));
        assertThat(risks()).hasSize(1);
        int wantedInFull = scorer.wantedInFull();

        // When the next ticks move its probabilities by less than 0.05 and its revenue by less than 10%
        scorer.set("acct-a", 0.49, 0.10, 0.14, "3 failed payments in 90 days");
        batch(DAY2, false, snapshot("acct-a", "1090.00"));
        scorer.set("acct-a", 0.41, 0.10, 0.06, "3 failed payments in 90 days");
        batch(DAY3, false, snapshot("acct-a", "910.00"));

        // Then it is scored but nothing is published, and an unpublished score gets no amount or factors
        assertThat(scorer.calls()).isEqualTo(3);
        assertThat(risks()).isEmpty();
        assertThat(scorer.wantedInFull()).isEqualTo(wantedInFull);

        // When the leakage probability has drifted 0.05 from the published 0.45, it is published again
        scorer.set("acct-a", 0.50, 0.10, 0.10, "4 failed payments in 90 days");
        batch(DAY4, false, snapshot("acct-a", "1000.00"));
        assertThat(risks()).singleElement().satisfies(kv -> {
            assertThat(kv.value.getLeakageProbability()).isEqualTo(0.50);
            assertThat(kv.value.getFactors()).containsExactly("4 failed payments in 90 days");
        });

        // and its revenue moving 10% publishes it, as do 89 days (the default maximum age) without a record
        batch(DAY4.plus(Duration.ofDays(1)), false, snapshot("acct-a", "1100.00"));
        assertThat(risks()).hasSize(1);
        batch(DAY4.plus(Duration.ofDays(89)), false, snapshot("acct-a", "1100.00"));
        assertThat(risks()).isEmpty();
        batch(DAY4.plus(Duration.ofDays(90)), false, snapshot("acct-a", "1100.00"));
        assertThat(risks()).singleElement().satisfies(kv ->
                assertThat(kv.value.getScoredAt()).isEqualTo(DAY4.plus(Duration.ofDays(90))));
    }

    @Test
    void shouldPublishEveryLevelChangeEvenASmallMoveAcrossAThreshold() throws Exception {
        scorer.set("acct-a", 0.38, 0.10, 0.10);
        batch(DAY1, false, snapshot("acct-a", "1000.00"));
        risks();

        scorer.set("acct-a", 0.40, 0.10, 0.10, "2 failed payments in 90 days");
        batch(DAY2, false, snapshot("acct-a", "1000.00"));

        assertThat(risks()).singleElement().satisfies(kv -> {
            assertThat(kv.value.getLeakageLevel()).isEqualTo(RiskLevel.MEDIUM);
            assertThat(kv.value.getFactors()).containsExactly("2 failed payments in 90 days");
        });
    }

    @Test
    void shouldAlertWhenAnAccountEntersHighLeakageRisk() throws Exception {
        scorer.set("acct-a", 0.82, 0.10, 0.20, "6 failed payments in 90 days", "4 mis-rated invoice lines in 90 days");

        batch(DAY1, false, snapshot("acct-a", "5000.00"));

        Alert alert = onlyAlert();
        assertThat(alert.getType()).isEqualTo(AlertType.HIGH_LEAKAGE_RISK.name());
        assertThat(alert.getAccountId()).isEqualTo("acct-a");
        assertThat(alert.getEvidenceKey()).isEqualTo("2026-03-01");
        assertThat(alert.getAlertId()).isEqualTo(AlertIds.of(AlertType.HIGH_LEAKAGE_RISK, "acct-a", "2026-03-01"));
        assertThat(alert.getAmount()).isEqualByComparingTo("500.00");
        assertThat(alert.getCurrency()).isEqualTo("USD");
        assertThat(alert.getSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.getDetectedAt()).isEqualTo(DAY1);
        assertThat(alert.getEvidence()).containsEntry("probability", "0.8200").containsEntry("model_version", "leakage_risk:v7")
                .containsEntry("amount_model_version", "leakage_amount:v7")
                .containsEntry("factors", "6 failed payments in 90 days; 4 mis-rated invoice lines in 90 days")
                .containsEntry("high_since", "2026-03-01");
        assertThat(alert.getExplanation()).isEqualTo("Our leakage model gives account acct-a a 82% chance of losing revenue to"
                + " billing or payment problems next month, about USD 500.00 (10% of its USD 5,000.00 monthly revenue);"
                + " main reasons: 6 failed payments in 90 days, 4 mis-rated invoice lines in 90 days.");
        assertThat(alert.getRecommendedAction()).contains("Before the next invoice run");
        assertThat(risks()).singleElement().satisfies(kv -> assertThat(kv.value.getLeakageLevel()).isEqualTo(RiskLevel.HIGH));
    }

    @Test
    void shouldAlertChurnRiskWithTheAnnualRevenueAtRisk() throws Exception {
        scorer.set("acct-a", 0.10, 0.0, 0.75, "contract ends in 1 months");

        batch(DAY1, false, snapshot("acct-a", "10000.00"));

        Alert alert = onlyAlert();
        assertThat(alert.getType()).isEqualTo(AlertType.HIGH_CHURN_RISK.name());
        assertThat(alert.getAmount()).isEqualByComparingTo("120000.00");
        assertThat(alert.getSeverity()).as("a prediction is capped at HIGH").isEqualTo(Severity.HIGH);
        assertThat(alert.getExplanation()).isEqualTo("Our churn model gives account acct-a a 75% chance of leaving within"
                + " 3 months, which puts USD 120,000.00 of annual revenue at risk (12 x its USD 10,000.00 monthly revenue);"
                + " main reasons: contract ends in 1 months.");
        assertThat(alert.getEvidence()).containsEntry("model_version", "churn_risk:v7").containsEntry("annual_revenue_at_risk", "120000");
    }

    @Test
    void shouldAlertOncePerCrossingWithHysteresis() throws Exception {
        scorer.set("acct-a", 0.75, 0.05, 0.1);
        batch(DAY1, false, snapshot("acct-a", "1000.00"));
        scorer.set("acct-a", 0.55, 0.05, 0.1); // below enter, above exit: still High, no new alert
        batch(DAY2, false, snapshot("acct-a", "1000.00"));
        scorer.set("acct-a", 0.45, 0.05, 0.1); // below exit: leaves High
        batch(DAY3, false, snapshot("acct-a", "1000.00"));
        scorer.set("acct-a", 0.71, 0.05, 0.1); // a new crossing: a new alert
        batch(DAY4, false, snapshot("acct-a", "1000.00"));

        assertThat(risks()).extracting(kv -> kv.value.getLeakageLevel())
                .containsExactly(RiskLevel.HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.HIGH);
        assertThat(alerts()).extracting(Alert::getEvidenceKey).containsExactly("2026-03-01", "2026-03-04");
    }

    @Test
    void shouldNotEnterHighBetweenTheExitAndEnterThresholds() throws Exception {
        scorer.set("acct-a", 0.65, 0.05, 0.69);

        batch(DAY1, false, snapshot("acct-a", "1000.00"));

        assertThat(risks()).singleElement().satisfies(kv -> assertThat(kv.value.getRiskLevel()).isEqualTo(RiskLevel.MEDIUM));
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldTakeTheHigherLevelOfTheTwoModelsAsTheRiskLevel() throws Exception {
        scorer.set("acct-a", 0.10, 0.0, 0.90);

        batch(DAY1, false, snapshot("acct-a", "1000.00"));

        AccountRisk risk = risks().get(0).value;
        assertThat(risk.getLeakageLevel()).isEqualTo(RiskLevel.LOW);
        assertThat(risk.getChurnLevel()).isEqualTo(RiskLevel.HIGH);
        assertThat(risk.getRiskLevel()).isEqualTo(RiskLevel.HIGH);
    }

    @Test
    void shouldIgnorePeriodEndSnapshots() {
        scorer.set("acct-a", 0.95, 0.5, 0.95);

        batch(DAY1, true, snapshot("acct-a", "1000.00"));

        assertThat(scorer.calls()).isZero();
        assertThat(risks.isEmpty()).isTrue();
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldGiveByteIdenticalOutputsForTheSameBatches() throws Exception {
        List<List<byte[]>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            StubRiskScorer stub = new StubRiskScorer().set("acct-a", 0.82, 0.10, 0.75, "6 failed payments in 90 days");
            Map<String, FeatureBatch> registered = new ConcurrentHashMap<>();
            Path dir = Files.createTempDirectory("risk-topology-run");
            try (TopologyTestDriver d = driver(stub, registered, dir)) {
                TestInputTopic<String, String> in = d.createInputTopic("feature-batches", new StringSerializer(), new StringSerializer());
                registered.put("b1", new FeatureBatch(DAY1, false, List.of(snapshot("acct-a", "777.77"), snapshot("acct-b", "1.00"))));
                in.pipeInput("task-0", "b1", DAY1);
                List<byte[]> bytes = new ArrayList<>();
                d.createOutputTopic("account-risk", new StringDeserializer(), new ByteArrayDeserializer())
                        .readValuesToList().forEach(bytes::add);
                d.createOutputTopic("alerts", new StringDeserializer(), new ByteArrayDeserializer())
                        .readValuesToList().forEach(bytes::add);
                runs.add(bytes);
            }
        }
        assertThat(runs.get(0)).hasSize(4); // two scores, two alerts
        assertThat(runs.get(1)).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(runs.get(0));
    }

    private static TopologyTestDriver driver(StubRiskScorer scorer, Map<String, FeatureBatch> batches, Path stateDir) {
        TopologySettings settings = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, SCHEMAS)
                .withRisk(RiskSettings.off().withScorer(scorer));
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FeatureBatch> featureBatches = builder
                .stream("feature-batches", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(batches::get, Named.as("test-feature-batches"));
        EventSerde<Alert> alertSerde = new EventSerde<>(WireFormat.JSON.codec(EventType.ALERT, SCHEMAS));
        RiskStage.alerts(settings, featureBatches, new AlertFactory(settings.severity()))
                .to("alerts", Produced.with(Serdes.String(), alertSerde));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-scoring-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(builder.build(), props);
    }

    private int batchNo;

    private void batch(Instant asOf, boolean periodEnd, FeatureSnapshot... snapshots) {
        String id = "batch-" + (++batchNo);
        batches.put(id, new FeatureBatch(asOf, periodEnd, List.of(snapshots)));
        input.pipeInput("task-0", id, asOf);
    }

    private static FeatureSnapshot snapshot(String account, String monthlyRevenue) {
        double[] values = new double[Feature.values().length];
        for (Feature f : Feature.values()) {
            values[f.ordinal()] = f.defaultValue();
        }
        return new FeatureSnapshot(account, DAY1, "USD", new BigDecimal(monthlyRevenue), values);
    }

    private List<KeyValue<String, AccountRisk>> risks() throws EventDecodingException {
        EventCodec<AccountRisk> codec = WireFormat.JSON.codec(EventType.ACCOUNT_RISK, SCHEMAS);
        List<KeyValue<String, AccountRisk>> out = new ArrayList<>();
        for (KeyValue<String, byte[]> kv : risks.readKeyValuesToList()) {
            out.add(KeyValue.pair(kv.key, codec.decode(kv.value)));
        }
        return out;
    }

    private List<Alert> alerts() throws EventDecodingException {
        EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, SCHEMAS);
        List<Alert> out = new ArrayList<>();
        for (byte[] bytes : alerts.readValuesToList()) {
            out.add(codec.decode(bytes));
        }
        return out;
    }

    private Alert onlyAlert() throws EventDecodingException {
        List<Alert> all = alerts();
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
