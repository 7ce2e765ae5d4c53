package io.leakwatch.detect.unattributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The per-task tally's punctuation after a restart: the next close comes from the stored watermark. */
class UnattributedTallyProcessorTest {
    private final MockProcessorContext<String, TaskPartial> context = new MockProcessorContext<>();
    private final UnattributedTallyProcessor tally = new UnattributedTallyProcessor(
            new UnattributedRevenueRule(new BigDecimal("1000"), new BigDecimal("0.005"), Duration.ofDays(5)));

    @Test
    void shouldSendTheNextPartialAtTheNextCloseAfterARestartAndNotBefore() {
        // Given an earlier instance closed February (watermark stored); March closes at 2026-04-06T00:00Z
        KeyValueStore<String, PeriodTotals> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(UnattributedTallyProcessor.STORE), Serdes.String(),
                        new io.leakwatch.serde.JsonRecordSerde<>(PeriodTotals.class))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        store.put(UnattributedTallyProcessor.CLOSED_THROUGH_KEY, PeriodTotals.empty(BillingPeriod.parse("2026-02"), ""));

        // When a new instance starts and stream time moves towards March's close
        tally.init(context);
        var punctuator = context.scheduledPunctuators().get(0).getPunctuator();
        punctuator.punctuate(Instant.parse("2026-04-05T23:00:00Z").toEpochMilli());

        // Then February is not announced again, and March is announced once, at its close
        assertThat(context.forwarded()).isEmpty();
        punctuator.punctuate(Instant.parse("2026-04-06T00:00:00Z").toEpochMilli());
        punctuator.punctuate(Instant.parse("2026-04-06T01:00:00Z").toEpochMilli());
        assertThat(context.forwarded()).singleElement()
                .satisfies(f -> assertThat(f.record().value().closedThrough()).isEqualTo("2026-03"));
    }
}
