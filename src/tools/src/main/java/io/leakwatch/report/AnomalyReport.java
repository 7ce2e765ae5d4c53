package io.leakwatch.report;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.leakwatch.app.TextTable;
import io.leakwatch.money.MoneyFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The ranked anomaly list: a printed table, a CSV file, and which accounts the chart shows. */
public final class AnomalyReport {
    /** The columns of {@code anomalies.csv}, in file order. */
    public static final List<String> COLUMNS = List.of("rank", "account_id", "period", "type", "severity",
            "severity_score", "revenue", "baseline_mean", "percent_vs_baseline", "z", "amount", "currency",
            "evidence_key", "months");
    /** Quotes a cell only when it must (by default Jackson also quotes every cell longer than 24 characters). */
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private final List<Anomaly> ranked;

    public AnomalyReport(List<Anomaly> anomalies) {
        this.ranked = new ArrayList<>(anomalies);
        this.ranked.sort(Anomaly.RANKING);
    }

    public List<Anomaly> ranked() {
        return ranked;
    }

    /** The accounts of the best-ranked anomalies, at most {@code n}, in rank order. */
    public List<String> topAccounts(int n) {
        Set<String> accounts = new LinkedHashSet<>();
        for (Anomaly a : ranked) {
            if (accounts.size() == n) {
                break;
            }
            accounts.add(a.accountId());
        }
        return new ArrayList<>(accounts);
    }

    /** The best-ranked {@code top} anomalies, columns as wide as their content (account names are not cut). */
    public String table(int top) {
        TextTable table = new TextTable().right("rank").left("account").left("period").left("type").left("severity")
                .right("revenue").right("baseline").right("vs base").right("score");
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            Anomaly a = ranked.get(i);
            table.row(i + 1, a.accountId(), a.period(), a.shortType(), a.severity(),
                    MoneyFormat.format(a.revenue(), a.currency()), MoneyFormat.format(a.baseline(), a.currency()),
                    signed(a.percentVsBaseline().toPlainString()) + "%",
                    String.format(Locale.ROOT, "%.2f", a.severityScore()));
        }
        return table.render();
    }

    /**
     * Writes {@code dir/anomalies.csv}: a header line, then every anomaly in rank order; amounts plain (no exponent,
     * no trailing zeros), the severity score to two places, evidence an alert lacks as an empty cell.
     */
    public Path writeCsv(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("anomalies.csv");
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        try (SequenceWriter out = CSV.writer(schema.build().withHeader())
                .writeValues(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (int i = 0; i < ranked.size(); i++) {
                Anomaly a = ranked.get(i);
                out.write(Arrays.asList(Integer.toString(i + 1), a.accountId(), a.period().toString(), a.type(),
                        a.severity(), String.format(Locale.ROOT, "%.2f", a.severityScore()), plain(a.revenue()),
                        plain(a.baseline()), a.percentVsBaseline().toPlainString(), a.z(), plain(a.amount()),
                        a.currency(), a.evidenceKey(), a.months()));
            }
        }
        return file;
    }

    private static String plain(java.math.BigDecimal v) {
        return MoneyFormat.plain(v);
    }

    private static String signed(String pct) {
        return pct.startsWith("-") ? pct : "+" + pct;
    }
}
