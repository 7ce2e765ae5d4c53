package io.leakwatch.account;

import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.detect.risk.RiskState;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import io.leakwatch.features.AccountFeatures;
import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.money.Currencies;
import io.leakwatch.scoring.RiskPolicy;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskScores;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One account as the query API shows it, shaped as a JSON-ready tree (ordered maps, lists, strings, numbers, null):
 * what a revenue analyst asks of an account. Kafka-free; the stores are read by the app, which hands the decoded state
 * and the account's open alerts in.
 * <pre>
 * as_of        the account's latest event or judgement (its position in event time)
 * contracts    the latest version of each contract held, by contract id, each rate line with
 *              in_force = effective_from &lt;= as_of &lt; effective_to
 * revenue      every month the baseline rule keeps: revenue, the rule's mark, and the trailing baseline it is judged
 *              against, the past restated at the month's contract prices: level, mean, std and band
 *              [level - z·s'_drop, level + z·s'] (z = the z threshold; s', s'_drop the floored deviations of
 *              {@link BaselineRule#baseline}), each to 4 decimals HALF_EVEN; the month is flagged outside the band
 *              when the move is also material
 * features     the feature snapshot as of just after as_of (when features are kept: scoring or snapshots on)
 * risk         the levels the account holds (with hysteresis), the scores last published to account-risk, and the
 *              models' scores of the current features with their top factors (when a scorer is given)
 * open_alerts  the findings that stand, each with its money at risk, explanation and recommended action, largest first
 * money_at_risk  Σ |amount| of the open alerts per currency (negative amounts are over-billing: a risk too)
 * </pre>
 * Money is a decimal string with its currency, never a floating-point number: {@code {"amount":"1200.00","currency":"EUR"}}.
 */
public final class AccountView {
    private AccountView() {
    }

    /** The account's full view. {@code scorer} null: no current scores (scoring is off). */
    public static Map<String, Object> of(AccountState state, List<Alert> openAlerts, BaselineRule rule,
                                         RiskScorer scorer) {
        Instant asOf = asOf(state);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("account_id", state.account());
        view.put("as_of", instant(asOf));
        view.put("contracts", state.contracts().stream().map(c -> contract(c, asOf)).toList());
        view.put("revenue", revenue(state.revenue(), rule));
        FeatureSnapshot snapshot = snapshot(state);
        view.put("features", features(snapshot));
        view.put("risk", scorer == null ? null : risk(state.risk(), snapshot, scorer));
        List<Alert> alerts = new ArrayList<>(openAlerts);
        alerts.sort(LARGEST_FIRST);
        view.put("money_at_risk", moneyList(moneyAtRisk(alerts)));
        view.put("open_alerts", alerts.stream().map(AccountView::alert).toList());
        return view;
    }

    /** Largest money at risk first, then by alert id: a stable order. */
    static final Comparator<Alert> LARGEST_FIRST = Comparator.<Alert, BigDecimal>comparing(a -> a.getAmount().abs())
            .reversed().thenComparing(Alert::getAlertId);

    /**
     * Σ |amount| of the findings among {@code alerts} per currency, currencies in code order. Predictions
     * (HIGH_LEAKAGE_RISK, HIGH_CHURN_RISK) are left out: their amount is an expected leakage or a year's revenue, not
     * money found at risk, and adding it would rank an account by what a model expects rather than what was found.
     */
    public static Map<String, BigDecimal> moneyAtRisk(List<Alert> alerts) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (Alert a : alerts) {
            if (!prediction(a.getType())) {
                sums.merge(a.getCurrency(), a.getAmount().abs(), BigDecimal::add);
            }
        }
        return sums;
    }

    private static boolean prediction(String type) {
        try {
            return io.leakwatch.alerts.AlertType.valueOf(type).isPrediction();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The instant the account's state stands at: its latest event or judgement; null for a state with neither. */
    static Instant asOf(AccountState state) {
        return state.position().time() == Long.MIN_VALUE ? null : Instant.ofEpochMilli(state.position().time());
    }

    private static FeatureSnapshot snapshot(AccountState state) {
        AccountFeatures features = state.features();
        Instant asOf = asOf(state);
        if (features == null || features.isEmpty() || asOf == null || features.currency() == null) {
            return null;
        }
        // a snapshot counts events strictly before its instant: one millisecond on includes the latest event
        return features.snapshot(state.account(), asOf.plusMillis(1));
    }

    private static Map<String, Object> contract(Contract contract, Instant asOf) {
        if (contract == null) {
            return null;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("contract_id", contract.getContractId());
        c.put("version", contract.getVersion());
        c.put("signed_at", instant(contract.getSignedAt()));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (RateLine line : contract.getLines()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("service", line.getService());
            l.put("unit", line.getUnit());
            l.put("unit_rate", money(line.getUnitRate(), line.getCurrency()));
            l.put("effective_from", instant(line.getEffectiveFrom()));
            l.put("effective_to", instant(line.getEffectiveTo()));
            l.put("in_force", asOf != null && !asOf.isBefore(line.getEffectiveFrom())
                    && (line.getEffectiveTo() == null || asOf.isBefore(line.getEffectiveTo())));
            l.put("committed_quantity", line.getCommittedQuantity() == null ? null
                    : plain(line.getCommittedQuantity()));
            List<Map<String, Object>> tiers = new ArrayList<>();
            for (Tier tier : line.getTiers()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("from_quantity", plain(tier.getFromQuantity()));
                t.put("unit_rate", money(tier.getUnitRate(), line.getCurrency()));
                tiers.add(t);
            }
            l.put("tiers", tiers);
            lines.add(l);
        }
        c.put("lines", lines);
        return c;
    }

    private static Map<String, Object> revenue(RevenueHistory history, BaselineRule rule) {
        if (history == null || history.last() == null) {
            return null;
        }
        String currency = history.currency();
        double z = rule.settings().zThreshold();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("currency", currency);
        r.put("first_month", history.first().toString());
        r.put("judged_through", history.judgedThrough() == null ? null : history.judgedThrough().toString());
        r.put("z_threshold", z);
        List<Map<String, Object>> months = new ArrayList<>();
        YearMonth oldest = history.last().minusMonths(history.capacity() - 1L);
        YearMonth from = history.first().isAfter(oldest) ? history.first() : oldest;
        for (YearMonth p = from; !p.isAfter(history.last()); p = p.plusMonths(1)) {
            Map<String, Object> m = new LinkedHashMap<>();
            BigDecimal revenue = history.revenue(p);
            m.put("month", p.toString());
            m.put("revenue", money(revenue, currency));
            m.put("judged", history.judgedThrough() != null && !p.isAfter(history.judgedThrough()));
            m.put("mark", history.mark(p).name());
            BaselineRule.Baseline b = rule.baseline(history.repricedTo(p), p);
            if (b == null) {
                m.put("baseline", null);
                m.put("z", null);
            } else {
                Map<String, Object> band = new LinkedHashMap<>();
                band.put("from", b.from().toString());
                band.put("to", b.to().toString());
                band.put("months", b.periods());
                band.put("level", money(statistic(b.median()), currency));
                band.put("mean", money(statistic(b.mean()), currency));
                band.put("std", money(decimal(b.std()), currency));
                band.put("lower", money(statistic(b.median()).subtract(decimal(z * b.effectiveDropStd())), currency));
                band.put("upper", money(statistic(b.median()).add(decimal(z * b.effectiveStd())), currency));
                band.put("restated_at_month_prices", b.repriced());
                m.put("baseline", band);
                double score = b.median().signum() > 0 ? b.z(revenue) : Double.NaN;
                m.put("z", round(score));
            }
            months.add(m);
        }
        r.put("months", months);
        return r;
    }

    private static Map<String, Object> features(FeatureSnapshot snapshot) {
        if (snapshot == null) {
            return null;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("as_of", instant(snapshot.asOf()));
        f.put("monthly_revenue", money(snapshot.monthlyRevenue(), snapshot.currency()));
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature feature : Feature.values()) {
            values.put(feature.featureName(), round(snapshot.value(feature)));
        }
        f.put("values", values);
        return f;
    }

    private static Map<String, Object> risk(RiskState state, FeatureSnapshot snapshot, RiskScorer scorer) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("risk_level", RiskPolicy.max(state.leakageLevel(), state.churnLevel()).name());
        r.put("leakage_level", state.leakageLevel().name());
        r.put("leakage_high_since", state.leakageHighSince() == null ? null : state.leakageHighSince().toString());
        r.put("churn_level", state.churnLevel().name());
        r.put("churn_high_since", state.churnHighSince() == null ? null : state.churnHighSince().toString());
        if (state.published() == null) {
            r.put("published", null);
        } else {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("scored_at", instant(Instant.ofEpochMilli(state.published().at())));
            p.put("leakage_probability", round(state.published().leakageProbability()));
            p.put("churn_probability", round(state.published().churnProbability()));
            r.put("published", p);
        }
        if (snapshot == null) {
            r.put("current", null);
        } else {
            RiskScores scores = scorer.score(List.of(snapshot)).get(0);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("as_of", instant(snapshot.asOf()));
            c.put("leakage_probability", round(scores.leakageProbability()));
            c.put("churn_probability", round(scores.churnProbability()));
            c.put("expected_leakage", scores.hasExpectedLeakage()
                    ? money(Currencies.round(snapshot.monthlyRevenue().multiply(decimal(scores.expectedLeakageRatio())),
                    snapshot.currency()), snapshot.currency()) : null);
            c.put("model_versions", scores.modelVersions());
            c.put("factors", scores.factors());
            r.put("current", c);
        }
        return r;
    }

    /** One alert as the account view shows it (its account is the view's). */
    public static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alert_id", a.getAlertId());
        m.put("type", a.getType());
        m.put("severity", a.getSeverity().name());
        m.put("status", a.getStatus().name());
        m.put("revision", a.getRevision());
        m.put("money_at_risk", money(a.getAmount(), a.getCurrency()));
        m.put("explanation", a.getExplanation());
        m.put("recommended_action", a.getRecommendedAction());
        m.put("status_reason", a.getStatusReason());
        m.put("evidence_key", a.getEvidenceKey());
        m.put("evidence", new TreeMap<>(a.getEvidence()));
        m.put("event_time", instant(a.getEventTime()));
        m.put("detected_at", instant(a.getDetectedAt()));
        return m;
    }

    /** {@code {"amount": "1200.00", "currency": "EUR"}}: at least the currency's minor unit digits, never fewer. */
    public static Map<String, Object> money(BigDecimal amount, String currency) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("amount", amount(amount, currency));
        m.put("currency", currency);
        return m;
    }

    /** A decimal string with at least the currency's minor unit digits (trailing zeros beyond them dropped). */
    public static String amount(BigDecimal amount, String currency) {
        int digits = Currencies.isKnown(currency) ? Currencies.minorUnitDigits(currency) : 2;
        BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < digits ? stripped.setScale(digits) : stripped).toPlainString();
    }

    static List<Map<String, Object>> moneyList(Map<String, BigDecimal> byCurrency) {
        return byCurrency.entrySet().stream().map(e -> money(e.getValue(), e.getKey())).toList();
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    static String instant(Instant t) {
        return t == null ? null : t.toString();
    }

    /** A statistic of amounts (a mean, a band edge) to 4 decimals, HALF_EVEN: the scale of every amount we store. */
    private static BigDecimal statistic(BigDecimal value) {
        return value.setScale(4, java.math.RoundingMode.HALF_EVEN);
    }

    private static BigDecimal decimal(double value) {
        return new BigDecimal(value).setScale(4, java.math.RoundingMode.HALF_EVEN);
    }

    /** A score or feature value to 6 decimals, what a person reads without binary noise; null when not finite. */
    static Double round(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.HALF_EVEN)
                .doubleValue() : null;
    }
}
