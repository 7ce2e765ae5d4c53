package io.leakwatch.topology;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.RiskLevel;
import io.leakwatch.scoring.StubRiskScorer;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.TopologyHarness;
import io.leakwatch.topics.TopicCatalog;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/**
 * Risk scoring inside the full topology ({@link LeakwatchTopology#build}) with a stub scorer: events reach the
 * features, a scoring tick scores the changed accounts, AccountRisk goes to account-risk and a crossing into High
 * reaches the alerts topic.
 */
class RiskScoringEndToEndTest {
    private final StubRiskScorer scorer = new StubRiskScorer();

    private TopologyHarness harness() {
        return new TopologyHarness(s -> s.withRisk(RiskSettings.off().withScorer(scorer)));
    }

    private static List<AccountRisk> risks(TestOutputTopic<String, byte[]> topic) {
        EventCodec<AccountRisk> codec = WireFormat.JSON.codec(EventType.ACCOUNT_RISK, "account-risk", TopologyHarness.SCHEMAS);
        return topic.readValuesToList().stream().map(bytes -> {
            try {
                return codec.decode(bytes);
            } catch (EventDecodingException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void shouldScoreChangedAccountsAtTheTickAndAlertWhenOneEntersHighRisk() {
        try (TopologyHarness h = harness()) {
            TestOutputTopic<String, byte[]> accountRisk = h.driver().createOutputTopic(TopicCatalog.ACCOUNT_RISK,
                    new StringDeserializer(), new ByteArrayDeserializer());
            // Given two accounts under contract with one invoice each on 2024-03-05
            h.contract(contract("a1", 1, "2024-01-01T00:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null)));
            h.contract(contract("a2", 1, "2024-01-01T00:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null)));
            h.invoice(line("a1", "i1", "l1", "seats", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", "10", "10", "100",
                    "USD", "2024-03-05T10:00:00Z"));
            h.invoice(line("a2", "i2", "l1", "seats", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", "10", "10", "100",
                    "USD", "2024-03-05T11:00:00Z"));
            risks(accountRisk);   // the ticks so far (the first record starts the daily schedule)
            h.allAlerts();
            scorer.set("a1", 0.91, 0.05, 0.10, "3 failed payments in 90 days");
            int callsBefore = scorer.calls();
            // When both accounts have a failed payment (a prompt change) and stream time passes the next daily tick
            h.payment(payment("a1", "p1", "i1", "100", "USD", PaymentStatus.FAILED, "2024-03-05T12:00:00Z"));
            h.payment(payment("a2", "p2", "i2", "100", "USD", PaymentStatus.FAILED, "2024-03-05T12:00:00Z"));
            h.advanceStreamTimeTo(Instant.parse("2024-03-06T10:00:01Z"));

            // Then both changed accounts are scored at the tick (midnight after the change); a1's new score is
            // published with the model versions, a2's, the same as its last published one, is not published again
            assertThat(scorer.calls()).isEqualTo(callsBefore + 2);
            List<AccountRisk> scored = risks(accountRisk);
            assertThat(scored).extracting(AccountRisk::getAccountId).containsExactly("a1");
            assertThat(scored.get(0).getRiskLevel()).isEqualTo(RiskLevel.HIGH);
            assertThat(scored.get(0).getModelVersions()).containsExactlyElementsOf(StubRiskScorer.VERSIONS);
            // and a1's crossing into High is one alert on the alerts topic, keyed by the crossing date
            List<Alert> alerts = h.allAlerts().stream()
                    .filter(a -> AlertType.valueOf(a.getType()).isPrediction()).toList();
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.getType()).isEqualTo("HIGH_LEAKAGE_RISK");
                assertThat(a.getAccountId()).isEqualTo("a1");
                assertThat(a.getEvidenceKey()).isEqualTo("2024-03-06");
                assertThat(a.getExplanation()).isNotBlank();
                assertThat(a.getRecommendedAction()).isNotBlank();
            });

            // When nothing changes, the next tick scores nobody and raises nothing
            int calls = scorer.calls();
            h.advanceStreamTimeTo(Instant.parse("2024-03-07T10:00:01Z"));
            assertThat(scorer.calls()).isEqualTo(calls);
            assertThat(risks(accountRisk)).isEmpty();
            assertThat(h.allAlerts()).isEmpty();
        }
    }
}
