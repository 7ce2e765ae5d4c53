package io.leakwatch.account;

import io.leakwatch.detect.risk.RiskState;
import io.leakwatch.events.Alert;
import io.leakwatch.events.RiskLevel;
import io.leakwatch.scoring.RiskPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One account's row in a ranking: its risk and its money at risk. Kafka-free; rows travel between instances as the
 * JSON of {@link #toJson()} and are ranked again where they are gathered, so {@link #fromJson} reads back exactly what
 * {@link #toJson()} wrote.
 * <pre>
 * by risk          : risk_level (HIGH, MEDIUM, LOW), then leakage probability as last published, then churn
 *                    probability, highest first (never scored: last), then account id
 * by money at risk : Σ |amount| of the open alerts in one currency, highest first, then account id; accounts without
 *                    money at risk in that currency are not ranked (amounts in different currencies are never compared)
 * </pre>
 *
 * @param riskLevel          the higher of the leakage and churn levels; null when risk scoring is off
 * @param leakageProbability as last published to account-risk; null before the first publication
 * @param moneyAtRisk        Σ |amount| of the open alerts per currency (code order); empty when none is open
 */
public record AccountSummary(String accountId, Instant asOf, String riskLevel, Double leakageProbability,
                             Double churnProbability, Instant scoredAt, Map<String, BigDecimal> moneyAtRisk,
                             int openAlerts) {
    public AccountSummary {
        Objects.requireNonNull(accountId);
        moneyAtRisk = java.util.Collections.unmodifiableMap(new TreeMap<>(moneyAtRisk));
    }

    /** The row of an account, with its open alerts; {@code scoring}: whether risk scores are kept at all. */
    public static AccountSummary of(AccountState state, List<Alert> openAlerts, boolean scoring) {
        RiskState risk = state.risk();
        RiskLevel level = RiskPolicy.max(risk.leakageLevel(), risk.churnLevel());
        boolean published = scoring && risk.published() != null;
        return new AccountSummary(state.account(), AccountView.asOf(state), scoring ? level.name() : null,
                published ? AccountView.round(risk.published().leakageProbability()) : null,
                published ? AccountView.round(risk.published().churnProbability()) : null,
                published ? Instant.ofEpochMilli(risk.published().at()) : null,
                AccountView.moneyAtRisk(openAlerts), openAlerts.size());
    }

    public static final Comparator<AccountSummary> BY_RISK = Comparator
            .comparingInt(AccountSummary::levelRank)
            .thenComparing(AccountSummary::leakageProbability, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(AccountSummary::churnProbability, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(AccountSummary::accountId);

    /** Highest money at risk in {@code currency} first. */
    public static Comparator<AccountSummary> byMoneyAtRisk(String currency) {
        return Comparator.<AccountSummary, BigDecimal>comparing(s -> s.moneyAtRisk(currency)).reversed()
                .thenComparing(AccountSummary::accountId);
    }

    /** The money at risk in {@code currency} (zero when none). */
    public BigDecimal moneyAtRisk(String currency) {
        return moneyAtRisk.getOrDefault(currency, BigDecimal.ZERO);
    }

    private int levelRank() {
        return riskLevel == null ? 3 : RiskLevel.valueOf(riskLevel).ordinal();
    }

    /** The first {@code n} of {@code rows} by risk. */
    public static List<AccountSummary> topByRisk(Collection<AccountSummary> rows, int n) {
        return rows.stream().sorted(BY_RISK).limit(n).toList();
    }

    /** The first {@code n} of {@code rows} with money at risk in {@code currency}, highest first. */
    public static List<AccountSummary> topByMoneyAtRisk(Collection<AccountSummary> rows, String currency, int n) {
        return rows.stream().filter(r -> r.moneyAtRisk(currency).signum() > 0).sorted(byMoneyAtRisk(currency))
                .limit(n).toList();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account_id", accountId);
        m.put("as_of", AccountView.instant(asOf));
        m.put("risk_level", riskLevel);
        m.put("leakage_probability", leakageProbability);
        m.put("churn_probability", churnProbability);
        m.put("scored_at", AccountView.instant(scoredAt));
        m.put("money_at_risk", AccountView.moneyList(moneyAtRisk));
        m.put("open_alerts", openAlerts);
        return m;
    }

    /** Reads a row written by {@link #toJson()} (as a JSON parser gives it back: maps, lists, strings, numbers). */
    @SuppressWarnings("unchecked")
    public static AccountSummary fromJson(Map<String, Object> m) {
        Map<String, BigDecimal> money = new TreeMap<>();
        for (Map<String, Object> amount : (List<Map<String, Object>>) m.get("money_at_risk")) {
            money.put((String) amount.get("currency"), new BigDecimal((String) amount.get("amount")));
        }
        return new AccountSummary((String) m.get("account_id"), instant(m.get("as_of")), (String) m.get("risk_level"),
                number(m.get("leakage_probability")), number(m.get("churn_probability")), instant(m.get("scored_at")),
                money, ((Number) m.get("open_alerts")).intValue());
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
