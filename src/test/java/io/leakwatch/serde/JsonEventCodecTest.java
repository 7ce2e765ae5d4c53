package io.leakwatch.serde;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.tier;
import static io.leakwatch.testing.Events.tiered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonEventCodecTest {
    private final JsonEventCodec<InvoiceLine> lines = new JsonEventCodec<>(EventType.INVOICE_LINE);

    @Test
    void shouldReadHandTypedLineWithDatesStringsAndNumbers() throws Exception {
        InvoiceLine line = lines.decode("""
                {"invoice_id":"inv-1","line_id":"L1","account_id":"acct-1","service":"seats",
                 "service_period_start":"2026-02-01","service_period_end":"2026-03-01T00:00:00Z",
                 "quantity":3,"unit_rate":"12.50","line_total":37.5,"currency":"USD",
                 "issued_at":1772344800000,"comment":"ignored"}""");

        assertThat(line.getServicePeriodStart()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(line.getIssuedAt()).isEqualTo(Instant.ofEpochMilli(1772344800000L));
        assertThat(line.getLineTotal()).isEqualByComparingTo("37.5").hasScaleOf(4);
        assertThat(line.getDueAt()).isNull();
    }

    @Test
    void shouldWriteDeterministicCanonicalJson() {
        Contract c = contract("acct-1", 2, "2026-01-01T00:00:00Z",
                tiered("api", "0.0100", "USD", "2026-01-01T00:00:00Z", tier("1000", "0.009")));
        String json = new String(new JsonEventCodec<>(EventType.CONTRACT).encode(c), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"contract_id\":\"ctr-acct-1\",\"account_id\":\"acct-1\",\"version\":2,"
                + "\"signed_at\":\"2026-01-01T00:00:00Z\",\"lines\":[{\"service\":\"api\",\"unit\":\"unit\","
                + "\"unit_rate\":\"0.01\",\"currency\":\"USD\",\"effective_from\":\"2026-01-01T00:00:00Z\","
                + "\"effective_to\":null,\"committed_quantity\":null,"
                + "\"tiers\":[{\"from_quantity\":\"1000\",\"unit_rate\":\"0.009\"}]}]}");
    }

    @Test
    void shouldRoundTripEveryFieldThroughJson() throws Exception {
        Contract c = contract("acct-1", 1, "2026-01-01T00:00:00Z",
                rate("seats", "12.345", "EUR", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"));
        JsonEventCodec<Contract> codec = new JsonEventCodec<>(EventType.CONTRACT);

        assertThat(codec.decode(codec.encode(c))).isEqualTo(c);
    }

    @Test
    void shouldReadEnumsAndDefaults() throws Exception {
        Payment p = new JsonEventCodec<>(EventType.PAYMENT).decode("""
                {"payment_id":"p1","account_id":"a","amount":"10","currency":"USD","status":"FAILED",
                 "attempted_at":"2026-03-02T00:00:00Z"}""");

        assertThat(p.getStatus()).isEqualTo(PaymentStatus.FAILED);
        assertThat(p.getAttempt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToRoundDecimals() {
        assertThatThrownBy(() -> lines.decode(lineWith("\"line_total\":\"1.00001\"")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'line_total' has more than 4 decimal places");
    }

    @Test
    void shouldNameTheMissingRequiredField() {
        assertThatThrownBy(() -> lines.decode("{\"invoice_id\":\"x\"}"))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("missing required field 'line_id'");
    }

    @Test
    void shouldRejectBadTimestampText() {
        assertThatThrownBy(() -> lines.decode(lineWith("\"issued_at\":\"yesterday\"")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'issued_at' 'yesterday' is not an ISO-8601 time");
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThatThrownBy(() -> lines.decode("{\"invoice_id\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("malformed JSON");
    }

    private static String lineWith(String override) {
        String base = "{\"invoice_id\":\"inv-1\",\"line_id\":\"L1\",\"account_id\":\"a\",\"service\":\"s\","
                + "\"service_period_start\":\"2026-02-01\",\"service_period_end\":\"2026-03-01\",\"quantity\":\"1\","
                + "\"unit_rate\":\"1\",\"line_total\":\"1\",\"currency\":\"USD\",\"issued_at\":\"2026-03-01T00:00:00Z\"";
        String key = override.substring(0, override.indexOf(':') + 1);
        return base.replaceAll("\"" + key.substring(1, key.length() - 2) + "\":\"[^\"]*\"", override) + "}";
    }
}
