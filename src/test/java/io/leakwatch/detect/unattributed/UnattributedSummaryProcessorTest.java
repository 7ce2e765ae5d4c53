package io.leakwatch.detect.unattributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.events.Alert;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The global summary on its own: a period is judged once every partition has closed it. */
class UnattributedSummaryProcessorTest {
    private final MockProcessorContext<String, Alert> context = new MockProcessorContext<>();
    private final UnattributedSummaryProcessor summary = new UnattributedSummaryProcessor(
            new UnattributedRevenueRule(new BigDecimal("1000"), new BigDecimal("0.005"), Duration.ofDays(5)),
            new AlertFactory(SeverityPolicy.standard()), 2);

    @BeforeEach
    void init() {
        store(UnattributedSummaryProcessor.STORE);
        store(UnattributedSummaryProcessor.WATERMARK_STORE);
        summary.init(context);
    }

    @Test
    void shouldSumThePartialsOfAllPartitionsBeforeJudging() {
        summary.process(partial(0, "2026-02", totals("2026-02", "600", "100000")));
        assertThat(alerts()).as("partition 1 has not closed February yet").isEmpty();

        summary.process(partial(1, "2026-02", totals("2026-02", "600", "100000")));

        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("1200");
            assertThat(a.getEvidenceKey()).isEqualTo("2026-02/USD");
            assertThat(a.getEvidence()).containsEntry("billed_total", "200000");
        });
    }

    @Test
    void shouldNotJudgeAPeriodWhileOnePartitionLagsBehind() {
        summary.process(partial(0, "2026-04", totals("2026-02", "600", "100000"), totals("2026-03", "900", "1000")));
        summary.process(partial(1, "2026-02", totals("2026-02", "600", "100000")));

        assertThat(alerts()).extracting(Alert::getEvidenceKey).containsExactly("2026-02/USD");

        summary.process(partial(1, "2026-03", totals("2026-03", "200", "1000")));

        assertThat(alerts()).extracting(Alert::getEvidenceKey).containsExactly("2026-02/USD", "2026-03/USD");
    }

    @Test
    void shouldCountAPartitionWithoutLinesInThePeriodAsDone() {
        summary.process(partial(0, "2026-02", totals("2026-02", "1500", "100000")));
        summary.process(partial(1, "2026-02"));

        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getAmount()).isEqualByComparingTo("1500"));
    }

    @Test
    void shouldRefuseTotalsOfAPeriodAlreadyJudged() {
        summary.process(partial(0, "2026-02", totals("2026-02", "10", "100000")));
        summary.process(partial(1, "2026-02", totals("2026-02", "10", "100000")));
        summary.process(partial(1, "2026-03", totals("2026-02", "5000", "5000")));
        summary.process(partial(0, "2026-03"));

        assertThat(alerts()).isEmpty();
    }

    private List<Alert> alerts() {
        return context.forwarded().stream().<Alert>map(f -> f.record().value()).toList();
    }

    private static PeriodTotals totals(String period, String unattributed, String billed) {
        return new PeriodTotals(period, "USD", new BigDecimal(unattributed), 1, new BigDecimal(billed), 2);
    }

    private static Record<String, TaskPartial> partial(int partition, String closedThrough, PeriodTotals... totals) {
        return new Record<>("unattributed", new TaskPartial(partition, closedThrough, List.of(totals)), 0L);
    }

    private void store(String name) {
        KeyValueStore<String, ?> store = name.equals(UnattributedSummaryProcessor.STORE)
                ? Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                        new io.leakwatch.serde.JsonRecordSerde<>(PeriodTotals.class)).withLoggingDisabled().build()
                : Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.String())
                        .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }
}
