package io.leakwatch.backtest;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay order: event time, then topic order (contracts before invoices), then line number. */
class JsonLinesInputTest {
    private static final JsonEventCodec<Contract> CONTRACTS = new JsonEventCodec<>(EventType.CONTRACT);
    private static final JsonEventCodec<InvoiceLine> INVOICES = new JsonEventCodec<>(EventType.INVOICE_LINE);
    private static final Map<String, EventType<?>> TOPICS = topics();

    @TempDir
    Path dir;

    private static Map<String, EventType<?>> topics() {
        Map<String, EventType<?>> topics = new LinkedHashMap<>();
        topics.put("contracts", EventType.CONTRACT);
        topics.put("invoices", EventType.INVOICE_LINE);
        return topics;
    }

    private static String contractSignedAt(String account, String signedAt) {
        return CONTRACTS.encodeLine(contract(account, 1, signedAt,
                rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
    }

    private static String invoiceIssuedAt(String account, String lineId, String issuedAt) {
        return INVOICES.encodeLine(line(account, "inv-1", lineId, "seats", "2026-02-01T00:00:00Z",
                "2026-03-01T00:00:00Z", "1", "10", "10", "USD", issuedAt));
    }

    private void write(String topic, String... lines) throws IOException {
        Files.writeString(dir.resolve(topic + ".jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldOrderByEventTimeAcrossFiles() throws IOException {
        // Given an invoice issued before the contract's signature
        write("contracts", contractSignedAt("a1", "2026-03-02T00:00:00Z"));
        write("invoices", invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z"));

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        assertThat(records).extracting(ReplayRecord::topic, ReplayRecord::timestamp).containsExactly(
                tuple("invoices", millis("2026-03-01T00:00:00Z")),
                tuple("contracts", millis("2026-03-02T00:00:00Z")));
    }

    @Test
    void shouldPutEarlierTopicFirstAtTheSameInstant() throws IOException {
        write("invoices", invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z"));
        write("contracts", contractSignedAt("a1", "2026-03-01T00:00:00Z"));

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        assertThat(records).extracting(ReplayRecord::topic, ReplayRecord::topicOrder)
                .containsExactly(tuple("contracts", 0), tuple("invoices", 1));
    }

    @Test
    void shouldKeepLineOrderWithinAFileAtTheSameInstant() throws IOException {
        write("invoices",
                invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z"),
                invoiceIssuedAt("a1", "L2", "2026-03-01T00:00:00Z"),
                invoiceIssuedAt("a1", "L3", "2026-03-01T00:00:00Z"));

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        assertThat(records).extracting(ReplayRecord::line).containsExactly(1, 2, 3);
    }

    @Test
    void shouldSortLinesOfOneFileByEventTime() throws IOException {
        write("invoices",
                invoiceIssuedAt("a1", "L1", "2026-03-05T00:00:00Z"),
                invoiceIssuedAt("a1", "L2", "2026-03-01T00:00:00Z"));

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        assertThat(records).extracting(ReplayRecord::line).containsExactly(2, 1);
    }

    @Test
    void shouldGiveAFileOutOfTimeOrderTheOrderOfASortAndItsEarliestTimeToALeadingUndecodableLine() throws IOException {
        // Given a file out of time order whose first line does not decode, and a garbage line after 5 March
        write("invoices",
                "{not json",
                invoiceIssuedAt("a1", "L2", "2026-03-05T00:00:00Z"),
                "{neither",
                invoiceIssuedAt("a1", "L4", "2026-03-01T00:00:00Z"),
                invoiceIssuedAt("a1", "L5", "2026-03-05T00:00:00Z"));

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        // Then the first garbage line takes the earliest time of the file (1 March), the second the time of the line
        // before it, and ties keep file order
        assertThat(records).extracting(ReplayRecord::line, ReplayRecord::timestamp).containsExactly(
                tuple(1, millis("2026-03-01T00:00:00Z")),
                tuple(4, millis("2026-03-01T00:00:00Z")),
                tuple(2, millis("2026-03-05T00:00:00Z")),
                tuple(3, millis("2026-03-05T00:00:00Z")),
                tuple(5, millis("2026-03-05T00:00:00Z")));
    }

    @Test
    void shouldCountOnlyTheRecordsOfTheRangeAndGiveTheSameOnEveryPass() throws IOException {
        write("contracts", contractSignedAt("a1", "2026-01-02T00:00:00Z"));
        write("invoices",
                invoiceIssuedAt("a1", "L1", "2026-02-01T00:00:00Z"),
                invoiceIssuedAt("a1", "L2", "2026-03-01T00:00:00Z"),
                invoiceIssuedAt("a1", "L3", "2026-04-01T00:00:00Z"));
        ReplayRange range = new ReplayRange(Instant.parse("2026-02-15T00:00:00Z"), Instant.parse("2026-03-15T00:00:00Z"));

        ReplayRecords records = JsonLinesInput.open(dir, TOPICS, range, java.util.Set.of("contracts"));

        assertThat(records.size()).isEqualTo(2);
        assertThat(records.toList()).extracting(ReplayRecord::topic, ReplayRecord::line)
                .containsExactly(tuple("contracts", 1), tuple("invoices", 2));
        assertThat(records.toList()).extracting(ReplayRecord::topic, ReplayRecord::line)
                .containsExactly(tuple("contracts", 1), tuple("invoices", 2));
    }

    @Test
    void shouldKeyDecodedLinesByAccountAndKeepTheirBytes() throws IOException {
        String json = invoiceIssuedAt("acct-9", "L1", "2026-03-01T00:00:00Z");
        write("invoices", json);

        ReplayRecord r = JsonLinesInput.read(dir, TOPICS).get(0);

        assertThat(r.key()).isEqualTo("acct-9");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void shouldReplayUndecodableLineAtPreviousLinesTimeWithNoKey() throws IOException {
        // Given a garbage line between invoices issued 1 and 3 March, and a contract signed 2 March
        write("contracts", contractSignedAt("a1", "2026-03-02T00:00:00Z"));
        write("invoices",
                invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z"),
                "{not json",
                invoiceIssuedAt("a1", "L3", "2026-03-03T00:00:00Z"));

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        // Then the garbage keeps 1 March, right after line 1, and has no key
        assertThat(records).extracting(ReplayRecord::topic, ReplayRecord::line, ReplayRecord::key, ReplayRecord::timestamp)
                .containsExactly(
                        tuple("invoices", 1, "a1", millis("2026-03-01T00:00:00Z")),
                        tuple("invoices", 2, null, millis("2026-03-01T00:00:00Z")),
                        tuple("contracts", 1, "a1", millis("2026-03-02T00:00:00Z")),
                        tuple("invoices", 3, "a1", millis("2026-03-03T00:00:00Z")));
        assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    }

    @Test
    void shouldReplayUndecodableFirstLineAtFirstEventTimeOfTheFile() throws IOException {
        write("invoices",
                "[]",
                invoiceIssuedAt("a1", "L2", "2026-03-01T00:00:00Z"),
                invoiceIssuedAt("a1", "L3", "2026-03-04T00:00:00Z"));

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        assertThat(records).extracting(ReplayRecord::line, ReplayRecord::key, ReplayRecord::timestamp).containsExactly(
                tuple(1, null, millis("2026-03-01T00:00:00Z")),
                tuple(2, "a1", millis("2026-03-01T00:00:00Z")),
                tuple(3, "a1", millis("2026-03-04T00:00:00Z")));
    }

    @Test
    void shouldSkipBlankLinesButCountThemInLineNumbers() throws IOException {
        write("invoices", "", invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z"), "   ");

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        assertThat(records).extracting(ReplayRecord::line).containsExactly(2);
    }

    @Test
    void shouldReadOnlyTheFilesPresent() throws IOException {
        write("invoices", invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z"));

        assertThat(JsonLinesInput.read(dir, TOPICS)).extracting(ReplayRecord::topic).containsExactly("invoices");
    }

    @Test
    void shouldFailForMissingDirectory() {
        Path missing = dir.resolve("no-such-dir");

        assertThatThrownBy(() -> JsonLinesInput.read(missing, TOPICS))
                .isInstanceOf(IOException.class)
                .hasMessage("input directory " + missing + " does not exist");
    }

    @Test
    void shouldFailForDirectoryWithoutInputFiles() throws IOException {
        Files.writeString(dir.resolve("labels.jsonl"), "{}\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> JsonLinesInput.read(dir, TOPICS))
                .isInstanceOf(IOException.class)
                .hasMessage("no input files in " + dir + " (expected contracts.jsonl, invoices.jsonl)");
    }

    @Test
    void shouldRefuseALineThatIsNotUtf8NamingTheFileAndTheLine() throws IOException {
        // Given an invoices file whose second line was written in Latin-1 ("Société" with é as one byte 0xE9)
        byte[] good = (invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "{\"note\":\"Soci\u00e9t\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        Path invoices = dir.resolve("invoices.jsonl");
        Files.write(invoices, good);
        Files.write(invoices, latin1, java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> JsonLinesInput.read(dir, TOPICS))
                .isInstanceOf(IOException.class)
                .hasMessage(invoices + " line 2 is not UTF-8 text (byte 14 of the line); a JSON Lines file is UTF-8");
    }

    @Test
    void shouldRefuseAFileInWhichNoLineIsJsonNamingTheFirstLine() throws IOException {
        write("invoices", "", "invoice_id,line_id,account_id", "inv-1,L1,a1");

        assertThatThrownBy(() -> JsonLinesInput.read(dir, TOPICS))
                .isInstanceOf(IOException.class)
                .hasMessage(dir.resolve("invoices.jsonl") + " line 2 is not JSON, and no line of the file is a JSON"
                        + " object: not a JSON Lines file");
    }

    @Test
    void shouldEndLinesAtCarriageReturnsAsWell() throws IOException {
        String l1 = invoiceIssuedAt("a1", "L1", "2026-03-01T00:00:00Z");
        String l2 = invoiceIssuedAt("a1", "L2", "2026-03-02T00:00:00Z");
        String l3 = invoiceIssuedAt("a1", "L3", "2026-03-03T00:00:00Z");
        Files.writeString(dir.resolve("invoices.jsonl"), l1 + "\r\n" + l2 + "\r" + l3, StandardCharsets.UTF_8);

        List<ReplayRecord> records = JsonLinesInput.read(dir, TOPICS);

        assertThat(records).extracting(ReplayRecord::line, ReplayRecord::key).containsExactly(
                tuple(1, "a1"), tuple(2, "a1"), tuple(3, "a1"));
        assertThat(new String(records.get(2).value(), StandardCharsets.UTF_8)).isEqualTo(l3);
    }
}
