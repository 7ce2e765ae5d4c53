package io.leakwatch.topology;

import io.leakwatch.alerts.AlertType;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.testing.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Everything rejected reaches the dead-letter topic byte for byte, with the reason, and is counted. */
class DeadLetterTopologyTest {
    private static final String ACCOUNT = "acct-1";
    private final TopologyHarness lw = new TopologyHarness(s -> s.withHorizon(Duration.ofDays(3))).watching(AlertType.RATE_MISMATCH, AlertType.CHARGE_ARITHMETIC, AlertType.NO_ACTIVE_CONTRACT, AlertType.CURRENCY_MISMATCH);

    @AfterEach
    void close() {
        lw.close();
    }

    @Test
    void shouldSendGarbageBytesToDeadLetterWithReasonAndSource() {
        byte[] garbage = {(byte) 0xde, (byte) 0xad, 0x00, (byte) 0xbe, (byte) 0xef};
        lw.rawInvoice(ACCOUNT, garbage, at("2026-03-01T06:00:00Z"));

        TestRecord<String, byte[]> dead = single();
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(dead.key()).isEqualTo(ACCOUNT);
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("deserialization");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).startsWith("malformed JSON");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("invoices");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(lw.alerts()).isEmpty();
        assertThat(deadLetterTotal("deserialization")).isEqualTo(1.0);
    }

    @Test
    void shouldRejectALineWhoseTotalHasTheOppositeSignOfQuantityTimesRateAsInvalid() {
        String json = """
                {"invoice_id":"inv-1","line_id":"L1","account_id":"acct-1","service":"seats",
                 "service_period_start":"2026-02-01","service_period_end":"2026-03-01","quantity":"3",
                 "unit_rate":"10","line_total":"-30","currency":"USD","issued_at":"2026-03-01T06:00:00Z"}""";
        lw.rawInvoice(ACCOUNT, json, at("2026-03-01T06:00:00Z"));

        TestRecord<String, byte[]> dead = single();
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("invalid");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("has the opposite sign of quantity x unit_rate");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void shouldAcceptACreditLineWithANegativeQuantityAndTotal() {
        String json = """
                {"invoice_id":"cn-1","line_id":"L1","account_id":"acct-1","service":"seats",
                 "service_period_start":"2026-02-01","service_period_end":"2026-03-01","quantity":"-3",
                 "unit_rate":"10","line_total":"-30","currency":"USD","issued_at":"2026-03-01T06:00:00Z"}""";
        lw.rawInvoice(ACCOUNT, json, at("2026-03-01T06:00:00Z"));

        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldRejectUnknownCurrencyAsInvalid() {
        lw.rawInvoice(ACCOUNT, lineJson("acct-1", "XYZ"), at("2026-03-01T06:00:00Z"));

        TestRecord<String, byte[]> dead = single();
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("invalid");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("'XYZ' is not an ISO-4217 currency");
        assertThat(deadLetterTotal("invalid")).isEqualTo(1.0);
    }

    @Test
    void shouldAcceptLineWithoutAccountUnderAnyKey() {
        // A line billed to no account is unattributed revenue (docs/detectors.md), not bad input
        lw.rawInvoice(null, lineJson(null, "USD"), at("2026-03-01T06:00:00Z"));
        lw.rawInvoice("some-key", lineJson(null, "USD").replace("\"L1\"", "\"L2\""), at("2026-03-01T06:00:00Z"));

        assertThat(lw.deadLetters()).isEmpty();
        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldStillRejectLineWithoutAccountThatBreaksAnotherRule() {
        lw.rawInvoice(null, lineJson(null, "XYZ"), at("2026-03-01T06:00:00Z"));

        TestRecord<String, byte[]> dead = single();
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("invalid");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("'XYZ' is not an ISO-4217 currency")
                .doesNotContain("account_id");
    }

    @Test
    void shouldRejectRecordKeyedByAnotherAccount() {
        lw.rawInvoice("acct-2", lineJson("acct-1", "USD"), at("2026-03-01T06:00:00Z"));

        assertThat(header(single().headers(), DeadLetterHeaders.REASON)).isEqualTo("key-mismatch");
    }

    @Test
    void shouldRejectBusinessTimesOutsideThePlausibleRange() {
        lw.rawInvoice(ACCOUNT, lineJson("acct-1", "USD", "1970-01-02T00:00:00Z"), at("2026-03-01T06:00:00Z"));
        lw.rawInvoice(ACCOUNT, lineJson("acct-1", "USD", "2999-01-01T00:00:00Z"), at("2026-03-01T06:00:00Z"));

        var dead = lw.deadLetters();
        assertThat(dead).hasSize(2).allSatisfy(d ->
                assertThat(header(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("implausible-timestamp"));
        assertThat(header(dead.get(1).headers(), DeadLetterHeaders.DETAIL))
                .startsWith("business time 2999-01-01T00:00:00Z (" + at("2999-01-01T00:00:00Z").toEpochMilli() + ")")
                .contains("before 2100");
        assertThat(header(dead.get(1).headers(), DeadLetterHeaders.SOURCE_TIMESTAMP))
                .isEqualTo(Long.toString(at("2999-01-01T00:00:00Z").toEpochMilli()));
        assertThat(header(dead.get(1).headers(), DeadLetterHeaders.REFUSED_TIMESTAMP)).isNull();
    }

    @Test
    void shouldNotLetAFarFutureBusinessTimeMakeLaterRecordsLate() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                "3", "10", "30.00", "USD", "2026-02-01T06:00:00Z"));
        // An event keyed in with a wrong year: more than 400 days beyond the partition's time
        lw.rawInvoice(ACCOUNT, lineJson("acct-1", "USD", "2030-06-01T00:00:00Z"), at("2026-02-01T07:00:00Z"));
        lw.invoice(line(ACCOUNT, "inv-2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.deadLetters()).singleElement().satisfies(d ->
                assertThat(header(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("implausible-timestamp"));
        assertThat(lw.alerts()).extracting(a -> a.getEvidenceKey()).containsExactly("inv-2/L1");
    }

    @Test
    void shouldJudgeLaterRecordsNormallyAfterARefusedFirstRecord() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        // The very first invoice record is dated 1970: refused, and it must not poison the partition
        lw.rawInvoice(ACCOUNT, lineJson("acct-1", "USD", "1970-01-02T00:00:00Z"), at("2026-03-01T06:00:00Z"));
        lw.invoice(line(ACCOUNT, "inv-2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-03-01T06:00:00Z"));

        assertThat(lw.deadLetters()).singleElement().satisfies(d ->
                assertThat(header(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("implausible-timestamp"));
        assertThat(lw.alerts()).extracting(a -> a.getEvidenceKey()).containsExactly("inv-2/L1");
    }

    @Test
    void shouldTakeEventTimeFromTheEventWhateverTheRecordTimestampSays() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        // Stamped when a producer sent it years later (kcat, Kafka Connect): judged at its issue time
        lw.rawInvoice(ACCOUNT, lineJson("acct-1", "USD", "2026-03-01T06:00:00Z").replace("\"10\"", "\"9\"")
                .replace("\"30\"", "\"27\""), at("2029-12-07T10:00:00Z"));
        // Stamped by a producer whose clock is at 0: still an event of its issue time, neither implausible nor late
        lw.rawInvoice(ACCOUNT, lineJson("acct-1", "USD", "2026-02-27T06:00:00Z").replace("inv-1", "inv-0")
                .replace("\"10\"", "\"9\"").replace("\"30\"", "\"27\""), at("1970-01-01T00:00:00Z"));

        assertThat(lw.deadLetters()).isEmpty();
        assertThat(lw.standing()).extracting(a -> a.getEvidenceKey() + " " + a.getDetectedAt())
                .containsExactlyInAnyOrder("inv-1/L1 2026-03-01T06:00:00Z", "inv-0/L1 2026-02-27T06:00:00Z");
    }

    @Test
    void shouldAcceptRecordLateWithinGraceAndRejectRecordBeyondGrace() {
        lw.contract(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        lw.invoice(line(ACCOUNT, "inv-9", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                "3", "10", "30.00", "USD", "2026-04-10T00:00:00Z"));
        // Exactly at the grace boundary (3 days behind stream time): accepted and checked
        lw.invoice(line(ACCOUNT, "inv-8", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-04-07T00:00:00Z"));
        // One millisecond beyond: dead-lettered as late, never silently dropped
        lw.invoice(line(ACCOUNT, "inv-7", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-04-06T23:59:59.999Z"));

        assertThat(lw.alerts()).extracting(a -> a.getEvidenceKey()).containsExactly("inv-8/L1");
        TestRecord<String, byte[]> dead = single();
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("late");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("PT72H");
        assertThat(deadLetterTotal("late")).isEqualTo(1.0);
    }

    @Test
    void shouldSendInvalidContractToDeadLetter() {
        lw.rawContract(ACCOUNT, """
                {"contract_id":"c","account_id":"acct-1","version":1,"signed_at":"2026-01-01","lines":[]}""",
                at("2026-01-01T00:00:00Z"));

        TestRecord<String, byte[]> dead = single();
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("contracts");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("at least one rate line");
    }

    private TestRecord<String, byte[]> single() {
        var dead = lw.deadLetters();
        assertThat(dead).hasSize(1);
        return dead.get(0);
    }

    private double deadLetterTotal(String reason) {
        return lw.driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(reason + "-total"))
                .filter(e -> e.getKey().group().contains("leakwatch-dead-letter"))
                .map(java.util.Map.Entry::getValue)
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
                .sum();
    }

    private static String lineJson(String account, String currency) {
        return lineJson(account, currency, "2026-03-01T06:00:00Z");
    }

    private static String lineJson(String account, String currency, String issuedAt) {
        return "{\"invoice_id\":\"inv-1\",\"line_id\":\"L1\",\"account_id\":" + (account == null ? "null" : "\"" + account + "\"")
                + ",\"service\":\"seats\",\"service_period_start\":\"2026-02-01\",\"service_period_end\":\"2026-03-01\","
                + "\"quantity\":\"3\",\"unit_rate\":\"10\",\"line_total\":\"30\",\"currency\":\"" + currency
                + "\",\"issued_at\":\"" + issuedAt + "\"}";
    }
}
