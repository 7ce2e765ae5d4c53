package io.leakwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyReportTest {
    private static final YearMonth MARCH = YearMonth.of(2025, 3);

    @TempDir
    Path dir;

    private static Anomaly anomaly(String account, YearMonth period, String type, String severity, double score,
                                   String revenue, String baseline, String percent, String amount, String currency) {
        return new Anomaly(account, period, type, severity, score, new BigDecimal(revenue), new BigDecimal(baseline),
                new BigDecimal(percent), String.format(Locale.ROOT, "%.2f", score), new BigDecimal(amount),
                currency, period.toString(), period + " vs " + period.minusMonths(6) + ".." + period.minusMonths(1));
    }

    // Given four anomalies, listed out of rank order:
    //   acct-low-amount  HIGH      score 6.0, 100 at risk
    //   acct-critical    CRITICAL  score 5.0
    //   acct-high-amount HIGH      score 6.0, 500 at risk (a spike: negative amount, ranked by its size)
    //   acct-strong      HIGH      score 7.0, and a second, weaker anomaly of its own
    private static final List<Anomaly> ANOMALIES = List.of(
            anomaly("acct-low-amount", MARCH, "REVENUE_DROP", "HIGH", 6.0, "900", "1000", "-10.0", "100", "USD"),
            anomaly("acct-critical", MARCH, "REVENUE_DROP", "CRITICAL", 5.0, "0", "52070.79", "-100.0", "52070.79", "EUR"),
            anomaly("acct-high-amount", MARCH, "REVENUE_SPIKE", "HIGH", 6.0, "1500", "1000", "50.0", "-500", "USD"),
            anomaly("acct-strong", MARCH, "REVENUE_DROP", "HIGH", 7.0, "0", "628648", "-100.0", "628648", "JPY"),
            anomaly("acct-strong", MARCH.minusMonths(2), "REVENUE_SPIKE", "LOW", 3.1, "1200", "1000", "20.0", "-200", "JPY"));

    @Test
    void shouldRankBySeverityThenScoreThenAmountAtRisk() {
        AnomalyReport report = new AnomalyReport(ANOMALIES);

        assertThat(report.ranked()).extracting(Anomaly::accountId)
                .containsExactly("acct-critical", "acct-strong", "acct-high-amount", "acct-low-amount", "acct-strong");
    }

    @Test
    void shouldListEachTopAccountOnceInRankOrder() {
        AnomalyReport report = new AnomalyReport(ANOMALIES);

        assertThat(report.topAccounts(2)).containsExactly("acct-critical", "acct-strong");
        assertThat(report.topAccounts(10))
                .containsExactly("acct-critical", "acct-strong", "acct-high-amount", "acct-low-amount");
    }

    @Test
    void shouldPrintTheTopRowsWithMoneyInTheirCurrencyAndSignedPercentages() {
        List<String> lines = new AnomalyReport(ANOMALIES).table(3).lines().toList();

        assertThat(lines).hasSize(1 + 3);
        assertThat(lines.get(0)).startsWith("rank  account").contains("revenue", "baseline", "vs base", "score");
        assertThat(lines.get(1)).startsWith("   1  acct-critical").contains("DROP", "CRITICAL", "EUR 0.00",
                "EUR 52,070.79", "-100.0%", "5.00");
        assertThat(lines.get(2)).startsWith("   2  acct-strong").contains("JPY 628,648");
        assertThat(lines.get(3)).startsWith("   3  acct-high-amount").contains("SPIKE", "USD 1,500.00", "+50.0%");
    }

    @Test
    void shouldWriteEveryAnomalyToTheCsvInRankOrderWithPlainAmounts() throws IOException {
        Path file = new AnomalyReport(ANOMALIES).writeCsv(dir.resolve("out"));

        assertThat(file).isEqualTo(dir.resolve("out").resolve("anomalies.csv"));
        CsvMapper csv = new CsvMapper();
        try (MappingIterator<List<String>> lines = csv.readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(file.toFile())) {
            assertThat(lines.next()).containsExactlyElementsOf(AnomalyReport.COLUMNS);
        }
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            rows = it.readAll();
        }
        assertThat(rows).extracting(r -> r.get("rank")).containsExactly("1", "2", "3", "4", "5");
        assertThat(rows).extracting(r -> r.get("account_id"))
                .containsExactly("acct-critical", "acct-strong", "acct-high-amount", "acct-low-amount", "acct-strong");
        assertThat(rows.get(0)).containsEntry("period", "2025-03").containsEntry("type", "REVENUE_DROP")
                .containsEntry("severity", "CRITICAL").containsEntry("severity_score", "5.00")
                .containsEntry("revenue", "0").containsEntry("baseline_mean", "52070.79")
                .containsEntry("percent_vs_baseline", "-100.0").containsEntry("z", "5.00")
                .containsEntry("amount", "52070.79").containsEntry("currency", "EUR")
                .containsEntry("evidence_key", "2025-03").containsEntry("months", "2025-03 vs 2024-09..2025-02");
        assertThat(rows.get(2)).containsEntry("amount", "-500").containsEntry("revenue", "1500");
    }

    @Test
    void shouldWriteOnlyTheHeaderWhenThereAreNoAnomalies() throws IOException {
        Path file = new AnomalyReport(List.of()).writeCsv(dir);

        assertThat(Files.readString(file)).isEqualTo(String.join(",", AnomalyReport.COLUMNS) + "\n");
    }

    @Test
    void shouldQuoteAnAccountNameWithACommaSoTheCsvKeepsItsColumns() throws IOException {
        Anomaly acme = anomaly("Acme, Inc.", MARCH, "REVENUE_DROP", "HIGH", 6.0, "900", "1000", "-10.0", "100", "USD");

        Path file = new AnomalyReport(List.of(acme)).writeCsv(dir);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(1)).startsWith("1,\"Acme, Inc.\",2025-03,REVENUE_DROP,HIGH,");
        try (com.fasterxml.jackson.databind.MappingIterator<String[]> rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                .readerFor(String[].class).with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(file.toFile())) {
            List<String[]> all = rows.readAll();
            assertThat(all.get(1)).hasSize(AnomalyReport.COLUMNS.size());
            assertThat(all.get(1)[1]).isEqualTo("Acme, Inc.");
        }
    }

    @Test
    void shouldWidenTheAccountColumnToTheLongestNameInsteadOfCuttingIt() {
        Anomaly acme = anomaly("Acme, Inc. (EMEA holding, former Globex)", MARCH, "REVENUE_DROP", "HIGH", 6.0, "900",
                "1000", "-10.0", "100", "USD");
        Anomaly short_ = anomaly("a1", MARCH, "REVENUE_DROP", "HIGH", 5.0, "900", "1000", "-10.0", "100", "USD");

        List<String> lines = new AnomalyReport(List.of(acme, short_)).table(10).lines().toList();

        int period = lines.get(1).indexOf("2025-03");
        assertThat(lines.get(1)).contains("Acme, Inc. (EMEA holding, former Globex)  2025-03");
        assertThat(lines.get(2).indexOf("2025-03")).isEqualTo(period);
        assertThat(lines.get(0).indexOf("period")).isEqualTo(period);
    }
}
