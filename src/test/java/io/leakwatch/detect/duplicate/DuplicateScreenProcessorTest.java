package io.leakwatch.detect.duplicate;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.serde.JsonRecordSerde;
import io.leakwatch.state.TimeIndex;
import io.leakwatch.testing.FixedKeyContext;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The screen's state housekeeping; its verdicts are pinned end to end in {@code DuplicateChargeTopologyTest}. */
class DuplicateScreenProcessorTest {
    private final FixedKeyContext<String, ScreenedLine> context = new FixedKeyContext<>();

    @Test
    void shouldIndexAndLaterPurgeStateWrittenBeforeTheIndexExisted() {
        // Given the two stores as a version without the expiry index left them
        long issued = Instant.parse("2026-03-01T06:00:00Z").toEpochMilli();
        KeyValueStore<String, LineRef> signatures = context.store(DuplicateScreenProcessor.SIGNATURES,
                new JsonRecordSerde<>(LineRef.class));
        KeyValueStore<String, SeenLine> seen = context.store(DuplicateScreenProcessor.SEEN_IDS,
                new JsonRecordSerde<>(SeenLine.class));
        KeyValueStore<String, String> expiry = context.store(DuplicateScreenProcessor.EXPIRY, Serdes.String());
        signatures.put("sig-1", new LineRef("inv-1", "L1", issued));
        seen.put("inv-1/L1", new SeenLine(issued, null));

        // When the processor starts on them
        new DuplicateScreenProcessor(Duration.ofDays(62), Duration.ofDays(7), new AlertFactory(SeverityPolicy.standard()))
                .init(context.context());

        // Then both entries are indexed at their issue time, and purged once no accepted line can be near them
        assertThat(expiry.get(TimeIndex.key(issued, "S|sig-1"))).isEqualTo("S|sig-1");
        assertThat(expiry.get(TimeIndex.key(issued, "I|inv-1/L1"))).isEqualTo("I|inv-1/L1");
        context.punctuate(issued + Duration.ofDays(69).toMillis());
        assertThat(signatures.approximateNumEntries()).isEqualTo(1);
        context.punctuate(issued + Duration.ofDays(69).toMillis() + 1);
        assertThat(signatures.get("sig-1")).isNull();
        assertThat(seen.get("inv-1/L1")).isNull();
        assertThat(expiry.approximateNumEntries()).isZero();
    }
}
