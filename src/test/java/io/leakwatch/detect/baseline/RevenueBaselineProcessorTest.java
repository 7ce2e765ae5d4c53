package io.leakwatch.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.topology.BaselineSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The processor's hourly punctuation on its own: it knows when the next month closes, also after a restart
 * (recomputed from the store), and judges exactly then. Close grace P5D: 2024-08 closes at 2024-09-06T00:00Z.
 */
class RevenueBaselineProcessorTest {
    private static final Duration GRACE = Duration.ofDays(5);
    private final MockProcessorContext<String, Alert> context = new MockProcessorContext<>();
    private final KeyValueStore<String, RevenueHistory> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(RevenueBaselineProcessor.STORE), Serdes.String(), new RevenueHistorySerde())
            .withLoggingDisabled().build();

    @Test
    void shouldJudgeTheNextMonthAtItsCloseAfterARestartAndNotBefore() {
        // Given a history judged through 2024-07 by an earlier instance, silent in 2024-08
        RevenueHistory h = BaselineRuleTest.history(500.0, 510.0, 490.0, 505.0, 495.0, 500.0, 500.0);
        new BaselineRule(BaselineSettings.defaults()).closeThrough(h, YearMonth.of(2024, 7));
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        store.put("acct-1", h);

        // When a new instance starts on that store
        processor().init(context);
        var punctuator = context.scheduledPunctuators().get(0).getPunctuator();
        punctuator.punctuate(at("2024-09-05T23:00:00Z"));

        // Then nothing is judged before 2024-08 closes, and the silent month is a drop at its close
        assertThat(context.forwarded()).isEmpty();
        punctuator.punctuate(at("2024-09-06T00:00:00Z"));
        List<Alert> alerts = context.forwarded().stream().<Alert>map(f -> f.record().value()).toList();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("REVENUE_DROP");
            assertThat(a.getEvidenceKey()).isEqualTo("2024-08");
            assertThat(a.getDetectedAt()).isEqualTo(Instant.parse("2024-09-06T00:00:00Z"));
        });
        punctuator.punctuate(at("2024-09-06T01:00:00Z"));
        assertThat(context.forwarded()).hasSize(1);
    }

    @Test
    void shouldJudgeAFreshStoreAtTheFirstCloseItSees() {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        RevenueBaselineProcessor processor = processor();
        processor.init(context);
        for (int m = 0; m < 7; m++) {
            Instant start = YearMonth.of(2024, 1).plusMonths(m).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            processor.process(new Record<>("acct-1", line(start, m == 6 ? "100" : "500"), start.toEpochMilli()));
        }

        context.scheduledPunctuators().get(0).getPunctuator().punctuate(at("2024-08-06T00:00:00Z"));

        assertThat(context.forwarded()).singleElement()
                .satisfies(f -> assertThat(f.record().value().getEvidenceKey()).isEqualTo("2024-07"));
        assertThat(store.get("acct-1").judgedThrough()).isEqualTo(YearMonth.of(2024, 7));
    }

    private RevenueBaselineProcessor processor() {
        return new RevenueBaselineProcessor(BaselineSettings.defaults(), GRACE, new AlertFactory(SeverityPolicy.standard()));
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static InvoiceLine line(Instant periodStart, String total) {
        return InvoiceLine.newBuilder()
                .setInvoiceId("inv-" + periodStart).setLineId("L1").setAccountId("acct-1").setService("seats")
                .setQuantity(BigDecimal.ONE).setUnitRate(new BigDecimal(total))
                .setLineTotal(new BigDecimal(total)).setCurrency("USD")
                .setServicePeriodStart(periodStart).setServicePeriodEnd(periodStart.plus(Duration.ofDays(28)))
                .setIssuedAt(periodStart.plus(Duration.ofDays(31))).build();
    }
}
