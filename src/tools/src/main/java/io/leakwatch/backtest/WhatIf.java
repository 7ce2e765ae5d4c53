package io.leakwatch.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.app.TextTable;
import io.leakwatch.events.Alert;
import io.leakwatch.money.MoneyFormat;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Two replays of the same history under two configurations (thresholds, detector switches, model versions), side by
 * side: per alert type how many alerts stand and how much money they put at risk on each side (the sum of the
 * amounts' sizes per currency, as the query API sums them) (with labels, precision
 * and recall too), and the alerts only one side raised or that both raised differently. Alerts are matched by
 * {@code alert_id}, which names the finding (type, account, evidence), not the configuration that found it.
 */
public final class WhatIf {
    /** The base side's name in tables and files. */
    public static final String BASE = "base";
    /** The other side's name in tables and files. */
    public static final String WHAT_IF = "what-if";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One side: the standing alerts of its replay and, when labels were given, its scorecard (else null). */
    public record Side(String config, List<Alert> alerts, Scorecard score) {
        public Side {
            alerts = List.copyOf(alerts);
        }
    }

    /** One alert type on both sides: alerts standing and money at risk per currency. */
    public record TypeRow(String type, int baseAlerts, SortedMap<String, BigDecimal> baseMoney,
                          int whatIfAlerts, SortedMap<String, BigDecimal> whatIfMoney) {
    }

    /** An alert only one side raised ({@code side} is that side) or both raised with other content ({@code "both"}). */
    public record Difference(String side, Alert alert, Alert other) {
    }

    private final Side base;
    private final Side whatIf;
    private final List<TypeRow> rows;
    private final List<Difference> differences;

    private WhatIf(Side base, Side whatIf, List<TypeRow> rows, List<Difference> differences) {
        this.base = base;
        this.whatIf = whatIf;
        this.rows = rows;
        this.differences = differences;
    }

    public static WhatIf compare(Side base, Side whatIf) {
        Map<String, Alert> left = byId(base.alerts());
        Map<String, Alert> right = byId(whatIf.alerts());
        SortedSet<String> types = new TreeSet<>();
        base.alerts().forEach(a -> types.add(a.getType()));
        whatIf.alerts().forEach(a -> types.add(a.getType()));
        List<TypeRow> rows = new ArrayList<>();
        for (String type : types) {
            List<Alert> l = ofType(base.alerts(), type);
            List<Alert> r = ofType(whatIf.alerts(), type);
            rows.add(new TypeRow(type, l.size(), money(l), r.size(), money(r)));
        }
        List<Difference> differences = new ArrayList<>();
        left.forEach((id, a) -> {
            Alert b = right.get(id);
            if (b == null) {
                differences.add(new Difference(BASE, a, null));
            } else if (!sameFinding(a, b)) {
                differences.add(new Difference("both", a, b));
            }
        });
        right.forEach((id, b) -> {
            if (!left.containsKey(id)) {
                differences.add(new Difference(WHAT_IF, b, null));
            }
        });
        differences.sort(Comparator.comparing((Difference d) -> d.alert().getType())
                .thenComparing(d -> d.alert().getAlertId()));
        return new WhatIf(base, whatIf, List.copyOf(rows), List.copyOf(differences));
    }

    public List<TypeRow> rows() {
        return rows;
    }

    public List<Difference> differences() {
        return differences;
    }

    /** The alerts only {@code side} ({@link #BASE} or {@link #WHAT_IF}) raised. */
    public List<Alert> onlyIn(String side) {
        return differences.stream().filter(d -> d.side().equals(side)).map(Difference::alert).toList();
    }

    /** Alerts both sides raised for the same finding with another amount, severity or explanation. */
    public List<Difference> changed() {
        return differences.stream().filter(d -> d.side().equals("both")).toList();
    }

    /** The side-by-side table and the first {@code limit} differences, for the console. */
    public String toTable(int limit) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("base:    %s%nwhat-if: %s%n%n", base.config(), whatIf.config()));
        boolean scored = base.score() != null && whatIf.score() != null;
        TextTable table = new TextTable().left("type").right("base").left("base money at risk")
                .right("what-if").left("what-if money at risk");
        if (scored) {
            table.right("base P/R").right("what-if P/R");
        }
        for (TypeRow row : rows) {
            List<Object> cells = new ArrayList<>(List.of(row.type(), row.baseAlerts(), money(row.baseMoney()),
                    row.whatIfAlerts(), money(row.whatIfMoney())));
            if (scored) {
                cells.add(precisionRecall(base.score(), row.type()));
                cells.add(precisionRecall(whatIf.score(), row.type()));
            }
            table.row(cells.toArray());
        }
        out.append(table.render());
        List<Alert> onlyBase = onlyIn(BASE);
        List<Alert> onlyWhatIf = onlyIn(WHAT_IF);
        out.append(String.format("%nonly the base raised %,d alert(s)%s; only the what-if raised %,d%s; %,d raised by"
                        + " both with other content%n", onlyBase.size(), total(onlyBase), onlyWhatIf.size(),
                total(onlyWhatIf), changed().size()));
        differences.stream().limit(limit).forEach(d -> out.append(String.format("  %-7s %s %s %s  %s%n", d.side(),
                d.alert().getType(), d.alert().getAccountId(), d.alert().getEvidenceKey(),
                d.other() == null ? MoneyFormat.format(d.alert().getAmount(), d.alert().getCurrency())
                        : MoneyFormat.format(d.alert().getAmount(), d.alert().getCurrency()) + " -> "
                        + MoneyFormat.format(d.other().getAmount(), d.other().getCurrency()) + " ("
                        + d.alert().getSeverity() + " -> " + d.other().getSeverity() + ")")));
        if (differences.size() > limit) {
            out.append(String.format("  ... and %,d more%n", differences.size() - limit));
        }
        return out.toString();
    }

    /** The comparison as JSON: both configs, the per-type rows, the counts of differences. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("base_config", base.config());
        root.put("what_if_config", whatIf.config());
        ArrayNode types = root.putArray("types");
        for (TypeRow row : rows) {
            ObjectNode node = types.addObject();
            node.put("type", row.type());
            side(node.putObject(BASE), row.baseAlerts(), row.baseMoney(), base.score(), row.type());
            side(node.putObject(WHAT_IF), row.whatIfAlerts(), row.whatIfMoney(), whatIf.score(), row.type());
        }
        ObjectNode counts = root.putObject("differences");
        counts.put("only_base", onlyIn(BASE).size());
        counts.put("only_what_if", onlyIn(WHAT_IF).size());
        counts.put("changed", changed().size());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One JSON line per difference, ordered by type and alert id: the same history gives the same file. */
    public void writeDifferences(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Difference d : differences) {
                ObjectNode line = JSON.createObjectNode();
                line.put("alert_id", d.alert().getAlertId());
                line.put("side", d.side());
                line.put("type", d.alert().getType());
                line.put("account_id", d.alert().getAccountId());
                line.put("evidence_key", d.alert().getEvidenceKey());
                alertFields(line, d.side().equals(WHAT_IF) ? WHAT_IF : BASE, d.alert());
                if (d.other() != null) {
                    alertFields(line, WHAT_IF, d.other());
                }
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        }
    }

    private static void alertFields(ObjectNode line, String side, Alert a) {
        ObjectNode node = line.putObject(side);
        node.put("amount", MoneyFormat.plain(a.getAmount()));
        node.put("currency", a.getCurrency());
        node.put("severity", String.valueOf(a.getSeverity()));
        node.put("explanation", a.getExplanation());
    }

    private static void side(ObjectNode node, int alerts, SortedMap<String, BigDecimal> money, Scorecard score,
                             String type) {
        node.put("alerts", alerts);
        ObjectNode perCurrency = node.putObject("money_at_risk");
        money.forEach((currency, amount) -> perCurrency.put(currency, MoneyFormat.plain(amount)));
        Scorecard.TypeScore s = score == null ? null : score.perType().get(type);
        if (s != null) {
            node.put("precision", s.precision());
            node.put("recall", s.recall());
        }
    }

    private static String precisionRecall(Scorecard score, String type) {
        Scorecard.TypeScore s = score.perType().get(type);
        return s == null ? "-" : String.format(Locale.ROOT, "%.2f/%.2f", s.precision(), s.recall());
    }

    /** Same finding, same words and money: only the lifecycle bookkeeping (revision, times) may differ. */
    private static boolean sameFinding(Alert a, Alert b) {
        return a.getAmount().compareTo(b.getAmount()) == 0
                && Objects.equals(a.getCurrency(), b.getCurrency())
                && Objects.equals(a.getSeverity(), b.getSeverity())
                && Objects.equals(a.getExplanation(), b.getExplanation());
    }

    private static Map<String, Alert> byId(List<Alert> alerts) {
        return alerts.stream().collect(Collectors.toMap(Alert::getAlertId, Function.identity(), (x, y) -> y, TreeMap::new));
    }

    private static List<Alert> ofType(List<Alert> alerts, String type) {
        return alerts.stream().filter(a -> a.getType().equals(type)).toList();
    }

    private static SortedMap<String, BigDecimal> money(List<Alert> alerts) {
        SortedMap<String, BigDecimal> perCurrency = new TreeMap<>();
        // an over-billing (negative) is as much at risk as an under-billing: they never net out
        alerts.forEach(a -> perCurrency.merge(a.getCurrency(), a.getAmount().abs(), BigDecimal::add));
        return perCurrency;
    }

    private static String money(SortedMap<String, BigDecimal> perCurrency) {
        return perCurrency.isEmpty() ? "-" : perCurrency.entrySet().stream()
                .map(e -> MoneyFormat.format(e.getValue(), e.getKey()))
                .collect(Collectors.joining("; "));
    }

    private static String total(List<Alert> alerts) {
        return alerts.isEmpty() ? "" : " (" + money(money(alerts)) + ")";
    }
}
