package io.leakwatch.app.metrics;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.testing.TopologyHarness;
import io.leakwatch.topics.TopicCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The topology's counters equal what the topology wrote: counted at the outputs, never changing them. */
class TopologyCountersTest {
    private static final String ACCOUNT = "acct-1";
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldCountTheAlertsRaisedAndWithdrawnAndTheDeadLettersTheTopologyWrote() {
        try (TopologyHarness lw = new TopologyHarness(s -> s.withMeters(new TopologyCounters(registry)))) {
            // Given a line billed below its contract's rate (raised), then the amendment that explains it (withdrawn)
            lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
            lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                    "3", "8", "24.00", "USD", "2026-04-01T06:00:00Z"));
            lw.contract(contract(ACCOUNT, 2, "2026-04-01T05:00:00Z",
                    rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
                    rate("seats", "8", "USD", "2026-03-01T00:00:00Z", null)));
            // and an invoice record that is not an event, and one far older than the late-data horizon
            lw.rawInvoice(ACCOUNT, "not an event", at("2026-04-01T07:00:00Z"));
            lw.invoice(line(ACCOUNT, "inv-0", "L1", "seats", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z",
                    "1", "10", "10.00", "USD", "2025-02-01T06:00:00Z"));

            List<Alert> written = lw.alertLog();
            Map<String, Long> deadLetters = lw.deadLetters().stream().collect(Collectors.groupingBy(
                    (TestRecord<String, byte[]> r) -> TopologyHarness.header(r.headers(), DeadLetterHeaders.REASON),
                    Collectors.counting()));

            // Then the counters say what the output topics hold
            assertThat(written).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN, AlertStatus.WITHDRAWN);
            Alert raised = written.get(0);
            String severity = raised.getSeverity().name().toLowerCase();
            assertThat(count(TopologyCounters.ALERTS_RAISED, "type", "RATE_MISMATCH", "severity", severity)).isEqualTo(1);
            assertThat(count(TopologyCounters.ALERTS_WITHDRAWN, "type", "RATE_MISMATCH", "severity", severity))
                    .isEqualTo(1);
            assertThat(registry.find(TopologyCounters.ALERTS_REVISED).counters()).isEmpty();
            assertThat(BigDecimal.valueOf(count(TopologyCounters.MONEY_RAISED, "currency", "USD")))
                    .isEqualByComparingTo(raised.getAmount());
            assertThat(BigDecimal.valueOf(count(TopologyCounters.MONEY_WITHDRAWN, "currency", "USD")))
                    .isEqualByComparingTo(raised.getAmount());
            assertThat(deadLetters).containsOnlyKeys("deserialization", "late");
            assertThat(count(TopologyCounters.DEAD_LETTERS, "reason", "deserialization"))
                    .isEqualTo(deadLetters.get("deserialization").doubleValue());
            assertThat(count(TopologyCounters.DEAD_LETTERS, "reason", "late")).isEqualTo(deadLetters.get("late").doubleValue());
            assertThat(registry.get(TopologyCounters.LATE_RECORDS).counter().count()).isEqualTo(1);
            String invoices = TopicCatalog.bundled().name(TopicCatalog.INVOICES);
            String contracts = TopicCatalog.bundled().name(TopicCatalog.CONTRACTS);
            assertThat(count(TopologyCounters.RECORDS_IN, "topic", invoices)).isEqualTo(3);
            assertThat(count(TopologyCounters.RECORDS_IN, "topic", contracts)).isEqualTo(2);
        }
    }

    @Test
    void shouldWriteTheSameAlertsWithCountersAsWithout() {
        List<Alert> counted = scenario(new TopologyHarness(s -> s.withMeters(new TopologyCounters(registry))));
        List<Alert> uncounted = scenario(new TopologyHarness());

        assertThat(counted).isNotEmpty().isEqualTo(uncounted);
    }

    private static List<Alert> scenario(TopologyHarness lw) {
        try (lw) {
            lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
            lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                    "3", "8", "24.00", "USD", "2026-04-01T06:00:00Z"));
            return lw.alertLog();
        }
    }

    private double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        assertThat(counter).as(name + " " + String.join(",", tags)).isNotNull();
        return counter.count();
    }
}
