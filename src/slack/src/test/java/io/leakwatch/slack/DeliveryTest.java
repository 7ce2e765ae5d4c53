package io.leakwatch.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.AlertStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The value format of {@code slack-delivered}, as docs/slack.md shows it. */
class DeliveryTest {
    private static final Instant AT = Instant.parse("2024-04-24T09:00:02Z");

    @Test
    void shouldWriteTheRevisionStatusMessageAndAmountAsDocumented() {
        Delivery withdrawn = new Delivery("3f1c", "channel:#revenue-alerts", 2, AlertStatus.WITHDRAWN,
                Optional.of(new MessageRef("C0REVOPS1", "1713862800.000100")), new BigDecimal("25000.0000"), "USD");

        assertThat(withdrawn.toJson(AT)).isEqualTo("{\"destination\":\"channel:#revenue-alerts\",\"delivered_at\":"
                + "\"2024-04-24T09:00:02Z\",\"revision\":2,\"status\":\"WITHDRAWN\",\"channel\":\"C0REVOPS1\","
                + "\"ts\":\"1713862800.000100\",\"amount\":\"25000.0000\",\"currency\":\"USD\"}");
        assertThat(Delivery.parse("3f1c", withdrawn.toJson(AT))).isEqualTo(withdrawn);
    }

    @Test
    void shouldWriteNoChannelOrTsForAMessageThatCannotBeEdited() {
        Delivery webhook = new Delivery("3f1c", "webhook:1a2b3c4d", 1, AlertStatus.OPEN, Optional.empty(),
                new BigDecimal("10.0000"), "EUR");

        assertThat(webhook.toJson(AT)).doesNotContain("\"channel\"", "\"ts\"");
        assertThat(Delivery.parse("3f1c", webhook.toJson(AT))).isEqualTo(webhook);
    }

    @Test
    void shouldReadAValueWithoutARevisionAsDeliveredRevisionOneOpenWithNoMessage() {
        Delivery note = Delivery.parse("3f1c", "{\"destination\":\"channel:#ops\",\"delivered_at\":\"2025-06-01T10:00:00Z\"}");
        Delivery plain = Delivery.parse("3f1c", "posted by hand");

        assertThat(note).isEqualTo(new Delivery("3f1c", "channel:#ops", 1, AlertStatus.OPEN, Optional.empty(), null, null));
        assertThat(plain).isEqualTo(new Delivery("3f1c", "unknown", 1, AlertStatus.OPEN, Optional.empty(), null, null));
    }
}
