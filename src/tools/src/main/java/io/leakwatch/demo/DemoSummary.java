package io.leakwatch.demo;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.labels.LabelledFinding;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.app.TextTable;
import io.leakwatch.backtest.Scorecard;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.RevenueShapes;
import io.leakwatch.generator.World;
import io.leakwatch.money.MoneyFormat;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The demo's closing report: alerts by type with totals, the largest alerts explained, dead letters, and truth. */
final class DemoSummary {
    private DemoSummary() {
    }

    /**
     * @param log every record of the alerts topic; what stands at the end (the latest revision of each alert, OPEN)
     *            is what is summarised and judged against the generator's truth
     */
    static void print(PrintWriter out, AlertLog log, Map<String, Long> deadLetters, World world, int top) {
        List<Alert> alerts = log.standing();
        out.println();
        out.printf("== Alerts: %d standing, %d raised and later withdrawn, %d records on the alerts topic ==%n",
                alerts.size(), log.raisedThenWithdrawn(), log.records());
        out.println();
        out.println("== Standing alerts by type ==");
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Alert a : alerts) {
            counts.merge(a.getType(), 1, Integer::sum);
            totals.computeIfAbsent(a.getType(), t -> new TreeMap<>()).merge(a.getCurrency(), a.getAmount(), BigDecimal::add);
        }
        TextTable byType = new TextTable().left("").right("").left("").indent("  ");
        counts.forEach((type, n) -> byType.row(type, n, String.join(", ",
                totals.get(type).entrySet().stream().map(e -> MoneyFormat.format(e.getValue(), e.getKey())).toList())));
        out.print(byType.render(false));
        if (alerts.isEmpty()) {
            out.println("  (none)");
        }

        List<Alert> findings = alerts.stream().filter(a -> !AlertType.valueOf(a.getType()).isPrediction()).toList();
        // an account that left High and came back has one alert per crossing: show its latest per model
        Map<String, Alert> latestPrediction = new TreeMap<>();
        alerts.stream().filter(a -> AlertType.valueOf(a.getType()).isPrediction())
                .forEach(a -> latestPrediction.merge(a.getType() + "|" + a.getAccountId(), a,
                        (x, y) -> y.getEventTime().isAfter(x.getEventTime()) ? y : x));
        List<Alert> predictions = List.copyOf(latestPrediction.values());
        out.println();
        out.println("== Largest " + Math.min(top, findings.size()) + " findings ==");
        printLargest(out, findings, top);
        if (!predictions.isEmpty()) {
            out.println();
            out.println("== Accounts most at risk (model predictions, latest per account, largest revenue at stake first) ==");
            printLargest(out, predictions, top);
        }

        List<Alert> withdrawn = log.withdrawn();
        if (!withdrawn.isEmpty()) {
            out.println();
            out.println("== Withdrawn (" + withdrawn.size() + "; data that reached us later showed they no longer hold) ==");
            withdrawn.stream().limit(top).forEach(a -> {
                out.printf("  %s %s %s  %s%n", a.getType(), a.getAccountId(), a.getEvidenceKey(),
                        MoneyFormat.format(a.getAmount(), a.getCurrency()));
                out.println("    " + a.getStatusReason());
            });
        }

        out.println();
        long dead = deadLetters.values().stream().mapToLong(Long::longValue).sum();
        out.printf("== Dead-letter topic: %d records ==%n", dead);
        TextTable byReason = new TextTable().left("").right("").indent("  ");
        deadLetters.forEach((reason, n) -> byReason.row(reason, n));
        out.print(byReason.render(false));

        out.println();
        out.println("== What the generator injected ==");
        World.Counts c = world.counts();
        TextTable injected = new TextTable().left("").right("").left("").indent("  ");
        c.labelsByType().forEach((type, n) -> {
            if (!RevenueShapes.bookkeeping(type)) {
                injected.row(type, n, "injected");
            }
        });
        injected.row("bad records", c.badRecords(), "injected");
        out.print(injected.render(false));
        List<LabelledFinding> truth = world.labels().stream()
                .map(l -> new LabelledFinding(l.type(), l.accountId(), l.evidenceKey(), l.amount(), l.currency()))
                .toList();
        Scorecard score = Scorecard.score(alerts, truth).withLifecycle(log);
        out.println();
        out.print(score.toTable());
    }

    private static void printLargest(PrintWriter out, List<Alert> alerts, int top) {
        alerts.stream()
                .sorted(Comparator.comparing((Alert a) -> a.getAmount().abs()).reversed().thenComparing(Alert::getAlertId))
                .limit(top)
                .forEach(a -> {
                    out.printf("  [%s] %s %s  %s%n", a.getSeverity(), a.getType(), a.getAccountId(),
                            MoneyFormat.format(a.getAmount(), a.getCurrency()));
                    out.println("    " + a.getExplanation());
                    out.println("    -> " + a.getRecommendedAction());
                });
    }
}
