package io.leakwatch.detect.duplicate;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.serde.EventSerde;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonRecordSerde;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.Events;
import io.leakwatch.testing.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScreenedLineSerdeTest {
    private static final InvoiceLine LINE = Events.line("acct-1", "inv-2", "L1", "seats", "2026-02-01T00:00:00Z",
            "2026-03-01T00:00:00Z", "3", "10", "30.00", "USD", "2026-03-10T06:00:00Z");
    private final ScreenedLineSerde serde = new ScreenedLineSerde(
            new EventSerde<>(WireFormat.AVRO.codec(EventType.INVOICE_LINE, TopologyHarness.SCHEMAS)),
            new EventSerde<>(WireFormat.AVRO.codec(EventType.ALERT, TopologyHarness.SCHEMAS)));

    @Test
    void shouldReadBackAPassedLine() {
        ScreenedLine passed = ScreenedLine.passed(LINE, true);

        assertThat(roundTrip(passed)).isEqualTo(passed);
    }

    @Test
    void shouldReadBackADuplicateWithItsAlert() {
        LineRef original = new LineRef("inv-1", "L1", Instant.parse("2026-03-01T06:00:00Z").toEpochMilli());
        Alert alert = new AlertFactory(SeverityPolicy.standard())
                .toAlert(new DuplicateRule(Duration.ofDays(62)).finding(LINE, original), LINE.getIssuedAt());
        ScreenedLine duplicate = ScreenedLine.duplicate(LINE, alert);

        assertThat(roundTrip(duplicate)).isEqualTo(duplicate);
    }

    @Test
    void shouldReadBackStoreValuesAsJson() {
        JsonRecordSerde<SeenLine> seen = new JsonRecordSerde<>(SeenLine.class);
        SeenLine value = new SeenLine(1_772_344_800_000L, new LineRef("inv-1", "L1", 1_772_344_800_000L));

        assertThat(seen.deserializer().deserialize("t", seen.serializer().serialize("t", value))).isEqualTo(value);
    }

    private ScreenedLine roundTrip(ScreenedLine value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }
}
