package io.leakwatch.backtest;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.labels.LabelledFinding;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code features.csv}: period-end snapshots joined with their labels (docs/risk-scoring.md, "Training data").
 *
 * <pre>
 * row = snapshot of account a at month boundary T; period P = the month before T
 * leakage label types = every labels.jsonl type except REVENUE_*, UNATTRIBUTED_REVENUE and CHURN, matched by `period`
 * leakage_next_period        = 1 when a has a leakage label of period P+1, else 0
 * leakage_next_period_amount = Σ |amount| of those labels in a's currency (money at risk either way)
 * leakage_next_period_ratio  = amount / monthly_revenue (empty when monthly_revenue = 0)
 * churn_next_3_periods       = 1 when a has a CHURN label whose period is P+1, P+2 or P+3, else 0
 * known when the data reaches far enough (L = last record timestamp of the replay):
 *   leakage of P+1: L &gt;= end(P+1) + {@value #LEAKAGE_SETTLE_DAYS} days (issue, 30-day terms, payment grace)
 *   churn of P+1..P+3: L &gt;= end(P+3)
 * otherwise the label cells are empty (not for training)
 * </pre>
 * Written with Jackson's CSV writer: comma-separated, a header line, {@code \n} line ends, a cell quoted only when it
 * holds a comma, a quote or a line break (never for the ids, dates and numbers this file has). {@link #row} writes
 * the numbers as text: decimals plain, features as Java's {@code float} text ({@code 0.5}, {@code 1.0E-4}), an empty
 * cell for an unknown label; the same input gives the same bytes ({@code models/} fingerprints the file by its
 * sha256).
 */
public final class TrainingSet {
    static final int LEAKAGE_SETTLE_DAYS = 40;
    public static final String CHURN = "CHURN";
    /** Quotes a cell only when it must (by default Jackson also quotes every cell longer than 24 characters). */
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    /** One label line, reduced to what the targets need. */
    public record LabelRow(String type, String accountId, BigDecimal amount, String currency, YearMonth period) {
    }

    private TrainingSet() {
    }

    /** True for a label that counts as leakage (not a revenue movement, not unattributed, not churn). */
    public static boolean leakageType(String type) {
        return !type.startsWith("REVENUE_") && !type.equals("UNATTRIBUTED_REVENUE") && !type.equals(CHURN);
    }

    public static List<LabelRow> readLabels(Path file) throws IOException {
        return LabelledFinding.readJsonLines(file, "a label with type, account_id, amount, currency and period (yyyy-MM)",
                n -> new LabelRow(LabelledFinding.text(n, "type"), LabelledFinding.text(n, "account_id"),
                        new BigDecimal(LabelledFinding.text(n, "amount")), LabelledFinding.text(n, "currency"),
                        YearMonth.parse(LabelledFinding.text(n, "period"))));
    }

    /** The columns, in file order: ids, every feature in catalog order, the labels. */
    public static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("account_id", "as_of", "period", "currency", "monthly_revenue"));
        for (Feature f : Feature.values()) {
            columns.add(f.featureName());
        }
        columns.addAll(List.of("leakage_next_period", "leakage_next_period_amount", "leakage_next_period_ratio",
                "churn_next_3_periods"));
        return columns;
    }

    /** The file's CSV schema: {@link #columns()} with a header line. */
    private static CsvSchema schema() {
        CsvSchema.Builder schema = CsvSchema.builder();
        columns().forEach(schema::addColumn);
        return schema.build().withHeader();
    }

    /** Writes the rows, sorted by as_of then account. Returns the number of rows. */
    public static int write(List<FeatureSnapshot> snapshots, List<LabelRow> labels, Instant lastRecord, Path csv)
            throws IOException {
        Map<String, List<LabelRow>> leakage = new HashMap<>();
        Set<String> churn = new HashSet<>();
        for (LabelRow l : labels) {
            if (l.type().equals(CHURN)) {
                churn.add(l.accountId() + "|" + l.period());
            } else if (leakageType(l.type())) {
                leakage.computeIfAbsent(l.accountId() + "|" + l.period(), k -> new ArrayList<>()).add(l);
            }
        }
        List<FeatureSnapshot> sorted = new ArrayList<>(snapshots);
        sorted.sort(Comparator.comparing(FeatureSnapshot::asOf).thenComparing(FeatureSnapshot::accountId));
        if (csv.getParent() != null) {
            Files.createDirectories(csv.getParent());
        }
        try (SequenceWriter out = CSV.writer(schema())
                .writeValues(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            for (FeatureSnapshot s : sorted) {
                out.write(row(s, leakage, churn, lastRecord));
            }
        }
        return sorted.size();
    }

    /** One row's cells, in {@link #columns()} order; an empty cell is an unknown label. */
    static List<String> row(FeatureSnapshot s, Map<String, List<LabelRow>> leakage, Set<String> churn,
                            Instant lastRecord) {
        YearMonth period = YearMonth.from(s.asOf().atZone(ZoneOffset.UTC)).minusMonths(1);
        List<String> row = new ArrayList<>(List.of(s.accountId(), s.asOf().toString(), period.toString(), s.currency(),
                s.monthlyRevenue().toPlainString()));
        for (Feature f : Feature.values()) {
            row.add(Float.toString((float) s.value(f)));
        }
        YearMonth next = period.plusMonths(1);
        if (lastRecord != null && !lastRecord.isBefore(end(next).plus(Duration.ofDays(LEAKAGE_SETTLE_DAYS)))) {
            BigDecimal amount = BigDecimal.ZERO;
            List<LabelRow> found = leakage.getOrDefault(s.accountId() + "|" + next, List.of());
            for (LabelRow l : found) {
                if (Objects.equals(l.currency(), s.currency())) {
                    amount = amount.add(l.amount().abs());
                }
            }
            row.add(found.isEmpty() ? "0" : "1");
            row.add(amount.toPlainString());
            row.add(s.monthlyRevenue().signum() > 0
                    ? Float.toString(amount.divide(s.monthlyRevenue(), MathContext.DECIMAL64).floatValue()) : "");
        } else {
            row.addAll(List.of("", "", ""));
        }
        if (lastRecord != null && !lastRecord.isBefore(end(period.plusMonths(3)))) {
            boolean churns = false;
            for (int i = 1; i <= 3; i++) {
                churns |= churn.contains(s.accountId() + "|" + period.plusMonths(i));
            }
            row.add(churns ? "1" : "0");
        } else {
            row.add("");
        }
        return row;
    }

    private static Instant end(YearMonth month) {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
