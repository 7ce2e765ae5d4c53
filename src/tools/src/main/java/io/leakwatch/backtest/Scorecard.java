package io.leakwatch.backtest;

import io.leakwatch.labels.LabelledFinding;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.app.TextTable;
import io.leakwatch.events.Alert;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores alerts against labels. An alert matches a label when type, account_id and evidence_key are equal
 * (the alert id is derived from exactly these, so at most one alert can match a label):
 * <pre>
 * tp = alerts with a matching label, fp = alerts without one, fn = labels without a matching alert
 * precision = tp / (tp + fp), recall = tp / (tp + fn), f1 = 2pr / (p + r)   (1.0 when the denominator is 0)
 * leakage_identified[currency] = sum of alert amounts; leakage_labelled[currency] = sum of label amounts
 * </pre>
 * A label whose evidence key names a month range ({@code erosion/2025-03..2026-02}) is matched by one alert of its
 * type and account whose key has the same prefix and a month inside the range ({@code erosion/2025-09}): the
 * decline a detector must see, not the month it is sure of it. A revenue alert (REVENUE_SPIKE, REVENUE_DROP,
 * REVENUE_EROSION) that matches no label and whose month lies in a {@value #UNJUDGED} range of its account
 * ({@code yyyy-MM..yyyy-MM}: revenue that moved for a reason that is not a finding of its own) is not scored.
 * Matched pairs whose amounts differ are counted in {@code amount_mismatches}. Labels whose type is not an alert
 * type (CHURN) are ignored, and so are
 * predictions (HIGH_LEAKAGE_RISK, HIGH_CHURN_RISK): they are about the future, and no label says what they should be.
 * So are the labels of a detector that was off because its input was missing ({@link InputCoverage}): it judged
 * nothing, and the report says so instead of counting its labels as missed.
 */
public final class Scorecard {
    /** Label type of months where no revenue alert is right or wrong (the generator's REVENUE_UNJUDGED). */
    public static final String UNJUDGED = "REVENUE_UNJUDGED";

    /** Counts for one alert type. */
    public record TypeScore(String type, int tp, int fp, int fn, int amountMismatches) {
        public double precision() {
            return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        }

        public double recall() {
            return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
        }
    }

    private final Map<String, TypeScore> perType;
    private final Map<String, BigDecimal> identified;
    private final Map<String, BigDecimal> labelled;

    private final InputCoverage coverage;

    private Scorecard(Map<String, TypeScore> perType, Map<String, BigDecimal> identified, Map<String, BigDecimal> labelled,
                      InputCoverage coverage) {
        this.perType = perType;
        this.identified = identified;
        this.labelled = labelled;
        this.coverage = coverage;
    }

    /** Every detector ran. */
    public static Scorecard score(List<Alert> alerts, List<LabelledFinding> labels) {
        return score(alerts, labels, null);
    }

    /** @param coverage the replay's inputs: the labels of a detector that was off are not scored */
    public static Scorecard score(List<Alert> alerts, List<LabelledFinding> labels, InputCoverage coverage) {
        List<LabelledFinding> unjudgedLabels = labels.stream().filter(l -> l.type().equals(UNJUDGED)).toList();
        labels = labels.stream().filter(label -> alertType(label.type()))
                .filter(label -> coverage == null || coverage.ran(label.type())).toList();
        alerts = alerts.stream().filter(alert -> !AlertType.valueOf(alert.getType()).isPrediction())
                .filter(alert -> coverage == null || coverage.ran(alert.getType())).toList();
        Map<String, LabelledFinding> byKey = new HashMap<>();
        Map<String, List<LabelledFinding>> ranged = new HashMap<>();
        Map<String, List<YearMonth[]>> unjudged = new HashMap<>();
        for (LabelledFinding label : labels) {
            YearMonth[] range = range(label.evidenceKey());
            if (range != null) {
                ranged.computeIfAbsent(label.type() + "|" + label.accountId() + "|" + prefix(label.evidenceKey()),
                        k -> new ArrayList<>()).add(label);
            }
            byKey.put(key(label.type(), label.accountId(), label.evidenceKey()), label);
        }
        for (LabelledFinding label : unjudgedLabels) {
            YearMonth[] range = range(label.evidenceKey());
            if (range != null) {
                unjudged.computeIfAbsent(label.accountId(), a -> new ArrayList<>()).add(range);
            }
        }
        Set<String> types = new TreeSet<>();
        Map<String, int[]> counts = new TreeMap<>();
        Set<String> matched = new HashSet<>();
        Map<String, BigDecimal> identified = new TreeMap<>();
        for (Alert alert : alerts) {
            String key = key(alert.getType(), alert.getAccountId(), alert.getEvidenceKey());
            LabelledFinding label = byKey.get(key);
            if (label == null || matched.contains(key)) {
                label = inRange(ranged, matched, alert);
                key = label == null ? key : key(label.type(), label.accountId(), label.evidenceKey());
            }
            if (label == null && revenue(alert.getType()) && within(unjudged.get(alert.getAccountId()),
                    month(alert.getEvidenceKey()))) {
                continue;
            }
            types.add(alert.getType());
            int[] c = counts.computeIfAbsent(alert.getType(), t -> new int[4]);
            if (label != null && matched.add(key)) {
                c[0]++;
                if (label.amount().compareTo(alert.getAmount()) != 0 || !label.currency().equals(alert.getCurrency())) {
                    c[3]++;
                }
            } else {
                c[1]++;
            }
            identified.merge(alert.getCurrency(), alert.getAmount(), BigDecimal::add);
        }
        Map<String, BigDecimal> labelled = new TreeMap<>();
        for (LabelledFinding label : labels) {
            types.add(label.type());
            if (!matched.contains(key(label.type(), label.accountId(), label.evidenceKey()))) {
                counts.computeIfAbsent(label.type(), t -> new int[4])[2]++;
            }
            labelled.merge(label.currency(), label.amount(), BigDecimal::add);
        }
        Map<String, TypeScore> perType = new TreeMap<>();
        for (String type : types) {
            int[] c = counts.getOrDefault(type, new int[4]);
            perType.put(type, new TypeScore(type, c[0], c[1], c[2], c[3]));
        }
        return new Scorecard(perType, identified, labelled, coverage);
    }

    /** Labels of other kinds (CHURN: a training target, not a finding) are not scored. */
    private static boolean alertType(String type) {
        for (io.leakwatch.alerts.AlertType t : io.leakwatch.alerts.AlertType.values()) {
            if (t.name().equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** The first unmatched label of the alert's type, account and key prefix whose month range holds its month. */
    private static LabelledFinding inRange(Map<String, List<LabelledFinding>> ranged, Set<String> matched, Alert alert) {
        YearMonth month = month(alert.getEvidenceKey());
        List<LabelledFinding> candidates = ranged.get(alert.getType() + "|" + alert.getAccountId() + "|"
                + prefix(alert.getEvidenceKey()));
        if (month == null || candidates == null) {
            return null;
        }
        for (LabelledFinding label : candidates) {
            YearMonth[] range = range(label.evidenceKey());
            if (!month.isBefore(range[0]) && !month.isAfter(range[1])
                    && !matched.contains(key(label.type(), label.accountId(), label.evidenceKey()))) {
                return label;
            }
        }
        return null;
    }

    private static boolean revenue(String type) {
        return type.equals(AlertType.REVENUE_SPIKE.name()) || type.equals(AlertType.REVENUE_DROP.name())
                || type.equals(AlertType.REVENUE_EROSION.name());
    }

    private static boolean within(List<YearMonth[]> ranges, YearMonth month) {
        return ranges != null && month != null
                && ranges.stream().anyMatch(r -> !month.isBefore(r[0]) && !month.isAfter(r[1]));
    }

    /** What comes before the month of an evidence key ({@code erosion/} of {@code erosion/2025-03}), or "". */
    private static String prefix(String evidenceKey) {
        int slash = evidenceKey.lastIndexOf('/');
        return slash < 0 ? "" : evidenceKey.substring(0, slash + 1);
    }

    /** The month after the last slash of an evidence key ({@code yyyy-MM}), or null when it is not one. */
    private static YearMonth month(String evidenceKey) {
        try {
            return YearMonth.parse(evidenceKey.substring(evidenceKey.lastIndexOf('/') + 1));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The months of a range key ({@code [prefix/]yyyy-MM..yyyy-MM}), or null when it is not one. */
    private static YearMonth[] range(String evidenceKey) {
        String last = evidenceKey.substring(evidenceKey.lastIndexOf('/') + 1);
        int dots = last.indexOf("..");
        if (dots < 0) {
            return null;
        }
        try {
            return new YearMonth[] {YearMonth.parse(last.substring(0, dots)), YearMonth.parse(last.substring(dots + 2))};
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String key(String type, String account, String evidenceKey) {
        return type + "|" + account + "|" + evidenceKey;
    }

    public Map<String, TypeScore> perType() {
        return perType;
    }

    public Map<String, BigDecimal> leakageIdentified() {
        return identified;
    }

    public Map<String, BigDecimal> leakageLabelled() {
        return labelled;
    }

    /**
     * {@code report.json}: per_type {tp, fp, fn, precision, recall, f1, amount_mismatches}, leakage per currency and,
     * when the inputs are known, detectors {TYPE: {ran, missing_inputs}}.
     */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode types = root.putObject("per_type");
        perType.forEach((type, s) -> {
            ObjectNode t = types.putObject(type);
            t.put("tp", s.tp());
            t.put("fp", s.fp());
            t.put("fn", s.fn());
            t.put("precision", round(s.precision()));
            t.put("recall", round(s.recall()));
            t.put("f1", round(s.f1()));
            t.put("amount_mismatches", s.amountMismatches());
        });
        if (lifecycle != null) {
            ObjectNode alerts = root.putObject("alerts");
            alerts.put("records", lifecycle.records());
            alerts.put("standing", lifecycle.standing().size());
            alerts.put("raised_then_withdrawn", lifecycle.raisedThenWithdrawn());
            Map<String, Map<io.leakwatch.events.AlertStatus, Long>> decided = lifecycle.decided();
            if (!decided.isEmpty()) {
                ObjectNode feedback = root.putObject("feedback");
                decided.forEach((type, counts) -> {
                    ObjectNode t = feedback.putObject(type);
                    io.leakwatch.alerts.AlertLog.DECIDED.forEach(status ->
                            t.put(status.name().toLowerCase(Locale.ROOT), counts.getOrDefault(status, 0L)));
                });
            }
        }
        if (coverage != null) {
            ObjectNode detectors = root.putObject("detectors");
            coverage.detectors().forEach((type, missing) -> {
                ObjectNode d = detectors.putObject(type);
                d.put("ran", missing.isEmpty());
                if (!missing.isEmpty()) {
                    missing.forEach(d.putArray("missing_inputs")::add);
                }
            });
        }
        ObjectNode found = root.putObject("leakage_identified");
        identified.forEach((c, a) -> found.put(c, a.stripTrailingZeros().toPlainString()));
        ObjectNode truth = root.putObject("leakage_labelled");
        labelled.forEach((c, a) -> truth.put(c, a.stripTrailingZeros().toPlainString()));
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same scorecard, reporting also how the alerts got to where they stand: records written, alerts standing,
     * alerts raised and later withdrawn (judged against labels only by what stands) and, when the inputs held alert
     * feedback, per type how many standing alerts people acknowledged, resolved and marked a false positive (beside
     * precision and recall: the rules' verdict is scored as it stands, people's word is counted, not substituted).
     */
    public Scorecard withLifecycle(io.leakwatch.alerts.AlertLog log) {
        Scorecard copy = new Scorecard(perType, identified, labelled, coverage);
        copy.lifecycle = log;
        return copy;
    }

    private io.leakwatch.alerts.AlertLog lifecycle;

    /** The table printed by {@code backtest --labels}. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        TextTable types = new TextTable().left("type").right("tp").right("fp").right("fn").right("precision")
                .right("recall").right("f1");
        perType.values().forEach(s -> types.row(s.type(), s.tp(), s.fp(), s.fn(), decimal4(s.precision()),
                decimal4(s.recall()), decimal4(s.f1())));
        out.append(types.render());
        if (lifecycle != null) {
            out.append(String.format("%nalerts: %,d standing (judged above), %,d raised and later withdrawn, %,d records%n",
                    lifecycle.standing().size(), lifecycle.raisedThenWithdrawn(), lifecycle.records()));
            Map<String, Map<io.leakwatch.events.AlertStatus, Long>> decided = lifecycle.decided();
            if (!decided.isEmpty()) {
                TextTable feedback = new TextTable().left("feedback").right("acknowledged").right("resolved")
                        .right("false positive");
                decided.forEach((type, counts) -> feedback.row(type,
                        counts.getOrDefault(io.leakwatch.events.AlertStatus.ACKNOWLEDGED, 0L),
                        counts.getOrDefault(io.leakwatch.events.AlertStatus.RESOLVED, 0L),
                        counts.getOrDefault(io.leakwatch.events.AlertStatus.FALSE_POSITIVE, 0L)));
                out.append(String.format("%n")).append(feedback.render());
            }
        }
        if (coverage != null) {
            out.append(detectorLines(coverage));
        }
        Set<String> currencies = new TreeSet<>(identified.keySet());
        currencies.addAll(labelled.keySet());
        TextTable leakage = new TextTable().left("leakage").right("identified").right("labelled");
        for (String c : currencies) {
            leakage.row(c, MoneyFormat.format(identified.getOrDefault(c, BigDecimal.ZERO), c),
                    MoneyFormat.format(labelled.getOrDefault(c, BigDecimal.ZERO), c));
        }
        out.append(String.format("%n")).append(leakage.render());
        return out.toString();
    }

    /** Which detectors ran and which were off, and why: the lines the backtest prints. */
    public static String detectorLines(InputCoverage coverage) {
        Map<AlertType, List<String>> off = coverage.off();
        if (off.isEmpty()) {
            return String.format("%ninputs: every input present, none turns a detector off%n");
        }
        StringBuilder out = new StringBuilder(String.format("%ndetectors ran: %s%n", String.join(", ",
                java.util.Arrays.stream(AlertType.values()).filter(t -> !off.containsKey(t)).map(Enum::name).toList())));
        TextTable lines = new TextTable().left("").left("");
        off.forEach((type, missing) -> lines.row(type, "needs " + String.join(", ", missing) + ", missing"));
        out.append(lines.indent("detector off: ").render(false));
        return out.toString();
    }

    private static String decimal4(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
