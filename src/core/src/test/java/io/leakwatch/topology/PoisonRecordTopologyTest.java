package io.leakwatch.topology;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.usage;
import static io.leakwatch.testing.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.Alert;
import io.leakwatch.ingest.DeadLetterFit;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.scoring.StubRiskScorer;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.stream.AccountProcessor;
import io.leakwatch.testing.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each record that once stopped the processor for good (it exited, and every restart died on the same record) now
 * goes to the dead-letter topic with its reason, and the records after it are judged as if it had never come.
 */
class PoisonRecordTopologyTest {
    private static final String GOOD = "acct-good";
    private final StubRiskScorer scorer = new StubRiskScorer();
    private TopologyHarness lw = new TopologyHarness(s -> s.withHorizon(Duration.ofDays(400)))
            .watching(AlertType.RATE_MISMATCH);

    @AfterEach
    void close() {
        lw.close();
    }

    /** A good account's contract before the poison, its mispriced line after: the processor still judges. */
    private void stillJudges() {
        lw.invoice(line(GOOD, "inv-after", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-03-01T06:00:00Z"));
        assertThat(lw.alerts()).extracting(Alert::getEvidenceKey).containsExactly("inv-after/L1");
    }

    private void goodContract() {
        lw.contract(contract(GOOD, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
    }

    private static String lineJson(String account, String override) {
        String base = "{\"invoice_id\":\"inv-p\",\"line_id\":\"L1\",\"account_id\":\"" + account + "\","
                + "\"service\":\"seats\",\"service_period_start\":\"2026-01-01\",\"service_period_end\":\"2026-02-01\","
                + "\"quantity\":\"3\",\"unit_rate\":\"10\",\"line_total\":\"30\",\"currency\":\"USD\","
                + "\"issued_at\":\"2026-02-01T06:00:00Z\"";
        return base + (override.isEmpty() ? "" : "," + override) + "}";
    }

    private TestRecord<String, byte[]> onlyDeadLetter(String reason) {
        List<TestRecord<String, byte[]>> dead = lw.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.REASON)).isEqualTo(reason);
        return dead.get(0);
    }

    @Test
    void dueDatesAtTheEndsOfTheLongRangeAreRefusedAsImplausible() {
        goodContract();
        lw.rawInvoice("acct-p", lineJson("acct-p", "\"due_at\":9223372036854775807"), at("2026-02-01T06:00:00Z"));
        lw.rawInvoice("acct-p", lineJson("acct-p", "\"due_at\":-9223372036854775808"), at("2026-02-01T06:00:00Z"));

        List<TestRecord<String, byte[]>> dead = lw.deadLetters();
        assertThat(dead).hasSize(2).allSatisfy(d -> {
            assertThat(header(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("invalid");
            assertThat(header(d.headers(), DeadLetterHeaders.DETAIL)).startsWith("due_at ").contains("is outside 1990-01-01 .. 2100-01-01");
        });
        stillJudges();
    }

    @Test
    void datesIn1970Or9999InsideAnEventAreRefused() {
        goodContract();
        lw.rawInvoice("acct-p", lineJson("acct-p", "").replace("2026-01-01\"", "1970-01-01\""), at("2026-02-01T06:00:00Z"));
        lw.rawInvoice("acct-p", lineJson("acct-p", "").replace("2026-02-01\",", "9999-02-01\","), at("2026-02-01T06:00:00Z"));

        List<TestRecord<String, byte[]>> dead = lw.deadLetters();
        assertThat(dead).hasSize(2);
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.DETAIL)).startsWith("service_period_start 1970-01-01");
        assertThat(header(dead.get(1).headers(), DeadLetterHeaders.DETAIL)).startsWith("service_period_end 9999-02-01")
                .doesNotContain("must be after");
        stillJudges();
    }

    @Test
    void aFailureReasonOf70000CharactersIsRefusedNotStored() {
        goodContract();
        String payment = "{\"payment_id\":\"p-1\",\"account_id\":\"acct-p\",\"invoice_id\":\"inv-p\",\"amount\":\"30\","
                + "\"currency\":\"USD\",\"status\":\"FAILED\",\"failure_reason\":\"" + "x".repeat(70_000) + "\","
                + "\"attempt\":1,\"attempted_at\":\"2026-02-02T00:00:00Z\"}";
        pipe("payments", "acct-p", payment.getBytes(StandardCharsets.UTF_8), new RecordHeaders());

        TestRecord<String, byte[]> dead = onlyDeadLetter("invalid");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).isEqualTo("failure_reason is longer than 2000 characters (70,000)");
        assertThat(dead.value()).hasSize(payment.length());
        stillJudges();
    }

    @Test
    void aMegabyteAccountIdUnderAnotherKeyMakesADeadLetterThatFits() throws Exception {
        goodContract();
        String huge = "a".repeat(1 << 20);
        byte[] value = lineJson(huge, "").getBytes(StandardCharsets.UTF_8);
        lw.rawInvoice("acct-p", value, at("2026-02-01T06:00:00Z"));

        TestRecord<String, byte[]> dead = onlyDeadLetter("invalid");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL))
                .startsWith("account_id 'aaaa").contains("(1,048,576 characters) is longer than 200 characters");
        assertThat(dead.value()).hasSize(DeadLetterFit.MAX_VALUE);
        assertThat(header(dead.headers(), DeadLetterHeaders.TRUNCATED)).isEqualTo("value");
        assertThat(header(dead.headers(), DeadLetterHeaders.ORIGINAL_VALUE_SIZE)).isEqualTo(Integer.toString(value.length));
        assertThat(header(dead.headers(), DeadLetterHeaders.ORIGINAL_VALUE_SHA256)).isEqualTo(sha256(value));
        assertThat(size(dead)).isLessThan(300_000);
        stillJudges();
    }

    @Test
    void aMegabyteKeyIsCutToFitToo() {
        goodContract();
        String key = "k".repeat(1 << 20);
        lw.rawInvoice(key, lineJson("acct-p", ""), at("2026-02-01T06:00:00Z"));

        TestRecord<String, byte[]> dead = onlyDeadLetter("key-mismatch");
        assertThat(dead.key()).hasSize(DeadLetterFit.MAX_KEY);
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).hasSizeLessThan(300);
        assertThat(header(dead.headers(), DeadLetterHeaders.ORIGINAL_KEY_SIZE)).isEqualTo("1048576");
        assertThat(size(dead)).isLessThan(300_000);
        stillJudges();
    }

    @Test
    void a600KilobyteCurrencyIsRefusedWithoutRepeatingIt() {
        goodContract();
        lw.rawInvoice("acct-p", lineJson("acct-p", "").replace("\"USD\"", "\"" + "€".repeat(600_000) + "\""),
                at("2026-02-01T06:00:00Z"));

        TestRecord<String, byte[]> dead = onlyDeadLetter("invalid");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("(600,000 characters) is not an ISO-4217 currency")
                .hasSizeLessThan(200);
        assertThat(size(dead)).isLessThan(300_000);
        stillJudges();
    }

    @Test
    void producerHeadersLargerThanTheLimitAreLeftOffTheDeadLetter() {
        goodContract();
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[700_000]);
        headers.add("tenant", "t-1".getBytes(StandardCharsets.UTF_8));
        pipe("invoices", "acct-p", "not json".getBytes(StandardCharsets.UTF_8), headers);

        TestRecord<String, byte[]> dead = onlyDeadLetter("deserialization");
        assertThat(dead.headers().lastHeader("trace")).isNull();
        assertThat(header(dead.headers(), DeadLetterHeaders.ORIGINAL_HEADERS_DROPPED)).isEqualTo("2 headers, 700,014 bytes");
        assertThat(header(dead.headers(), DeadLetterHeaders.TRUNCATED)).isEqualTo("headers");
        stillJudges();
    }

    @Test
    void quantitiesOfAnAbsurdSizeAreRefusedWhileDecoding() {
        goodContract();
        lw.rawInvoice("acct-p", lineJson("acct-p", "").replace("\"quantity\":\"3\"", "\"quantity\":\"1e20000000\""),
                at("2026-02-01T06:00:00Z"));
        lw.rawInvoice("acct-p", lineJson("acct-p", "").replace("\"quantity\":\"3\"", "\"quantity\":\"123456789012345678901234\""),
                at("2026-02-01T06:00:00Z"));
        lw.rawInvoice("acct-p", lineJson("acct-p", "").replace("\"quantity\":\"3\"", "\"quantity\":\"9999999999999\""),
                at("2026-02-01T06:00:00Z"));

        List<TestRecord<String, byte[]>> dead = lw.deadLetters();
        assertThat(dead).extracting(d -> header(d.headers(), DeadLetterHeaders.REASON))
                .containsExactly("deserialization", "deserialization", "invalid");
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.DETAIL)).contains("more than 18 digits before the decimal point");
        assertThat(header(dead.get(2).headers(), DeadLetterHeaders.DETAIL)).startsWith("quantity 9999999999999 is more than 1000000000000");
        stillJudges();
    }

    @Test
    void theSameRecordsInTheAvroWireFormatAreRefusedAlike() {
        lw.close();
        lw = new TopologyHarness(WireFormat.AVRO, s -> s.withHorizon(Duration.ofDays(400))).watching(AlertType.RATE_MISMATCH);
        goodContract();
        var bad = line("acct-p", "inv-p", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                "3", "10", "30", "USD", "2026-02-01T06:00:00Z");
        bad.setDueAt(java.time.Instant.ofEpochMilli(Long.MAX_VALUE));
        bad.setDescription("d".repeat(70_000));
        lw.invoice(bad);

        TestRecord<String, byte[]> dead = onlyDeadLetter("invalid");
        assertThat(header(dead.headers(), DeadLetterHeaders.DETAIL)).contains("description is longer than 2000")
                .contains("due_at");
        stillJudges();
    }

    @Test
    void aModelRunThatFailsOnOneAccountSetsThatRecordAsideAndTheAccountCarriesOn() {
        lw.close();
        lw = new TopologyHarness(s -> s.withHorizon(Duration.ofDays(400))
                .withRisk(RiskSettings.off().withScorer(scorer))).watching(AlertType.RATE_MISMATCH);
        goodContract();
        lw.contract(contract("acct-p", 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        // the first scoring of acct-p (its contract is a prompt change: scored at the next tick, before its next
        // record) throws once
        scorer.failFor("acct-p", 1);
        lw.usage(usage("acct-p", "u-1", "seats", "3", "2026-01-05T00:00:00Z"));
        lw.usage(usage("acct-p", "u-2", "seats", "3", "2026-01-20T00:00:00Z"));

        List<TestRecord<String, byte[]>> dead = lw.deadLetters();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(header(d.headers(), DeadLetterHeaders.SOURCE_TIMESTAMP))
                    .isEqualTo(Long.toString(at("2026-01-05T00:00:00Z").toEpochMilli()));
            assertThat(header(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("processing-error");
            assertThat(header(d.headers(), DeadLetterHeaders.NODE)).isEqualTo("account-processor");
            assertThat(header(d.headers(), DeadLetterHeaders.EXCEPTION)).isEqualTo("java.lang.IllegalStateException");
            assertThat(header(d.headers(), DeadLetterHeaders.DETAIL)).contains("the model run failed for acct-p");
        });
        assertThat(metric("processing-error-total", "leakwatch-dead-letter")).isEqualTo(dead.size());
        stillJudges();
        // acct-p is judged again: its own mispriced line is found
        lw.invoice(line("acct-p", "inv-p2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-03-01T06:00:00Z"));
        assertThat(lw.alerts()).extracting(Alert::getEvidenceKey).containsExactly("inv-p2/L1");
        assertThat(metric(AccountProcessor.QUARANTINED, AccountProcessor.METRICS_GROUP)).isZero();
    }

    @Test
    void aJudgementThatKeepsFailingSetsTheAccountAsideAndTheOthersCarryOn() {
        lw.close();
        lw = new TopologyHarness(s -> s.withHorizon(Duration.ofDays(400))
                .withRisk(RiskSettings.off().withScorer(scorer))).watching(AlertType.RATE_MISMATCH);
        goodContract();
        lw.contract(contract("acct-p", 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        scorer.failFor("acct-p", Integer.MAX_VALUE);
        lw.usage(usage("acct-p", "u-1", "seats", "3", "2026-01-20T00:00:00Z"));
        lw.invoice(line("acct-p", "inv-p2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "9", "27.00", "USD", "2026-03-01T06:00:00Z"));

        stillJudges();
        assertThat(metric(AccountProcessor.QUARANTINED, AccountProcessor.METRICS_GROUP)).isEqualTo(1);
        assertThat(metric("held-for-quarantined-total", "leakwatch-accounts")).isPositive();
    }

    private void pipe(String topic, String key, byte[] value, RecordHeaders headers) {
        TestInputTopic<String, byte[]> in = lw.driver().createInputTopic(topic,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        in.pipeInput(new TestRecord<>(key, value, headers, at("2026-02-02T00:00:00Z")));
        lw.settle();
    }

    private double metric(String name, String group) {
        return lw.driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().contains(group))
                .map(Map.Entry::getValue)
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
                .sum();
    }

    private static long size(TestRecord<String, byte[]> record) {
        long size = (record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length)
                + (record.value() == null ? 0 : record.value().length);
        for (var h : record.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
