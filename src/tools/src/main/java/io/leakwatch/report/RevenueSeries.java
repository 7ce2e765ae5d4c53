package io.leakwatch.report;

import io.leakwatch.contracts.ContractBook;
import io.leakwatch.detect.baseline.LinePrices;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.ingest.Validators;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every account's monthly revenue from an {@code invoices.jsonl} file, aggregated exactly as the topology does
 * ({@link RevenueHistory}: Σ line_total by the month of service_period_start, the account's first currency, lines
 * without an account or with an invalid record skipped), but unbounded so a chart shows the whole history.
 */
public final class RevenueSeries {
    private RevenueSeries() {
    }

    public static Map<String, RevenueHistory> read(Path invoicesFile) throws IOException {
        return read(invoicesFile, null);
    }

    /**
     * The series with each line's price effect ({@link LinePrices}) under the account's contracts as the processor
     * would hold them when it reads the line: of each contract, the newest version signed at or before the line's
     * issue time. The
     * chart's baseline is then the one the rule judged by, past months restated at each month's prices.
     *
     * @param contractsFile {@code contracts.jsonl}, or null when there is none (no price effects)
     */
    public static Map<String, RevenueHistory> read(Path invoicesFile, Path contractsFile) throws IOException {
        Map<String, Map<String, TreeMap<java.time.Instant, Contract>>> contracts = contracts(contractsFile);
        JsonEventCodec<InvoiceLine> codec = new JsonEventCodec<>(EventType.INVOICE_LINE);
        Map<String, RevenueHistory> histories = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(invoicesFile, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                if (text.isBlank()) {
                    continue;
                }
                InvoiceLine line;
                try {
                    line = codec.decode(text);
                } catch (EventDecodingException e) {
                    continue;
                }
                if (line.getAccountId() == null || !Validators.INVOICE_LINE.problems(line).isEmpty()) {
                    continue;
                }
                RevenueHistory h = histories.computeIfAbsent(line.getAccountId(),
                        a -> new RevenueHistory(line.getCurrency(), 10_000));
                if (h.currency().equals(line.getCurrency())) {
                    ContractBook held = new ContractBook();
                    contracts.getOrDefault(line.getAccountId(), Map.of()).values().forEach(versions -> {
                        var version = versions.floorEntry(line.getIssuedAt());
                        if (version != null) {
                            held.add(version.getValue());
                        }
                    });
                    var priced = LinePrices.effect(held, line);
                    h.add(BillingPeriod.of(line.getServicePeriodStart()).month(), line.getLineTotal(),
                            priced.map(RevenueHistory.PriceEffect::atPrices).orElse(null),
                            priced.map(RevenueHistory.PriceEffect::atPriorPrices).orElse(null));
                }
            }
        }
        return histories;
    }

    /** Each account's contracts, each one's versions by signing time (the later version of two signed at once). */
    private static Map<String, Map<String, TreeMap<java.time.Instant, Contract>>> contracts(Path file)
            throws IOException {
        Map<String, Map<String, TreeMap<java.time.Instant, Contract>>> contracts = new TreeMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return contracts;
        }
        JsonEventCodec<Contract> codec = new JsonEventCodec<>(EventType.CONTRACT);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                if (text.isBlank()) {
                    continue;
                }
                Contract c;
                try {
                    c = codec.decode(text);
                } catch (EventDecodingException e) {
                    continue;
                }
                if (c.getAccountId() == null || !Validators.CONTRACT.problems(c).isEmpty()) {
                    continue;
                }
                contracts.computeIfAbsent(c.getAccountId(), a -> new TreeMap<>())
                        .computeIfAbsent(c.getContractId(), id -> new TreeMap<>())
                        .merge(c.getSignedAt(), c, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
            }
        }
        return contracts;
    }

    /**
     * {@code history} with the months of its SPIKE and DROP anomalies marked, as the processor marked them: the
     * rule leaves those months out of every later baseline (known outliers, already reported), so a chart of the
     * baseline must leave them out too, or it draws a baseline and normal range the rule never compared against.
     */
    public static RevenueHistory withPointAnomalies(RevenueHistory history, List<Anomaly> anomalies) {
        Map<YearMonth, RevenueHistory.Mark> marks = new TreeMap<>(history.marks());
        for (Anomaly a : anomalies) {
            if (a.type().equals("REVENUE_SPIKE")) {
                marks.put(a.period(), RevenueHistory.Mark.SPIKE);
            } else if (a.type().equals("REVENUE_DROP")) {
                marks.put(a.period(), RevenueHistory.Mark.DROP);
            }
        }
        return RevenueHistory.restore(history.currency(), history.capacity(), history.first(), history.judgedThrough(),
                history.recorded(), marks, history.priceEffects());
    }
}
