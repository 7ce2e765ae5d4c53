package io.leakwatch.backtest;

import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetTest {
    @TempDir
    Path dir;

    private static FeatureSnapshot snapshot(String account, String asOf, String revenue) {
        double[] values = new double[Feature.values().length];
        Arrays.fill(values, 0.5);
        return new FeatureSnapshot(account, Instant.parse(asOf), "USD", new BigDecimal(revenue), values);
    }

    private static TrainingSet.LabelRow label(String type, String account, String amount, String currency, String period) {
        return new TrainingSet.LabelRow(type, account, new BigDecimal(amount), currency, YearMonth.parse(period));
    }

    /** Writes the file and reads it back as CSV: the rows after the header, cell by cell. */
    private List<String[]> write(List<FeatureSnapshot> snapshots, List<TrainingSet.LabelRow> labels, String last)
            throws IOException {
        Path csv = dir.resolve("features.csv");
        TrainingSet.write(snapshots, labels, Instant.parse(last), csv);
        try (MappingIterator<String[]> rows = new CsvMapper().readerFor(String[].class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(csv.toFile())) {
            List<String[]> all = rows.readAll();
            assertThat(all.get(0)).containsExactlyElementsOf(TrainingSet.columns());
            return all.subList(1, all.size());
        }
    }

    private static String[] targets(String[] row) {
        return Arrays.copyOfRange(row, row.length - 4, row.length);
    }

    @Test
    void shouldLabelTheNextPeriodsLeakageInTheAccountCurrencyIgnoringRevenueMovesAndUnattributedRevenue() throws IOException {
        List<String[]> rows = write(List.of(snapshot("a", "2024-03-01T00:00:00Z", "200.00")), List.of(
                label("RATE_MISMATCH", "a", "30", "USD", "2024-03"),
                label("DUPLICATE_CHARGE", "a", "-10", "USD", "2024-03"),
                label("UNBILLED_USAGE", "a", "99", "EUR", "2024-03"),        // another currency: counts, no amount
                label("REVENUE_DROP", "a", "500", "USD", "2024-03"),
                label("UNATTRIBUTED_REVENUE", "a", "500", "USD", "2024-03"),
                label("RATE_MISMATCH", "a", "7", "USD", "2024-02")),          // the period that just ended
                "2024-12-31T00:00:00Z");
        assertThat(rows.get(0)[2]).isEqualTo("2024-02");
        assertThat(targets(rows.get(0))).containsExactly("1", "40", "0.2", "0");
    }

    @Test
    void shouldMarkChurnWithinTheNextThreePeriods() throws IOException {
        List<String[]> rows = write(List.of(snapshot("a", "2024-03-01T00:00:00Z", "100"),
                snapshot("a", "2024-02-01T00:00:00Z", "100"), snapshot("a", "2024-01-01T00:00:00Z", "100")),
                List.of(label("CHURN", "a", "100", "USD", "2024-04")), "2024-12-31T00:00:00Z");
        // sorted by as_of: periods 2023-12 (next 3: Jan..Mar), 2024-01 (Feb..Apr), 2024-02 (Mar..May)
        assertThat(rows).extracting(r -> r[r.length - 1]).containsExactly("0", "1", "1");
        assertThat(rows).extracting(r -> r[r.length - 4]).containsOnly("0");   // churn is not leakage
    }

    @Test
    void shouldLeaveTheLabelsEmptyWhenTheDataEndsBeforeTheHorizon() throws IOException {
        // period 2024-02, next period March: known from 2024-04-01 + 40 days; churn through May: from 2024-06-01
        List<String[]> rows = write(List.of(snapshot("a", "2024-03-01T00:00:00Z", "0")), List.of(),
                "2024-05-11T00:00:00Z");
        assertThat(targets(rows.get(0))).containsExactly("0", "0", "", "");   // no revenue: no ratio
        rows = write(List.of(snapshot("a", "2024-03-01T00:00:00Z", "100")), List.of(), "2024-05-10T23:59:59Z");
        assertThat(targets(rows.get(0))).containsExactly("", "", "", "");
    }

    @Test
    void shouldWriteFeatureValuesAsFloats() throws IOException {
        List<String[]> rows = write(List.of(snapshot("a", "2024-03-01T00:00:00Z", "100")), List.of(), "2024-12-31T00:00:00Z");
        assertThat(rows.get(0)[5]).isEqualTo("0.5");
        assertThat(rows.get(0)).hasSize(5 + Feature.values().length + 4);
    }

    @Test
    void shouldWriteTheSameBytesAsEverForTheSameInput() throws IOException {
        // Given an account whose first feature is tiny (Java's float text: 1.0E-4) and whose next period's leakage
        // is known, and one without revenue (no ratio); churn is not known yet for either
        double[] values = snapshot("acct-1", "2024-03-01T00:00:00Z", "200.00").values();
        values[0] = 1e-4;
        FeatureSnapshot tiny = new FeatureSnapshot("acct-1", Instant.parse("2024-03-01T00:00:00Z"), "USD",
                new BigDecimal("200.00"), values);
        List<FeatureSnapshot> snapshots = List.of(snapshot("acct-2", "2024-03-01T00:00:00Z", "0"), tiny);

        // When the file is written
        Path csv = dir.resolve("features.csv");
        TrainingSet.write(snapshots, List.of(label("RATE_MISMATCH", "acct-1", "30", "USD", "2024-03")),
                Instant.parse("2024-05-11T00:00:00Z"), csv);

        // Then it holds exactly these bytes: models/ fingerprints the file by its sha256
        String halves = String.join(",", Collections.nCopies(Feature.values().length - 1, "0.5"));
        assertThat(Files.readString(csv)).isEqualTo(String.join(",", TrainingSet.columns()) + "\n"
                + "acct-1,2024-03-01T00:00:00Z,2024-02,USD,200.00,1.0E-4," + halves + ",1,30,0.15,\n"
                + "acct-2,2024-03-01T00:00:00Z,2024-02,USD,0,0.5," + halves + ",0,0,,\n");
    }

    @Test
    void shouldQuoteAnAccountIdWithACommaAndKeepEveryOtherCellAsItIs() throws IOException {
        List<String[]> rows = write(List.of(snapshot("Acme, Inc.", "2024-03-01T00:00:00Z", "200.00")), List.of(),
                "2024-03-05T00:00:00Z");

        assertThat(rows.get(0)).hasSize(TrainingSet.columns().size());
        assertThat(rows.get(0)[0]).isEqualTo("Acme, Inc.");
        assertThat(Files.readAllLines(dir.resolve("features.csv")).get(1))
                .startsWith("\"Acme, Inc.\",2024-03-01T00:00:00Z,2024-02,USD,200.00,");
    }
}
