package io.leakwatch.detect.unattributed;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * UNATTRIBUTED_REVENUE (docs/detectors.md), judged on the final totals of a period and currency. Kafka-free.
 *
 * <pre>
 * unattributed = Σ line_total of lines with no account_id or of an account no contract knows at the line's time
 * billed       = Σ line_total of all lines of the period (attributed or not), same currency
 * share        = unattributed / billed           (evidence: 4 decimals, HALF_EVEN; the threshold compares exactly)
 * alert when unattributed &gt; 0 and (unattributed &gt;= min_amount or (billed &gt; 0 and unattributed &gt;= min_share x billed))
 * account UNATTRIBUTED, evidence key yyyy-MM/CCY, amount = unattributed, event_time = start(P),
 * detected_at = close(P) = end(P) + close grace
 * </pre>
 * {@code min_amount} is in the currency's major unit, whatever the currency (1000 USD, 1000 JPY).
 */
public final class UnattributedRevenueRule {
    public static final String ACCOUNT = "UNATTRIBUTED";

    private final BigDecimal minAmount;
    private final BigDecimal minShare;
    private final Duration closeGrace;
    private final boolean on;

    public UnattributedRevenueRule(BigDecimal minAmount, BigDecimal minShare, Duration closeGrace) {
        this(minAmount, minShare, closeGrace, true);
    }

    /** @param on false: the periods are still totalled, and never judged to be a finding */
    public UnattributedRevenueRule(BigDecimal minAmount, BigDecimal minShare, Duration closeGrace, boolean on) {
        this.minAmount = minAmount;
        this.minShare = minShare;
        this.closeGrace = closeGrace;
        this.on = on;
    }

    /** When the period is judged: {@code end(P) + close grace}. */
    /** The latest period whose close instant is at or before {@code streamTime}. */
    public BillingPeriod latestClosedAt(long streamTime) {
        BillingPeriod candidate = BillingPeriod.of(Instant.ofEpochMilli(streamTime).minus(closeGrace));
        return candidate.previous();
    }

    public Instant closeOf(BillingPeriod period) {
        return period.end().plus(closeGrace);
    }

    /** {@code unattributed / billed} to 4 decimals (HALF_EVEN); zero when nothing was billed. */
    public static BigDecimal share(PeriodTotals totals) {
        return totals.billedAmount().signum() == 0 ? BigDecimal.ZERO.setScale(4)
                : totals.unattributedAmount().divide(totals.billedAmount(), 4, RoundingMode.HALF_EVEN);
    }

    public Optional<Finding> judge(PeriodTotals totals) {
        BigDecimal unattributed = totals.unattributedAmount();
        if (!on || unattributed.signum() <= 0) {
            return Optional.empty();
        }
        boolean overAmount = unattributed.compareTo(minAmount) >= 0;
        boolean overShare = totals.billedAmount().signum() > 0
                && unattributed.compareTo(minShare.multiply(totals.billedAmount())) >= 0;
        if (!overAmount && !overShare) {
            return Optional.empty();
        }
        BillingPeriod period = totals.billingPeriod();
        String currency = totals.currency();
        BigDecimal share = share(totals);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("period", period.name());
        evidence.put("unattributed_lines", Long.toString(totals.unattributedLines()));
        evidence.put("share", share.toPlainString());
        evidence.put("billed_total", MoneyFormat.plain(totals.billedAmount()));
        evidence.put("billed_lines", Long.toString(totals.billedLines()));
        String explanation = String.format(
                "In %s, %d invoice line(s) totalling %s (%s%% of the %s billed) went to no account or to accounts no "
                        + "contract knows, so nobody is sure to collect them.",
                period.name(), totals.unattributedLines(), MoneyFormat.format(unattributed, currency),
                share.movePointRight(2).stripTrailingZeros().toPlainString(),
                MoneyFormat.format(totals.billedAmount(), currency));
        String action = "Find the invoice lines of " + period.name() + " in " + currency
                + " without an account or contract, attach them to the right customer contract, and fix the feed that "
                + "drops the account.";
        return Optional.of(new Finding(AlertType.UNATTRIBUTED_REVENUE, ACCOUNT, totals.key(), unattributed, currency,
                period.start(), evidence, explanation, action));
    }
}
