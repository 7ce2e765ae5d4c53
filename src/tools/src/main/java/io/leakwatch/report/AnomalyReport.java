package io.leakwatch.report;

import io.leakwatch.money.MoneyFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The ranked anomaly list: a printed table, a CSV file, and which accounts the chart shows. */
public final class AnomalyReport {
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

    public String table(int top) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%4s  %-12s %-7s %-8s %-8s %18s %18s %9s %7s%n", "rank", "account",
                "period", "type", "severity", "revenue", "baseline", "vs base", "score"));
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            Anomaly a = ranked.get(i);
            out.append(String.format(Locale.ROOT, "%4d  %-12s %-7s %-8s %-8s %18s %18s %8s%% %7.2f%n", i + 1,
                    a.accountId(), a.period(), a.shortType(), a.severity(), MoneyFormat.format(a.revenue(), a.currency()),
                    MoneyFormat.format(a.baseline(), a.currency()), signed(a.percentVsBaseline().toPlainString()),
                    a.severityScore()));
        }
        return out.toString();
    }

    public Path writeCsv(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("anomalies.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("rank,account_id,period,type,severity,severity_score,revenue,baseline_mean,percent_vs_baseline,"
                    + "z,amount,currency,evidence_key,months\n");
            for (int i = 0; i < ranked.size(); i++) {
                Anomaly a = ranked.get(i);
                out.write(String.join(",", Integer.toString(i + 1), a.accountId(), a.period().toString(), a.type(),
                        a.severity(), String.format(Locale.ROOT, "%.2f", a.severityScore()), plain(a.revenue()),
                        plain(a.baseline()), a.percentVsBaseline().toPlainString(), a.z(), plain(a.amount()),
                        a.currency(), a.evidenceKey(), a.months()));
                out.write('\n');
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
