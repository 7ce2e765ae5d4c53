package io.leakwatch.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A mapping is checked whole before any row is read; each mistake is one message naming the key. */
class ImportMappingTest {
    private static final String MINIMAL = """
            record: invoice_line
            currency_default: USD
            columns:
              invoice_id: invoice
              account_id: customer
              service: product
              unit_rate: price
              service_period_start: from
              service_period_end: to
              issued_at: issued
            """;

    private static void refused(String yaml, String message) {
        assertThatThrownBy(() -> ImportMapping.parse(yaml)).isInstanceOf(MappingException.class).hasMessage(message);
    }

    @Test
    void shouldReadAMappingWithOnlyTheFieldsThatCannotBeDerived() {
        ImportMapping mapping = ImportMapping.parse(MINIMAL);

        assertThat(mapping.record()).isEqualTo("invoice_line");
        assertThat(mapping.columns()).containsExactly("invoice", "customer", "product", "from", "to", "price", "issued");
    }

    @Test
    void shouldNameAnUnknownKeyAndTheKnownOnes() {
        refused(MINIMAL.replace("columns:", "colums:"), "colums: unknown key (known here: columns, constants, csv,"
                + " currency_default, dates, numbers, record)");
        refused(MINIMAL + "dates: {format: iso}\n", "dates.format: unknown key (known here: formats, zone)");
    }

    @Test
    void shouldNameAFieldTheRecordDoesNotHave() {
        refused(MINIMAL + "  amount: total\n", "columns.amount: an invoice_line has no field 'amount' (its fields:"
                + " invoice_id, line_id, account_id, service, service_period_start, service_period_end, quantity,"
                + " unit_rate, line_total, currency, issued_at, due_at, description)");
    }

    @Test
    void shouldRefuseAMissingOrUnknownRecordKind() {
        refused("columns: {}\n", "record: missing; say what each row is: contract, invoice_line, usage, payment,"
                + " provisioning");
        refused(MINIMAL.replace("invoice_line", "invoice"), "record: 'invoice' is not one of contract, invoice_line,"
                + " usage, payment, provisioning");
    }

    @Test
    void shouldRefuseARequiredFieldWithoutSource() {
        refused(MINIMAL.replace("  issued_at: issued\n", ""), "columns.issued_at: not mapped; an invoice_line needs it"
                + " (map a column, a template or a constant)");
        refused(MINIMAL.replace("currency_default: USD\n", ""), "columns.currency: not mapped and no currency_default;"
                + " map the currency column or set currency_default: USD (or another ISO-4217 code)");
        refused(MINIMAL.replace("  unit_rate: price\n", ""), "columns.unit_rate: neither unit_rate nor line_total is"
                + " mapped; an invoice line needs at least one (the other is derived with the quantity)");
    }

    @Test
    void shouldRefuseFormatsZonesAndSeparatorsThatCannotWork() {
        refused(MINIMAL + "dates: {formats: [\"dd.MM.yyyyy{\"]}\n",
                "dates.formats: 'dd.MM.yyyyy{' is not a date pattern (Pattern includes reserved character: '{');"
                        + " see java.time.format.DateTimeFormatter, or use iso, epoch_seconds, epoch_millis");
        refused(MINIMAL + "dates: {zone: Mars/Olympus}\n",
                "dates.zone: 'Mars/Olympus' is not a time zone (UTC, Europe/Berlin, +02:00, ...)");
        refused(MINIMAL + "numbers: {decimal_separator: \",\", grouping_separator: \",\"}\n",
                "numbers.grouping_separator: ',' must be one of , . space ' _ and differ from the decimal separator");
        refused(MINIMAL + "csv: {separator: \";;\"}\n", "csv.separator: ';;' is not one character");
        refused(MINIMAL.replace("USD", "EURO"), "currency_default: 'EURO' is not an ISO-4217 currency");
    }

    @Test
    void shouldRefuseOptionsThatDoNotFitTheField() {
        refused(MINIMAL.replace("service: product", "service: {column: product, format: iso}"),
                "columns.service: format, zone and plus are for dates, and service is not one");
        refused(MINIMAL.replace("unit_rate: price", "unit_rate: {column: price, plus: P1D}"),
                "columns.unit_rate: format, zone and plus are for dates, and unit_rate is not one");
        refused(MINIMAL.replace("issued_at: issued", "issued_at: {column: issued, minor_units: true}"),
                "columns.issued_at.minor_units: only for amounts, and issued_at is not one");
        refused(MINIMAL.replace("service_period_end: to", "service_period_end: {column: to, plus: 1 day}"),
                "columns.service_period_end.plus: '1 day' is not a period such as P1D (one day) or P1M (one month)");
        refused(MINIMAL.replace("service: product", "service: {column: product, template: \"{product}\"}"),
                "columns.service: give exactly one of column and template");
    }

    @Test
    void shouldRefuseAConstantThatIsNotAValueOfItsField() {
        refused(MINIMAL.replace("  unit_rate: price\n", "") + "constants:\n  unit_rate: cheap\n",
                "constants.unit_rate: unit_rate: 'cheap' is not a number with decimal separator '.' and no grouping");
        refused(MINIMAL + "constants:\n  service: seats\n",
                "constants.service: the field is also under columns; give it one source");
    }

    @Test
    void shouldRefuseTheLineNumberOutsideInvoiceLines() {
        refused("""
                record: usage
                columns:
                  usage_id: "{line#}"
                  account_id: a
                  service: s
                  quantity: q
                  occurred_at: t
                """, "columns.usage_id: {line#} counts the lines of an invoice; use {row#} for a usage");
    }

    @Test
    void shouldRefuseTextThatIsNotAMappingAsYaml() {
        assertThatThrownBy(() -> ImportMapping.parse("record: [invoice_line\n")).isInstanceOf(MappingException.class)
                .hasMessageStartingWith("not YAML: ");
        refused("- record: invoice_line\n", "the mapping must be a set of keys (record, columns, ...), not array");
    }

    @Test
    void shouldReadSeveralImportsEachWithItsFileAndTheSharedKeysItDoesNotSetItself() {
        List<ImportMapping.Entry> entries = ImportMapping.parseAll("""
                numbers: {decimal_separator: ","}
                currency_default: EUR
                imports:
                  - file: tariffs.csv
                    record: contract
                    columns: {account_id: a, service: s, unit_rate: r, effective_from: f}
                  - file: usage.csv
                    record: usage
                    numbers: {decimal_separator: "."}
                    columns: {account_id: a, service: s, quantity: q, occurred_at: t}
                """);

        assertThat(entries).extracting(ImportMapping.Entry::file).containsExactly("tariffs.csv", "usage.csv");
        assertThat(entries.get(0).mapping().record()).isEqualTo("contract");
        assertThat(entries.get(0).mapping().currencyDefault).isEqualTo("EUR");
        assertThat(entries.get(0).mapping().numbers.decimal()).isEqualTo(',');
        assertThat(entries.get(1).mapping().numbers.decimal()).isEqualTo('.');
    }

    @Test
    void shouldNameTheImportWhoseKeyIsWrong() {
        refused("""
                imports:
                  - file: a.csv
                    record: usage
                    columns: {account_id: a, service: s, quantity: q, occurred_at: t}
                  - record: usage
                    columns: {account_id: a, service: s, quantity: q, occurred_at: t}
                """, "imports[2].file: missing; name the CSV this import reads");
        assertThatThrownBy(() -> ImportMapping.parseAll("""
                imports:
                  - file: a.csv
                    record: usage
                    columns: {account_id: a, service: s, quantity: q, occurred: t}
                """)).isInstanceOf(MappingException.class).hasMessageStartingWith(
                "imports[1].columns.occurred: a usage has no field 'occurred'");
        assertThatThrownBy(() -> ImportMapping.parseAll("""
                imports:
                  - record: usage
                    columns: {account_id: a, service: s, quantity: q, occurred_at: t}
                """)).isInstanceOf(MappingException.class)
                .hasMessage("imports[1].file: missing; name the CSV this import reads");
        assertThatThrownBy(() -> ImportMapping.parseAll("record: usage\nimports: []\n"))
                .isInstanceOf(MappingException.class).hasMessageStartingWith("record: unknown key");
    }
}
