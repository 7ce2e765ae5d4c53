package io.leakwatch.topology;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.payment;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.PaymentStatus;
import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.features.FeatureSnapshotJson;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.TopologyHarness;
import io.leakwatch.topics.TopicCatalog;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

class FeatureStageTest {

    private static TopologyHarness withPeriodEndSnapshots() {
        return new TopologyHarness(s -> s.withRisk(RiskSettings.off().withPeriodEndSnapshots(true)));
    }

    private static TestOutputTopic<String, String> snapshotsOf(TopologyHarness h) {
        return h.driver().createOutputTopic(TopicCatalog.ACCOUNT_FEATURES, new StringDeserializer(), new StringDeserializer());
    }

    private static List<FeatureSnapshot> read(TestOutputTopic<String, String> topic) {
        return topic.readKeyValuesToList().stream().map(kv -> {
            FeatureSnapshot s = FeatureSnapshotJson.fromJson(kv.value);
            assertThat(kv.key).isEqualTo(s.accountId());
            return s;
        }).toList();
    }

    @Test
    void shouldNotBuildTheFeatureStageByDefault() {
        Topology topology = LeakwatchTopology.build(TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver()));
        assertThat(topology.describe().toString()).doesNotContain("account-features");
    }

    @Test
    void shouldBuildTheRiskSinkWithoutTheSnapshotTopicWhenOnlyAScorerIsSet() {
        TopologySettings defaults = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver());
        String scoringOnly = LeakwatchTopology.build(defaults.withRisk(RiskSettings.off()
                .withScorer((snapshots, explain) -> List.of()))).describe().toString();
        assertThat(scoringOnly).contains("account-risk-sink").doesNotContain("account-features-sink");
        String both = LeakwatchTopology.build(defaults.withRisk(RiskSettings.off().withScorer((snapshots, explain) -> List.of())
                .withPeriodEndSnapshots(true))).describe().toString();
        assertThat(both).contains("account-features-sink").contains("account-risk-sink");
    }

    @Test
    void shouldSnapshotEveryActiveAccountAtTheMonthBoundaryBeforeApplyingTheRecordThatCrossesIt() {
        try (TopologyHarness h = withPeriodEndSnapshots()) {
            TestOutputTopic<String, String> out = snapshotsOf(h);
            h.contract(contract("a1", 1, "2023-12-20T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null)));
            h.contract(contract("a2", 1, "2023-12-21T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z",
                    "2024-02-01T00:00:00Z")));
            h.payment(payment("a1", "p1", "i1", "10", "USD", PaymentStatus.FAILED, "2024-01-31T23:59:59.999Z"));
            // the first boundary after the first record is 2024-01-01: both contracts are in force then
            assertThat(read(out)).extracting(FeatureSnapshot::accountId).containsExactly("a1", "a2");
            // Given stream time in January, when a failed payment exactly at the February boundary arrives
            h.payment(payment("a1", "p2", "i1", "10", "USD", PaymentStatus.FAILED, "2024-02-01T00:00:00Z"));
            // Then a1 is snapshot as of 2024-02-01 with only the January failure, and a2 (ended) is not
            List<FeatureSnapshot> feb = read(out);
            assertThat(feb).extracting(FeatureSnapshot::accountId).containsExactly("a1");
            assertThat(feb.get(0).asOf()).isEqualTo(at("2024-02-01T00:00:00Z"));
            assertThat(feb.get(0).value(Feature.PAYMENT_FAILURES_90D)).isEqualTo(1);
            assertThat(feb.get(0).currency()).isEqualTo("USD");
        }
    }

    @Test
    void shouldSnapshotEachMonthBoundaryCrossedByOneRecord() {
        try (TopologyHarness h = withPeriodEndSnapshots()) {
            TestOutputTopic<String, String> out = snapshotsOf(h);
            h.contract(contract("a1", 1, "2023-12-20T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null)));
            h.advanceStreamTimeTo(at("2024-04-15T00:00:00Z"));
            assertThat(read(out)).extracting(s -> s.asOf().toString())
                    .containsExactly("2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z",
                            "2024-04-01T00:00:00Z");
        }
    }

    @Test
    void shouldApplyALateRecordWithoutRevisingTheSnapshotAlreadySent() {
        try (TopologyHarness h = withPeriodEndSnapshots()) {
            TestOutputTopic<String, String> out = snapshotsOf(h);
            h.contract(contract("a1", 1, "2023-12-20T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null)));
            h.advanceStreamTimeTo(at("2024-02-02T00:00:00Z"));
            assertThat(read(out)).hasSize(2);   // 2024-01-01, 2024-02-01
            // a failure of January arrives late (within the ingest lateness): no new or revised February snapshot
            h.payment(payment("a1", "p1", "i1", "10", "USD", PaymentStatus.FAILED, "2024-01-30T00:00:00Z"));
            assertThat(read(out)).isEmpty();
            // but it counts from the next boundary on
            h.advanceStreamTimeTo(at("2024-03-01T00:00:00Z"));
            List<FeatureSnapshot> march = read(out);
            assertThat(march).hasSize(1);
            assertThat(march.get(0).value(Feature.PAYMENT_FAILURES_90D)).isEqualTo(1);
        }
    }

    @Test
    void shouldFeedTheAccountsOwnFindingsIntoItsFeatures() {
        try (TopologyHarness h = withPeriodEndSnapshots()) {
            TestOutputTopic<String, String> out = snapshotsOf(h);
            h.contract(contract("a1", 1, "2023-12-20T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null)));
            // billed at 12 instead of 10: RATE_MISMATCH detected at issue time
            h.invoice(line("a1", "inv-1", "L1", "seats", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "1", "12",
                    "12", "USD", "2024-02-01T06:00:00Z"));
            h.advanceStreamTimeTo(at("2024-03-01T00:00:00Z"));
            List<FeatureSnapshot> snapshots = read(out);
            FeatureSnapshot march = snapshots.get(snapshots.size() - 1);
            assertThat(march.asOf()).isEqualTo(at("2024-03-01T00:00:00Z"));
            assertThat(march.value(Feature.RATE_MISMATCH_COUNT_90D)).isEqualTo(1);
            assertThat(march.monthlyRevenue()).isEqualByComparingTo("12.00");
        }
    }
}
