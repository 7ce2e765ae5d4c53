package io.leakwatch.app.query;

import io.leakwatch.account.AccountSummary;
import io.leakwatch.account.AccountView;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the overview page shows, Kafka-free: one instance's part, gathered from its stores, and the parts of several
 * instances added together (every figure is a count or a sum, so the whole is the sum of the parts; the top accounts
 * are each instance's candidates ranked again).
 * <pre>
 * alerts by month   : for each month of detected_at (UTC) and type, #alerts that stand (status ≠ WITHDRAWN), each alert
 *                     counted once, at the revision last written
 * alerts by status  : #alerts per status, withdrawn ones too
 * money at risk     : per currency, Σ |amount| of the findings still open (OPEN, ACKNOWLEDGED), never converted; the
 *                     predictions (HIGH_LEAKAGE_RISK, HIGH_CHURN_RISK) carry an expected amount, not money found, and
 *                     are left out
 * open alerts       : #alerts still open, predictions included
 * dead letters      : records this process's topology wrote to the dead-letter topic since it started, per reason
 *                     (null when the process does not count them)
 * top accounts      : by money at risk in each currency, and by risk (null while risk scoring is off)
 * </pre>
 */
record Overview(SortedMap<String, SortedMap<String, Long>> byMonth, SortedMap<String, Long> byStatus,
                SortedMap<String, BigDecimal> moneyAtRisk, long openAlerts, SortedMap<String, Long> deadLetters,
                List<AccountSummary> topByMoney, List<AccountSummary> topByRisk) {
    /** How many accounts each top list shows. */
    static final int TOP = 10;
    /** The statuses whose money is still at risk: nobody has resolved them or called them wrong. */
    static final Set<AlertStatus> OPEN = Set.of(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED);

    /**
     * One instance's part.
     *
     * @param alerts      every alert its stores hold, as last written
     * @param summaries   the ranking row of every account it holds
     * @param scoring     whether risk scoring is on
     * @param deadLetters its dead letters by reason, or null when not counted
     */
    static Overview of(Collection<Alert> alerts, List<AccountSummary> summaries, boolean scoring,
                       Map<String, Long> deadLetters) {
        SortedMap<String, SortedMap<String, Long>> byMonth = new TreeMap<>();
        SortedMap<String, Long> byStatus = new TreeMap<>();
        List<Alert> openAlerts = new ArrayList<>();
        long open = 0;
        for (Alert a : alerts) {
            byStatus.merge(a.getStatus().name(), 1L, Long::sum);
            if (a.getStatus() != AlertStatus.WITHDRAWN) {
                String month = YearMonth.from(a.getDetectedAt().atOffset(ZoneOffset.UTC)).toString();
                byMonth.computeIfAbsent(month, m -> new TreeMap<>()).merge(a.getType(), 1L, Long::sum);
            }
            if (OPEN.contains(a.getStatus())) {
                open++;
                openAlerts.add(a);
            }
        }
        return new Overview(byMonth, byStatus, new TreeMap<>(AccountView.moneyAtRisk(openAlerts)), open,
                deadLetters == null ? null : new TreeMap<>(deadLetters), topByMoney(summaries),
                scoring ? AccountSummary.topByRisk(summaries, TOP) : null);
    }

    /** The accounts of the top {@value #TOP} by money at risk in any currency. */
    private static List<AccountSummary> topByMoney(Collection<AccountSummary> rows) {
        Set<String> currencies = new TreeSet<>();
        rows.forEach(r -> currencies.addAll(r.moneyAtRisk().keySet()));
        List<AccountSummary> top = new ArrayList<>();
        for (String currency : currencies) {
            for (AccountSummary row : AccountSummary.topByMoneyAtRisk(rows, currency, TOP)) {
                if (!top.contains(row)) {
                    top.add(row);
                }
            }
        }
        return top;
    }

    /** This part and {@code other} together (two instances' stores hold different accounts, so nothing is counted twice). */
    Overview plus(Overview other) {
        SortedMap<String, SortedMap<String, Long>> months = new TreeMap<>();
        for (Overview part : List.of(this, other)) {
            part.byMonth.forEach((month, types) -> types.forEach((type, n) ->
                    months.computeIfAbsent(month, m -> new TreeMap<>()).merge(type, n, Long::sum)));
        }
        SortedMap<String, Long> statuses = new TreeMap<>(byStatus);
        other.byStatus.forEach((s, n) -> statuses.merge(s, n, Long::sum));
        SortedMap<String, BigDecimal> money = new TreeMap<>(moneyAtRisk);
        other.moneyAtRisk.forEach((c, m) -> money.merge(c, m, BigDecimal::add));
        SortedMap<String, Long> dead = null;
        if (deadLetters != null || other.deadLetters != null) {
            dead = new TreeMap<>();
            for (Overview part : List.of(this, other)) {
                if (part.deadLetters != null) {
                    SortedMap<String, Long> sum = dead;
                    part.deadLetters.forEach((r, n) -> sum.merge(r, n, Long::sum));
                }
            }
        }
        List<AccountSummary> byMoney = new ArrayList<>(topByMoney);
        byMoney.addAll(other.topByMoney);
        List<AccountSummary> byRisk = null;
        if (topByRisk != null && other.topByRisk != null) {
            byRisk = new ArrayList<>(topByRisk);
            byRisk.addAll(other.topByRisk);
            byRisk = AccountSummary.topByRisk(byRisk, TOP);
        }
        return new Overview(months, statuses, money, openAlerts + other.openAlerts, dead, topByMoney(byMoney), byRisk);
    }

    /** A part as it travels to the instance that gathers the overview; {@link #fromPart} reads it back. */
    Map<String, Object> toPart() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("by_month", byMonth);
        m.put("by_status", byStatus);
        Map<String, String> money = new TreeMap<>();
        moneyAtRisk.forEach((c, a) -> money.put(c, a.toPlainString()));
        m.put("money_at_risk", money);
        m.put("open_alerts", openAlerts);
        m.put("dead_letters", deadLetters);
        m.put("top_by_money", topByMoney.stream().map(AccountSummary::toJson).toList());
        m.put("top_by_risk", topByRisk == null ? null : topByRisk.stream().map(AccountSummary::toJson).toList());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Overview fromPart(Map<String, Object> m) {
        SortedMap<String, SortedMap<String, Long>> months = new TreeMap<>();
        ((Map<String, Map<String, Number>>) m.get("by_month")).forEach((month, types) -> types.forEach((type, n) ->
                months.computeIfAbsent(month, k -> new TreeMap<>()).put(type, n.longValue())));
        SortedMap<String, BigDecimal> money = new TreeMap<>();
        ((Map<String, String>) m.get("money_at_risk")).forEach((c, a) -> money.put(c, new BigDecimal(a)));
        Map<String, Number> dead = (Map<String, Number>) m.get("dead_letters");
        List<Map<String, Object>> byRisk = (List<Map<String, Object>>) m.get("top_by_risk");
        return new Overview(months, counts((Map<String, Number>) m.get("by_status")), money,
                ((Number) m.get("open_alerts")).longValue(), dead == null ? null : counts(dead),
                ((List<Map<String, Object>>) m.get("top_by_money")).stream().map(AccountSummary::fromJson).toList(),
                byRisk == null ? null : byRisk.stream().map(AccountSummary::fromJson).toList());
    }

    private static SortedMap<String, Long> counts(Map<String, Number> m) {
        SortedMap<String, Long> out = new TreeMap<>();
        m.forEach((k, n) -> out.put(k, n.longValue()));
        return out;
    }

    /**
     * The answer of {@code GET /api/overview}: the months from the first to the last with an alert (months between
     * without one count 0), each type's count per month in that order; money as decimal strings with currency.
     */
    Map<String, Object> toJson() {
        List<String> months = new ArrayList<>();
        if (!byMonth.isEmpty()) {
            YearMonth last = YearMonth.parse(byMonth.lastKey());
            for (YearMonth m = YearMonth.parse(byMonth.firstKey()); !m.isAfter(last); m = m.plusMonths(1)) {
                months.add(m.toString());
            }
        }
        SortedMap<String, List<Long>> perType = new TreeMap<>();
        byMonth.values().forEach(types -> types.keySet().forEach(t -> perType.put(t, new ArrayList<>())));
        for (String month : months) {
            Map<String, Long> counts = byMonth.getOrDefault(month, new TreeMap<>());
            perType.forEach((type, series) -> series.add(counts.getOrDefault(type, 0L)));
        }
        Map<String, Object> alertsByMonth = new LinkedHashMap<>();
        alertsByMonth.put("months", months);
        alertsByMonth.put("types", perType);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alerts_by_month", alertsByMonth);
        body.put("alerts_by_status", byStatus);
        body.put("open_alerts", openAlerts);
        body.put("money_at_risk", moneyAtRisk.entrySet().stream()
                .map(e -> AccountView.money(e.getValue(), e.getKey())).toList());
        if (deadLetters == null) {
            body.put("dead_letters", null);
        } else {
            Map<String, Object> dead = new LinkedHashMap<>();
            dead.put("total", deadLetters.values().stream().mapToLong(Long::longValue).sum());
            dead.put("by_reason", deadLetters);
            body.put("dead_letters", dead);
        }
        Map<String, Object> byMoney = new LinkedHashMap<>();
        Set<String> currencies = new TreeSet<>();
        topByMoney.forEach(r -> currencies.addAll(r.moneyAtRisk().keySet()));
        for (String currency : currencies) {
            byMoney.put(currency, AccountSummary.topByMoneyAtRisk(topByMoney, currency, TOP).stream()
                    .map(AccountSummary::toJson).toList());
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("by_money_at_risk", byMoney);
        top.put("by_risk", topByRisk == null ? null : topByRisk.stream().map(AccountSummary::toJson).toList());
        body.put("top_accounts", top);
        return body;
    }
}
