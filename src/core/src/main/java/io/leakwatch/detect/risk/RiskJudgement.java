package io.leakwatch.detect.risk;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Money;
import io.leakwatch.events.RiskLevel;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.money.Currencies;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.scoring.RiskPolicy;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskPublishing.Published;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.scoring.RiskScores;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka-free: one account's scores, with its previous {@link RiskState}, become its {@link AccountRisk}, its new
 * state and the findings of a crossing into High.
 * <pre>
 * leakage_level = policy(leakage_probability, previous leakage_level)   (hysteresis: in at &gt;= high-enter, out below high-exit)
 * churn_level   = policy(churn_probability,   previous churn_level)
 * risk_level    = max(leakage_level, churn_level)
 * expected_leakage = round_HALF_EVEN(expected_leakage_ratio x monthly_revenue)
 * HIGH_LEAKAGE_RISK when leakage_level enters HIGH: amount = expected_leakage
 * HIGH_CHURN_RISK   when churn_level enters HIGH:   amount = 12 x monthly_revenue (annual revenue at risk)
 * evidence key = the UTC date of the crossing (yyyy-MM-dd): a new crossing after leaving High is a new alert
 * publish = {@link RiskPublishing#due}: a level changed, a model version changed, a probability or the monthly
 *           revenue moved enough since the last published record, or that record is too old; it depends on the
 *           probabilities only, so the scorer is asked for the amount and the factors of published rows alone
 * </pre>
 */
public final class RiskJudgement {
    /** Months of revenue at risk when an account churns: a year. */
    static final BigDecimal CHURN_MONTHS = BigDecimal.valueOf(12);

    private final RiskPolicy policy;
    private final RiskPublishing publishing;

    public RiskJudgement(RiskPolicy policy, RiskPublishing publishing) {
        this.policy = policy;
        this.publishing = publishing;
    }

    /**
     * The outcome for one account.
     *
     * @param risk     the record for {@code account-risk}, or null when the score is not published
     * @param state    the account's new state (equal to the previous one when nothing changed)
     * @param findings the alerts of a crossing into High (never without a published risk)
     */
    public record Outcome(AccountRisk risk, RiskState state, List<Finding> findings) {
        public boolean published() {
            return risk != null;
        }
    }

    /** Whether this score will be published (and so needs its expected leakage and top factors). */
    public boolean publishes(FeatureSnapshot snapshot, RiskScores scores, RiskState previous, Instant scoredAt) {
        RiskLevel leakage = policy.level(scores.leakageProbability(), previous.leakageLevel());
        RiskLevel churn = policy.level(scores.churnProbability(), previous.churnLevel());
        return publishing.due(previous.published(), leakage != previous.leakageLevel() || churn != previous.churnLevel(),
                published(snapshot, scores, scoredAt));
    }

    private static Published published(FeatureSnapshot snapshot, RiskScores scores, Instant scoredAt) {
        return new Published(scoredAt.toEpochMilli(), scores.leakageProbability(), scores.churnProbability(),
                snapshot.monthlyRevenue().doubleValue(), String.join(",", scores.modelVersions()).hashCode());
    }

    public Outcome judge(FeatureSnapshot snapshot, RiskScores scores, RiskState previous, Instant scoredAt) {
        return judge(snapshot, scores, previous, scoredAt, publishes(snapshot, scores, previous, scoredAt));
    }

    /**
     * The outcome, with {@code publish} already decided by {@link #publishes} for these probabilities (the scoring
     * processor asks it once per row while the scorer runs, so it is not worked out twice).
     */
    public Outcome judge(FeatureSnapshot snapshot, RiskScores scores, RiskState previous, Instant scoredAt,
                         boolean publish) {
        RiskLevel leakage = policy.level(scores.leakageProbability(), previous.leakageLevel());
        RiskLevel churn = policy.level(scores.churnProbability(), previous.churnLevel());
        LocalDate today = LocalDate.ofInstant(scoredAt, ZoneOffset.UTC);
        boolean leakageEnters = RiskPolicy.entersHigh(previous.leakageLevel(), leakage);
        boolean churnEnters = RiskPolicy.entersHigh(previous.churnLevel(), churn);
        RiskState state = new RiskState(
                leakage, leakage != RiskLevel.HIGH ? null : leakageEnters ? today : previous.leakageHighSince(),
                churn, churn != RiskLevel.HIGH ? null : churnEnters ? today : previous.churnHighSince(),
                publish ? published(snapshot, scores, scoredAt) : previous.published());
        if (!publish) {
            return new Outcome(null, state, List.of());
        }
        if (!scores.hasExpectedLeakage()) {
            throw new IllegalStateException("a published score needs its expected leakage: the scorer was not asked"
                    + " for account " + snapshot.accountId() + " in full");
        }
        String currency = snapshot.currency();
        BigDecimal revenue = Currencies.round(snapshot.monthlyRevenue(), currency);
        BigDecimal expected = Currencies.round(revenue.multiply(BigDecimal.valueOf(scores.expectedLeakageRatio())), currency);

        AccountRisk risk = AccountRisk.newBuilder()
                .setAccountId(snapshot.accountId())
                .setScoredAt(scoredAt)
                .setModelVersions(new ArrayList<>(scores.modelVersions()))
                .setLeakageProbability(scores.leakageProbability())
                .setChurnProbability(scores.churnProbability())
                .setExpectedLeakage(money(expected, currency))
                .setMonthlyRevenue(money(revenue, currency))
                .setRiskLevel(RiskPolicy.max(leakage, churn))
                .setLeakageLevel(leakage)
                .setChurnLevel(churn)
                .setFactors(new ArrayList<>(scores.factors()))
                .build();

        List<Finding> findings = new ArrayList<>(2);
        if (leakageEnters) {
            findings.add(leakageFinding(snapshot, scores, revenue, expected, today, scoredAt));
        }
        if (churnEnters) {
            findings.add(churnFinding(snapshot, scores, revenue, today, scoredAt));
        }
        return new Outcome(risk, state, findings);
    }

    private Finding leakageFinding(FeatureSnapshot s, RiskScores scores, BigDecimal revenue, BigDecimal expected,
                                   LocalDate day, Instant at) {
        String currency = s.currency();
        String explanation = String.format(Locale.ROOT,
                "Our leakage model gives account %s a %s chance of losing revenue to billing or payment problems next month,"
                        + " about %s (%s of its %s monthly revenue)%s.",
                s.accountId(), percent(scores.leakageProbability()), MoneyFormat.format(expected, currency),
                percent(scores.expectedLeakageRatio()), MoneyFormat.format(revenue, currency), because(scores.factors()));
        String action = "Before the next invoice run, check " + s.accountId() + "'s billed rates against its contract,"
                + " that all usage and seats are billed, and that failed payments are being retried.";
        Map<String, String> evidence = evidence(scores, RiskScorer.LEAKAGE_RISK, scores.leakageProbability(), day, revenue, currency);
        evidence.put("expected_leakage", MoneyFormat.plain(expected));
        evidence.put("expected_leakage_ratio", decimal(scores.expectedLeakageRatio()));
        evidence.put("amount_model_version", version(scores, RiskScorer.LEAKAGE_AMOUNT));
        return new Finding(AlertType.HIGH_LEAKAGE_RISK, s.accountId(), day.toString(), expected, currency, at,
                evidence, explanation, action);
    }

    private Finding churnFinding(FeatureSnapshot s, RiskScores scores, BigDecimal revenue, LocalDate day, Instant at) {
        String currency = s.currency();
        BigDecimal annual = Currencies.round(revenue.multiply(CHURN_MONTHS), currency);
        String explanation = String.format(Locale.ROOT,
                "Our churn model gives account %s a %s chance of leaving within 3 months, which puts %s of annual revenue"
                        + " at risk (12 x its %s monthly revenue)%s.",
                s.accountId(), percent(scores.churnProbability()), MoneyFormat.format(annual, currency),
                MoneyFormat.format(revenue, currency), because(scores.factors()));
        String action = "Ask the customer success manager of " + s.accountId() + " to contact the customer this week"
                + " and agree a renewal or retention plan.";
        Map<String, String> evidence = evidence(scores, RiskScorer.CHURN_RISK, scores.churnProbability(), day, revenue, currency);
        evidence.put("annual_revenue_at_risk", MoneyFormat.plain(annual));
        return new Finding(AlertType.HIGH_CHURN_RISK, s.accountId(), day.toString(), annual, currency, at,
                evidence, explanation, action);
    }

    private Map<String, String> evidence(RiskScores scores, String model, double probability, LocalDate day,
                                         BigDecimal revenue, String currency) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("probability", decimal(probability));
        evidence.put("model_version", version(scores, model));
        evidence.put("factors", String.join("; ", scores.factors()));
        evidence.put("high_since", day.toString());
        evidence.put("high_enter_threshold", decimal(policy.thresholds().highEnter()));
        evidence.put("monthly_revenue", MoneyFormat.plain(revenue));
        evidence.put("currency", currency);
        return evidence;
    }

    private static String version(RiskScores scores, String model) {
        return scores.modelVersions().stream().filter(v -> v.startsWith(model + ":")).findFirst().orElse(model + ":unknown");
    }

    private static String because(List<String> factors) {
        return factors.isEmpty() ? "" : "; main reasons: " + String.join(", ", factors);
    }

    private static String percent(double ratio) {
        return BigDecimal.valueOf(ratio).movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    /** A probability or ratio for evidence: 4 decimals, HALF_EVEN, stable text. */
    private static String decimal(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static Money money(BigDecimal amount, String currency) {
        return new Money(amount.setScale(4, RoundingMode.UNNECESSARY), currency);
    }
}
