package io.leakwatch.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows in, records out as the topology accepts them; every other row in the rejects file with its number and reason. */
class CsvImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINES = """
            record: invoice_line
            currency_default: USD
            columns:
              invoice_id: invoice
              account_id: customer
              service: product
              description: description
              quantity: qty
              unit_rate: price
              service_period_start: from
              service_period_end: to
              issued_at: issued
            """;
    private static final String HEADER = "invoice,customer,product,description,qty,price,from,to,issued\n";

    @TempDir
    Path dir;

    private ImportResult run(String mapping, String csv) throws IOException {
        Path input = dir.resolve("export.csv");
        Files.writeString(input, csv, StandardCharsets.UTF_8);
        return new CsvImport(ImportMapping.parse(mapping)).run(input, dir.resolve("out"), dir.resolve("rejects.csv"),
                Progress.silent());
    }

    private List<JsonNode> records(ImportResult result) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(result.output())) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    @Test
    void shouldKeepCommasQuotesAndLineBreaksInsideQuotedCells() throws IOException {
        ImportResult result = run(LINES, HEADER
                + "inv-1,\"Acme, Inc.\",seats,\"12 seats\nincl. \"\"admin\"\" seat\",12,25,2026-01-01,2026-02-01,2026-02-01\n");

        List<JsonNode> records = records(result);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("account_id").asText()).isEqualTo("Acme, Inc.");
        assertThat(records.get(0).get("description").asText()).isEqualTo("12 seats\nincl. \"admin\" seat");
        assertThat(result.rejected()).isZero();
        assertThat(result.rejectsFile()).isNull();
        assertThat(dir.resolve("rejects.csv")).doesNotExist();
    }

    @Test
    void shouldNumberTheLinesOfEachInvoiceAndDeriveTheTotal() throws IOException {
        ImportResult result = run(LINES, HEADER
                + "inv-1,acct-1,seats,,12,25.5,2026-01-01,2026-02-01,2026-02-01\n"
                + "inv-2,acct-2,seats,,3,0.333,2026-01-01,2026-02-01,2026-02-01\n"
                + "inv-1,acct-1,support,,1,199,2026-01-01,2026-02-01,2026-02-01\n");

        List<JsonNode> records = records(result);
        assertThat(records).extracting(r -> r.get("invoice_id").asText() + "/" + r.get("line_id").asText())
                .containsExactly("inv-1/1", "inv-2/1", "inv-1/2");
        assertThat(records).extracting(r -> r.get("line_total").asText()).containsExactly("306", "1", "199");
        assertThat(records.get(0).get("currency").asText()).isEqualTo("USD");
        assertThat(records.get(0).get("issued_at").asText()).isEqualTo("2026-02-01T00:00:00Z");
    }

    @Test
    void shouldRejectEachBadRowWithItsNumberAndReasonAndImportTheRest() throws IOException {
        ImportResult result = run(LINES, HEADER
                + "inv-1,acct-1,seats,,12,25,2026-01-01,2026-02-01,2026-02-01\n"
                + "inv-2,acct-1,seats,,12,twenty,2026-01-01,2026-02-01,2026-02-01\n"
                + "inv-3,acct-1,seats,,-4,25,2026-01-01,2026-02-01,2026-02-01\n"     // a credit: imported
                + "inv-4,acct-1,seats,,1,25,2026-02-01,2026-01-01,2026-02-01\n"
                + ",,,,,,,,\n"
                + "inv-5,\"Acme, Inc.\",seats,,1,25,01/02/2026,2026-02-01,2026-02-01\n"
                + "inv-6,acct-1,seats,,1,25,2026-01-01,2026-02-01,2026-02-01,extra\n"
                + "inv-7,acct-1,,,1,25,2026-01-01,2026-02-01,2026-02-01\n");

        assertThat(result.rowsRead()).isEqualTo(8);
        assertThat(result.blankRows()).isEqualTo(1);
        assertThat(result.records()).isEqualTo(2);
        assertThat(result.rejected()).isEqualTo(5);
        assertThat(Files.readAllLines(dir.resolve("rejects.csv"))).containsExactly(
                "row,reason,invoice,customer,product,description,qty,price,from,to,issued",
                "3,unit_rate: 'twenty' is not a number with decimal separator '.' and no grouping,inv-2,acct-1,seats,,12,twenty,"
                        + "2026-01-01,2026-02-01,2026-02-01",
                "5,service_period_end must be after service_period_start,inv-4,acct-1,seats,,1,25,2026-02-01,2026-01-01,"
                        + "2026-02-01",
                "7,service_period_start: '01/02/2026' is not a date in the format iso,inv-5,\"Acme, Inc.\",seats,,1,25,"
                        + "01/02/2026,2026-02-01,2026-02-01",
                "8,\"the row has 10 cells, the header 9 columns (a separator inside a cell that is not quoted?)\",inv-6,"
                        + "acct-1,seats,,1,25,2026-01-01,2026-02-01,\"2026-02-01,extra\"",
                "9,missing required field 'service',inv-7,acct-1,,,1,25,2026-01-01,2026-02-01,2026-02-01");
    }

    @Test
    void shouldReadSemicolonsDecimalCommasDayMonthYearAndAnInclusiveEnd() throws IOException {
        ImportResult result = run("""
                record: invoice_line
                csv: {separator: ";"}
                dates: {formats: ["dd.MM.yyyy"]}
                numbers: {decimal_separator: ",", grouping_separator: "."}
                currency_default: EUR
                columns:
                  invoice_id: Nr
                  line_id: "{Nr}-{row#}"
                  account_id: Kunde
                  service: Artikel
                  quantity: Menge
                  line_total: Betrag
                  service_period_start: Von
                  service_period_end: {column: Bis, plus: P1D}
                  issued_at: Datum
                """, "Nr;Kunde;Artikel;Menge;Betrag;Von;Bis;Datum\n"
                + "R-1;\"Schmidt; Partner\";Storage;2.500;1.234,50;01.01.2026;31.01.2026;01.02.2026\n");

        JsonNode line = records(result).get(0);
        assertThat(line.get("line_id").asText()).isEqualTo("R-1-2");
        assertThat(line.get("account_id").asText()).isEqualTo("Schmidt; Partner");
        assertThat(line.get("quantity").asText()).isEqualTo("2500");
        assertThat(line.get("line_total").asText()).isEqualTo("1234.5");
        assertThat(line.get("unit_rate").asText()).isEqualTo("0.4938");
        assertThat(line.get("service_period_end").asText()).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(line.get("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void shouldGatherTheRowsOfAContractAndEndAnOpenPriceWhereTheNextStarts() throws IOException {
        ImportResult result = run("""
                record: contract
                columns:
                  account_id: customer
                  service: product
                  unit_rate: price
                  currency: currency
                  effective_from: from
                """, "customer,product,price,currency,from\n"
                + "acct-1,seats,20,usd,2026-01-01\n"
                + "acct-2,seats,30,usd,2026-01-01\n"
                + "acct-1,seats,22,usd,2026-03-01\n"
                + "acct-1,support,199,usd,2026-02-01\n");

        List<JsonNode> contracts = records(result);
        assertThat(contracts).hasSize(2);
        JsonNode first = contracts.get(0);
        assertThat(first.get("contract_id").asText()).isEqualTo("acct-1");
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("signed_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(first.get("lines")).extracting(l -> l.get("service").asText() + " " + l.get("unit_rate").asText()
                + " " + l.get("effective_from").asText().substring(0, 10) + ".." + l.get("effective_to").asText())
                .containsExactly("seats 20 2026-01-01..2026-03-01T00:00:00Z", "seats 22 2026-03-01..null",
                        "support 199 2026-02-01..null");
        assertThat(first.get("lines").get(0).get("currency").asText()).isEqualTo("USD");
    }

    @Test
    void shouldRejectEveryRowOfAContractThatIsNotValid() throws IOException {
        ImportResult result = run("""
                record: contract
                columns:
                  account_id: customer
                  service: product
                  unit_rate: price
                  currency: currency
                  effective_from: from
                """, "customer,product,price,currency,from\n"
                + "acct-1,seats,20,usd,2026-01-01\n"
                + "acct-1,support,199,usx,2026-01-01\n"
                + "acct-2,seats,30,usd,2026-01-01\n");

        assertThat(result.records()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("rejects.csv"))).containsExactly(
                "row,reason,customer,product,price,currency,from",
                "2,contract acct-1 version 1: lines[1].currency 'USX' is not an ISO-4217 currency,acct-1,seats,20,usd,2026-01-01",
                "3,contract acct-1 version 1: lines[1].currency 'USX' is not an ISO-4217 currency,acct-1,support,199,usx,2026-01-01");
    }

    @Test
    void shouldReadAmountsInCentsWithTheRowsCurrencyAndMapStatusWords() throws IOException {
        ImportResult result = run("""
                record: payment
                dates: {formats: [epoch_seconds]}
                columns:
                  payment_id: id
                  account_id: customer
                  invoice_id: invoice
                  amount: {column: amount, minor_units: true}
                  currency: currency
                  status: {column: status, values: {paid: SUCCEEDED, failed: FAILED}}
                  attempted_at: created
                """, "id,customer,invoice,amount,currency,status,created\n"
                + "py_1,cus_1,in_1,12550,usd,paid,1767225600\n"
                + "py_2,cus_1,in_1,1000,jpy,failed,1767225600\n"
                + "py_3,cus_1,in_1,1000,usd,lost,1767225600\n");

        List<JsonNode> payments = records(result);
        assertThat(payments).extracting(p -> p.get("amount").asText() + " " + p.get("currency").asText() + " "
                + p.get("status").asText()).containsExactly("125.5 USD SUCCEEDED", "1000 JPY FAILED");
        assertThat(Files.readAllLines(dir.resolve("rejects.csv")).get(1))
                .startsWith("4,\"status: 'lost' is not one of SUCCEEDED, FAILED, PENDING, REFUNDED, CREDITED, UNKNOWN");
    }

    @Test
    void shouldCountAnEmptyLineAsABlankRowSoRowNumbersStayThoseOfTheFile() throws IOException {
        ImportResult result = run(LINES, HEADER
                + "\n"
                + "inv-1,acct-1,seats,,12,x,2026-01-01,2026-02-01,2026-02-01\n");

        assertThat(result.blankRows()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("rejects.csv")).get(1)).startsWith("3,");
    }

    @Test
    void shouldLeaveAnEarlierOutputAsItIsWhenTheCsvLacksAMappedColumn() throws IOException {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/invoices.jsonl"), "{\"kept\":true}\n");

        assertThatThrownBy(() -> run(LINES, "invoice\ninv-1\n")).isInstanceOf(MappingException.class);
        assertThat(dir.resolve("out/invoices.jsonl")).hasContent("{\"kept\":true}");
    }

    @Test
    void shouldRefuseAMappingThatNamesAColumnTheCsvLacks() {
        assertThatThrownBy(() -> run(LINES, "invoice,customer,product\ninv-1,a,b\n"))
                .isInstanceOf(MappingException.class)
                .hasMessage("columns.service_period_start: column 'from'; columns.service_period_end: column 'to';"
                        + " columns.quantity: column 'qty'; columns.unit_rate: column 'price'; columns.issued_at: column"
                        + " 'issued'; columns.description: column 'description' are not in the header of export.csv"
                        + " (its columns: invoice, customer, product)");
    }
}
