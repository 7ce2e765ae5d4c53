package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.backtest.Backtest;
import io.leakwatch.backtest.BacktestResult;
import io.leakwatch.events.Alert;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code leakwatch import}: the shipped example mappings bring their sample exports in, and a backtest of what they
 * wrote finds the one line each sample bills at a wrong rate and nothing else; user mistakes are one line, exit 2.
 */
class ImportCommandTest {
    private static final Path EXAMPLES = Path.of("examples/import");

    @TempDir
    Path dir;

    private static LeakwatchCommandTest.Result leakwatch(String... args) {
        return LeakwatchCommandTest.leakwatch(args);
    }

    private LeakwatchCommandTest.Result importExample(String mapping, String csv, Path out) {
        return leakwatch("import", "--mapping", EXAMPLES.resolve(mapping).toString(), "--input",
                EXAMPLES.resolve(csv).toString(), "--out", out.toString());
    }

    private static List<Alert> backtest(Path input) throws IOException {
        return backtest(input, false);
    }

    private static List<Alert> backtest(Path input, boolean closeAtEnd) throws IOException {
        BacktestResult result = new Backtest(TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver()).withCloseAtEnd(closeAtEnd)).run(input, Progress.silent());
        assertThat(result.deadLetters()).isEmpty();
        return result.alerts();
    }

    @Test
    void shouldImportTheStripeLikeExampleSoThatOnlyItsWrongRateLineIsFlagged() throws IOException {
        Path out = dir.resolve("stripe");

        LeakwatchCommandTest.Result tariffs = importExample("customer-tariffs.yaml", "stripe-tariffs.csv", out);
        LeakwatchCommandTest.Result items = importExample("stripe-invoice-items.yaml", "stripe-invoice-items.csv", out);

        assertThat(tariffs.exit()).as(tariffs.err()).isZero();
        assertThat(tariffs.out()).contains("read 6 rows of ", "wrote 3 contract records to " + out.resolve("contracts.jsonl"),
                "rejected 0 rows");
        assertThat(items.exit()).as(items.err()).isZero();
        assertThat(items.out()).contains("read 15 rows of ", "wrote 15 invoice_line records to "
                + out.resolve("invoices.jsonl"), "rejected 0 rows");
        // Initech's March seats are billed at 28.00 against a contract rate of 30.00; Globex's March price rise
        // to 22.00 is in its tariff history and is no finding
        assertThat(backtest(out)).extracting(a -> a.getType() + " " + a.getAccountId() + " " + a.getEvidenceKey()
                + " " + a.getAmount().toPlainString() + " " + a.getCurrency())
                .containsExactly("RATE_MISMATCH cus_Q3initech in_1P0009/ii_1P00014 10.0000 USD");
    }

    @Test
    void shouldImportTheGenericExampleSoThatOnlyItsWrongRateLineIsFlagged() throws IOException {
        Path out = dir.resolve("generic");

        LeakwatchCommandTest.Result tariffs = importExample("customer-tariffs.yaml", "generic-tariffs.csv", out);
        LeakwatchCommandTest.Result lines = importExample("generic-invoice-lines.yaml", "generic-invoice-lines.csv", out);

        assertThat(tariffs.exit()).as(tariffs.err()).isZero();
        assertThat(lines.exit()).as(lines.err()).isZero();
        assertThat(lines.out()).contains("wrote 15 invoice_line records to ");
        assertThat(Files.readString(out.resolve("invoices.jsonl"))).contains("\"account_id\":\"K-1002\"",
                "\"line_id\":\"2026001-2\"", "\"quantity\":\"2500\"", "\"currency\":\"EUR\"");
        assertThat(backtest(out)).extracting(a -> a.getType() + " " + a.getAccountId() + " " + a.getEvidenceKey()
                + " " + a.getAmount().toPlainString() + " " + a.getCurrency())
                .containsExactly("RATE_MISMATCH K-1003 2026006/2026006-2 240.0000 EUR");
    }

    @Test
    void shouldImportTheRetailLogSoThatOnlyItsDuplicatedRowIsFlagged() throws IOException {
        Path out = dir.resolve("retail");

        LeakwatchCommandTest.Result r = importExample("retail-transactions.yaml", "retail-transactions.csv", out);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("read 51 rows of ", "wrote 51 invoice_line records to ", "rejected 0 rows");
        String lines = Files.readString(out.resolve("invoices.jsonl"));
        // a row without a CustomerID is a line billed to no account; a cancellation is a credit
        assertThat(lines).contains("\"invoice_id\":\"536414\",\"line_id\":\"1\",\"account_id\":null",
                "\"invoice_id\":\"C541433\",\"line_id\":\"1\",\"account_id\":\"12346\"",
                "\"quantity\":\"-74215\",\"unit_rate\":\"1.04\",\"line_total\":\"-77183.6\"",
                "\"service_period_start\":\"2010-12-01T08:26:00Z\",\"service_period_end\":\"2010-12-02T08:26:00Z\"");
        // invoice 536409 holds the same row twice, as the public log does; every cancellation nets out its sale,
        // and with no contracts or payments the detectors that need them are off, not raising on every line
        for (boolean closeAtEnd : List.of(false, true)) {
            assertThat(backtest(out, closeAtEnd)).as("close at end: " + closeAtEnd)
                    .extracting(a -> a.getType() + " " + a.getAccountId() + " " + a.getEvidenceKey() + " "
                            + a.getAmount().toPlainString() + " " + a.getCurrency())
                    .containsExactly("DUPLICATE_CHARGE 17908 536409/3 -4.9500 GBP");
        }
        LeakwatchCommandTest.Result bt = leakwatch("backtest", "--input", out.toString(), "--out",
                out.resolve("bt").toString());
        assertThat(bt.out()).contains("detector off: UNPAID_INVOICE", "detector off: RATE_MISMATCH",
                "detector off: UNATTRIBUTED_REVENUE");
    }

    @Test
    void shouldImportTheSaasExportsSoThatOnlyTheirWrongRateAndUnbilledUsageAreFlagged() throws IOException {
        Path out = dir.resolve("saas");

        LeakwatchCommandTest.Result r = leakwatch("import", "--mapping",
                EXAMPLES.resolve("saas-billing.yaml").toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 4 contract records to ", "wrote 14 usage records to ",
                "wrote 16 invoice_line records to ", "wrote 9 payment records to ");
        assertThat(r.out().split("rejected 0 rows", -1)).as("four imports, none rejecting a row").hasSize(5);
        // ACC-001 holds its main plan and a storage add-on side by side: its storage lines are priced by the add-on,
        // not left without a contract. ACC-002's March seats are billed at 40.00 against 45.00, and ACC-001's March
        // storage is used but never billed; every invoice is paid
        for (boolean closeAtEnd : List.of(false, true)) {
            assertThat(backtest(out, closeAtEnd)).as("close at end: " + closeAtEnd)
                    .extracting(a -> a.getType() + " " + a.getAccountId() + " " + a.getEvidenceKey() + " "
                            + a.getAmount().toPlainString() + " " + a.getCurrency())
                    .containsExactlyInAnyOrder("RATE_MISMATCH ACC-002 INV-2026-0008/1 25.0000 USD",
                            "UNBILLED_USAGE ACC-001 storage/2026-03 150.0000 USD");
        }
    }

    @Test
    void shouldImportEveryFileAMappingNamesInOneCommand() throws IOException {
        Path out = dir.resolve("one");

        LeakwatchCommandTest.Result r = leakwatch("import", "--mapping",
                EXAMPLES.resolve("stripe-with-tariffs.yaml").toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 3 contract records to " + out.resolve("contracts.jsonl"),
                "wrote 15 invoice_line records to " + out.resolve("invoices.jsonl"));
        assertThat(backtest(out)).extracting(a -> a.getType() + " " + a.getAccountId())
                .containsExactly("RATE_MISMATCH cus_Q3initech");
    }

    @Test
    void shouldAddASecondFileOfTheSameRecordKindToTheSameOutputInOneCommand() throws IOException {
        Path mapping = dir.resolve("twice.yaml");
        Path examples = EXAMPLES.toAbsolutePath();
        Files.writeString(mapping, Files.readString(EXAMPLES.resolve("stripe-with-tariffs.yaml"))
                .replace("file: stripe-tariffs.csv", "file: " + examples.resolve("stripe-tariffs.csv"))
                .replace("file: stripe-invoice-items.csv", "file: " + examples.resolve("generic-tariffs.csv")),
                StandardCharsets.UTF_8);
        String yaml = Files.readString(mapping);
        // the second import reads the other tariff list with the first import's keys
        int second = yaml.indexOf("  - file: " + examples.resolve("generic-tariffs.csv"));
        String first = yaml.substring(yaml.indexOf("  - file:"), second);
        Files.writeString(mapping, yaml.substring(0, second) + first.replace("stripe-tariffs.csv", "generic-tariffs.csv"),
                StandardCharsets.UTF_8);

        LeakwatchCommandTest.Result r = leakwatch("import", "--mapping", mapping.toString(), "--out",
                dir.resolve("out").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out/contracts.jsonl"))).hasSize(6);
    }

    @Test
    void shouldSayWhereTheRejectedRowsWentAndExitOneWhenRowsAreRejected() throws IOException {
        Path csv = dir.resolve("items.csv");
        List<String> rows = Files.readAllLines(EXAMPLES.resolve("stripe-invoice-items.csv"));
        Files.writeString(csv, rows.get(0) + "\n" + rows.get(1) + "\n" + rows.get(2).replace(",usd,", ",usx,") + "\n",
                StandardCharsets.UTF_8);
        Path out = dir.resolve("out");

        LeakwatchCommandTest.Result r = leakwatch("import", "--mapping",
                EXAMPLES.resolve("stripe-invoice-items.yaml").toString(), "--input", csv.toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.out()).contains("read 2 rows of " + csv, "wrote 1 invoice_line records",
                "rejected 1 rows: " + out.resolve("items.rejects.csv"));
        assertThat(Files.readAllLines(out.resolve("items.rejects.csv")).get(1))
                .startsWith("3,\"unit_rate: an amount in minor units needs a known currency, not 'USX'\",ii_1P00002,");
    }

    @Test
    void shouldExitTwoWithOneLineNamingTheKeyOfABadMapping() throws IOException {
        Path mapping = dir.resolve("bad.yaml");
        Files.writeString(mapping, Files.readString(EXAMPLES.resolve("stripe-invoice-items.yaml"))
                .replace("  issued_at: invoice_created\n", "  issued_on: invoice_created\n"), StandardCharsets.UTF_8);

        LeakwatchCommandTest.Result r = leakwatch("import", "--mapping", mapping.toString(), "--input",
                EXAMPLES.resolve("stripe-invoice-items.csv").toString(), "--out", dir.resolve("out").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().startsWith("leakwatch import: mapping " + mapping
                + ": columns.issued_on: an invoice_line has no field 'issued_on' (its fields: invoice_id, ");
    }

    @Test
    void shouldExitTwoWithOneLineWhenTheCsvLacksAMappedColumn() throws IOException {
        Path csv = dir.resolve("items.csv");
        Files.writeString(csv, "id,invoice\nii_1,in_1\n", StandardCharsets.UTF_8);

        LeakwatchCommandTest.Result r = leakwatch("import", "--mapping",
                EXAMPLES.resolve("stripe-invoice-items.yaml").toString(), "--input", csv.toString(), "--out",
                dir.resolve("out").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().startsWith("leakwatch import: mapping ")
                .contains("columns.account_id: column 'customer'", "are not in the header of items.csv (its columns: id, invoice)");
    }

    @Test
    void shouldRefuseBothAnOutputDirectoryAndACluster() {
        LeakwatchCommandTest.Result r = leakwatch("import", "--mapping", "m.yaml", "--input", "x.csv", "--out", "d",
                "--bootstrap-servers", "localhost:9092");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("mutually exclusive");
    }
}
