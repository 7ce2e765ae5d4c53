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

/** The global summary on its own: partials of several tasks, finalisation, and a partial that comes too late. */
class UnattributedSummaryProcessorTest {
    private final MockProcessorContext<String, Alert> context = new MockProcessorContext<>();
    private final UnattributedSummaryProcessor summary = new UnattributedSummaryProcessor(
            new UnattributedRevenueRule(new BigDecimal("1000"), new BigDecimal("0.005"), Duration.ofDays(5)),
            new AlertFactory(SeverityPolicy.standard()));

    @BeforeEach
    void init() {
        store(UnattributedSummaryProcessor.STORE);
        store(UnattributedSummaryProcessor.FINALISED_STORE);
        summary.init(context);
    }

    @Test
    void shouldSumThePartialsOfAllTasksBeforeJudging() {
        summary.process(partial("2026-02", "600", "100000"));   // task 0
        summary.process(partial("2026-02", "600", "100000"));   // task 1: 1200 in all
        summary.process(partial("2026-03", "0", "100"));

        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("1200");
            assertThat(a.getEvidence()).containsEntry("billed_total", "200000");
        });
    }

    @Test
    void shouldRefuseAPartialOfAPeriodAlreadyFinalised() {
        summary.process(partial("2026-02", "10", "100000"));
        summary.process(partial("2026-03", "0", "100"));
        summary.process(partial("2026-02", "5000", "5000"));   // a lagging task, too late to change February
        summary.process(partial("2026-04", "0", "100"));

        assertThat(alerts()).isEmpty();
    }

    private List<Alert> alerts() {
        return context.forwarded().stream().<Alert>map(f -> f.record().value()).toList();
    }

    private static Record<String, PeriodTotals> partial(String period, String unattributed, String billed) {
        return new Record<>(period, new PeriodTotals(period, "USD", new BigDecimal(unattributed), 1,
                new BigDecimal(billed), 2), 0L);
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
