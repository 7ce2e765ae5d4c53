package io.leakwatch.account;

import io.leakwatch.alerts.AlertFactory;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractBook;
import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.contracts.ContractTerms;
import io.leakwatch.detect.baseline.LinePrices;
import io.leakwatch.detect.baseline.RevenueFindings;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.detect.duplicate.DuplicateRule;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.detect.payment.InvoicePaymentState;
import io.leakwatch.detect.payment.PaymentRules;
import io.leakwatch.detect.period.AccountLedger;
import io.leakwatch.detect.period.PeriodLedger;
import io.leakwatch.detect.period.PeriodRules;
import io.leakwatch.detect.risk.RiskJudgement;
import io.leakwatch.detect.unattributed.BilledLine;
import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.Severity;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.features.AccountFeatures;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.scoring.RiskScores;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * The rules of every detector, run over one account's history in {@link EventPosition} order. Kafka-free: the stream
 * processor feeds it each account's events and the passing of stream time; a replay feeds it the same events again
 * from a month's checkpoint. Because every judgement is made at a fixed position and counts only what comes before
 * it, the same events always give the same findings, whatever order they arrived in.
 *
 * <pre>
 * apply(event e): make every judgement due before e's position, then apply e:
 *   contract          its contract's terms from now on (per contract_id: latest signed_at, then version; other
 *                     contracts of the account stand beside it); the periods from close grace ago on are judged at
 *                     their close
 *   invoice line      duplicate screen (per account) -&gt; DUPLICATE_CHARGE, or the per-line checks against the terms
 *                     of the one contract that prices its service at its service date: RATE_MISMATCH |
 *                     CHARGE_ARITHMETIC | NO_ACTIVE_CONTRACT | CURRENCY_MISMATCH | CONTRACT_OVERLAP (two contracts
 *                     price it; no contract at all: unattributed); then the period ledger (issued before its period's close), the invoice's
 *                     payment state, the revenue history (a judged month within the revision grace is judged again),
 *                     the period totals of UNATTRIBUTED_REVENUE
 *   usage             the period ledger of occurred_at's month
 *   payment           the invoice's payment state
 *   provisioning      the provisioning history (from the first period it sets)
 *   every event       the account's features, and when it is due to be scored
 * judgements (a deadline fires at its position, before the events that come after it):
 *   (close(P), -1)    close(P) = end(P) + close grace: UNBILLED_USAGE | MISSING_INVOICE | PROVISIONING_MISMATCH of P
 *                     with the terms signed before the close; the totals of P reported; REVENUE_SPIKE | DROP |
 *                     EROSION of P
 *   (J or D, 9)       a payment judgement counts the payments up to and including its instant:
 *                     FAILED_PAYMENT_NOT_RECOVERED at J, UNPAID_INVOICE | UNDERPAYMENT at D
 *   (T, -1)           month boundary T: period-end feature snapshot, every account under contract scored
 *   (tick, -1)        a prompt (or routine) change is scored at the next multiple of the scoring interval
 * crossing a month boundary B: forget what the horizon and the duplicate window no longer need, then report a
 *   checkpoint of the state at B (a replay of a late event starts from the last checkpoint before it)
 * </pre>
 * A judgement of a unit (a line, a period, an invoice's deadline, a month's revenue, a scoring tick) replaces that
 * unit's findings in {@link Standing}: the sink hears what was raised, revised or withdrawn and why.
 */
public final class AccountEngine {
    private static final long DAY_MS = 86_400_000L;

    private final EngineSettings settings;
    private final AlertFactory alerts;
    private final InvoiceLineChecks checks = new InvoiceLineChecks();
    private final DuplicateRule duplicates;
    private final PeriodRules periods = new PeriodRules();
    private final PaymentRules payments;
    private final BaselineRule baseline;
    private final RiskJudgement risk;
    private final long closeGraceMs;
    private final long horizonMs;
    private final long windowMs;
    private final long revisionGraceMs;
    private final long scoringIntervalMs;
    private final long routineDelayMs;

    public AccountEngine(EngineSettings settings) {
        this.settings = settings;
        this.alerts = new AlertFactory(settings.severity());
        this.duplicates = new DuplicateRule(settings.duplicateWindow());
        this.payments = new PaymentRules(settings.paymentTerms());
        this.baseline = new BaselineRule(settings.baseline());
        EngineSettings.Risk r = settings.risk();
        this.risk = r.scoring() ? new RiskJudgement(r.policy(), r.publishing()) : null;
        this.closeGraceMs = settings.periodCloseGrace().toMillis();
        this.horizonMs = settings.horizon().toMillis();
        this.windowMs = settings.duplicateWindow().toMillis();
        this.revisionGraceMs = settings.baseline().revisionGrace().toMillis();
        this.scoringIntervalMs = r.scoringInterval().toMillis();
        this.routineDelayMs = r.routineDelay().toMillis();
    }

    public EngineSettings settings() {
        return settings;
    }

    /** Applies one event: first every judgement due before it, then the event, then any judgement it made overdue. */
    public void apply(AccountState s, AccountEvent e, EngineSink sink) {
        fireBefore(s, e.position(), sink);
        crossInto(s, e.time(), sink);
        if (s.position.isBefore(e.position())) {
            s.position = e.position();
        }
        SpecificRecord value = e.value();
        long t = e.time();
        if (value instanceof InvoiceLine l) {
            line(s, l, t, sink);
        } else if (value instanceof UsageRecord u) {
            usage(s, u, t);
        } else if (value instanceof Payment p) {
            payment(s, p, t);
        } else if (value instanceof Contract c) {
            contract(s, c, t);
        } else if (value instanceof ProvisioningChange c) {
            provisioning(s, c, t);
        } else {
            throw new IllegalArgumentException("not an account event: " + value.getSchema().getName());
        }
        fireBefore(s, e.position(), sink);
    }

    /**
     * Makes every judgement that comes before any event still to arrive at {@code streamTime} or later: the passing of
     * stream time. Judgements that count the events of their own instant wait until stream time is past it.
     */
    public void advanceTo(AccountState s, long streamTime, EngineSink sink) {
        fireBefore(s, new EventPosition(streamTime, EventPosition.FIRST_EVENT_RANK, ""), sink);
    }

    /**
     * Makes, as if every grace had passed and nothing more were to come, the judgements of what happened by
     * {@code end} (the last event time of a history that ends there):
     * <pre>
     *   period P with end(P) &lt;= end         its close, its totals of UNATTRIBUTED_REVENUE and its revenue month,
     *                                       at close(P) = end(P) + close grace
     *   an invoice's first failure f &lt;= end   FAILED_PAYMENT_NOT_RECOVERED at J = f + retry window
     *   an invoice due at d &lt;= end          UNPAID_INVOICE | UNDERPAYMENT at D = d + payment grace
     * </pre>
     * Each is still judged as of its own instant, in position order, counting only what came before it (nothing
     * after {@code end} exists). A period that ends after {@code end} is partial and an invoice due after it is not
     * late yet: both stay open, as do feature snapshots and scoring ticks after {@code end}. The state is left past its
     * events: for the end of a replay, not for a stream that goes on.
     */
    public void closeAt(AccountState s, long end, EngineSink sink) {
        Instant dueBy = Instant.ofEpochMilli(end);
        while (true) {
            Due due = nextClosing(s, end, dueBy);
            if (due == null) {
                return;
            }
            fire(s, due, dueBy, sink);
        }
    }

    /** The earliest judgement {@link #closeAt} makes, or null when none is left. */
    private Due nextClosing(AccountState s, long end, Instant dueBy) {
        Due best = null;
        if (!s.openPeriods.isEmpty() && ended(s.openPeriods.first(), end)) {
            best = earlier(best, new Due(closePosition(s.openPeriods.first()), Kind.PERIOD));
        }
        if (!s.openTotals.isEmpty()) {
            BillingPeriod p = BillingPeriod.parse(s.openTotals.firstKey().substring(0, 7));
            if (ended(p, end)) {
                best = earlier(best, new Due(closePosition(p), Kind.TOTALS));
            }
        }
        YearMonth month = nextBaselineMonth(s);
        if (month != null && ended(new BillingPeriod(month), end)) {
            best = earlier(best, new Due(closePosition(new BillingPeriod(month)), Kind.BASELINE));
        }
        long wake = Long.MAX_VALUE;
        for (InvoicePaymentState invoice : s.invoices.values()) {
            wake = Math.min(wake, payments.nextJudgement(invoice, dueBy).map(Instant::toEpochMilli).orElse(Long.MAX_VALUE));
        }
        if (wake != Long.MAX_VALUE) {
            best = earlier(best, new Due(EventPosition.judgement(wake, EventPosition.AFTER_EVENTS), Kind.PAYMENT));
        }
        return best;
    }

    private static boolean ended(BillingPeriod period, long end) {
        return period.end().toEpochMilli() <= end;
    }

    /** The position of the account's next judgement, or null when nothing is pending. */
    public EventPosition nextJudgement(AccountState s) {
        Due due = nextDue(s);
        return due == null ? null : due.position;
    }

    // ---------------------------------------------------------------------------------------------- judgements due

    private enum Kind { BOUNDARY, SCORING, PERIOD, TOTALS, BASELINE, PAYMENT }

    private record Due(EventPosition position, Kind kind) {
    }

    private Due nextDue(AccountState s) {
        Due best = null;
        if (!s.openPeriods.isEmpty()) {
            best = earlier(best, new Due(closePosition(s.openPeriods.first()), Kind.PERIOD));
        }
        if (!s.openTotals.isEmpty()) {
            BillingPeriod p = BillingPeriod.parse(s.openTotals.firstKey().substring(0, 7));
            best = earlier(best, new Due(closePosition(p), Kind.TOTALS));
        }
        YearMonth month = nextBaselineMonth(s);
        if (month != null) {
            best = earlier(best, new Due(closePosition(new BillingPeriod(month)), Kind.BASELINE));
        }
        long wake = Long.MAX_VALUE;
        for (InvoicePaymentState invoice : s.invoices.values()) {
            wake = Math.min(wake, wakeUp(invoice));
        }
        if (wake != Long.MAX_VALUE) {
            best = earlier(best, new Due(EventPosition.judgement(wake, EventPosition.AFTER_EVENTS), Kind.PAYMENT));
        }
        EngineSettings.Risk r = settings.risk();
        if (s.features != null && s.nextBoundary != AccountState.NONE && (r.periodEndSnapshots() || r.scoring())) {
            best = earlier(best, new Due(EventPosition.judgement(s.nextBoundary, EventPosition.BEFORE_EVENTS), Kind.BOUNDARY));
        }
        if (s.scoringDue != AccountState.NONE) {
            best = earlier(best, new Due(EventPosition.judgement(tickAfter(s.scoringDue), EventPosition.BEFORE_EVENTS),
                    Kind.SCORING));
        }
        return best;
    }

    /**
     * When an invoice next needs a judgement (epoch ms, MAX_VALUE for never), kept on the invoice until it changes:
     * working it out scans the invoice's payments, and every event asks.
     */
    private long wakeUp(InvoicePaymentState invoice) {
        Long held = invoice.wakeUp();
        if (held == null) {
            held = payments.nextWakeUp(invoice).map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
            invoice.wakeUp(held);
        }
        return held;
    }

    private static Due earlier(Due a, Due b) {
        if (a == null) {
            return b;
        }
        int c = b.position.compareTo(a.position);
        return c < 0 || c == 0 && b.kind.ordinal() < a.kind.ordinal() ? b : a;
    }

    private void fireBefore(AccountState s, EventPosition limit, EngineSink sink) {
        while (true) {
            Due due = nextDue(s);
            if (due == null || !due.position.isBefore(limit)) {
                return;
            }
            fire(s, due, null, sink);
        }
    }

    /**
     * Moves the account to {@code due}'s position and makes that judgement; {@code dueBy} bounds the payment
     * deadlines judged (null: every one due by then).
     */
    private void fire(AccountState s, Due due, Instant dueBy, EngineSink sink) {
        crossInto(s, due.position.time(), sink);
        if (s.position.isBefore(due.position)) {
            s.position = due.position;
        }
        switch (due.kind) {
            case PERIOD -> closePeriod(s, s.openPeriods.first(), sink);
            case TOTALS -> reportTotals(s, BillingPeriod.parse(s.openTotals.firstKey().substring(0, 7)), sink);
            case BASELINE -> judgeMonth(s, nextBaselineMonth(s), sink);
            case PAYMENT -> judgePayments(s, due.position.time(), dueBy, sink);
            case BOUNDARY -> boundary(s, s.nextBoundary, sink);
            case SCORING -> {
                long at = tickAfter(s.scoringDue);
                s.scoringDue = AccountState.NONE;
                if (s.features.activeAt(Instant.ofEpochMilli(at + 1))) {
                    score(s, at, sink);
                }
            }
        }
    }

    /** Moving to {@code time} crosses a month boundary: forget what is no longer needed, then checkpoint. */
    private void crossInto(AccountState s, long time, EngineSink sink) {
        if (s.position == EventPosition.START || s.position.time() == Long.MIN_VALUE) {
            return;
        }
        long nextMonth = BillingPeriod.of(Instant.ofEpochMilli(s.position.time())).end().toEpochMilli();
        if (time < nextMonth) {
            return;
        }
        long boundary = BillingPeriod.of(Instant.ofEpochMilli(time)).start().toEpochMilli();
        s.standing.forgetJudgedBefore(boundary - horizonMs);
        s.screen.forgetIssuedBefore(boundary - windowMs);
        s.reportedTotals.entrySet().removeIf(e -> close(e.getValue().billingPeriod()) < boundary - horizonMs);
        sink.checkpoint(boundary);
    }

    // -------------------------------------------------------------------------------------------------- the events

    private void contract(AccountState s, Contract c, long t) {
        s.contracts.add(c);
        BillingPeriod current = BillingPeriod.of(Instant.ofEpochMilli(t));
        for (BillingPeriod p = BillingPeriod.of(Instant.ofEpochMilli(t - closeGraceMs)); p.compareTo(current) <= 0;
             p = p.next()) {
            if (s.position.isBefore(closePosition(p))) {
                s.openPeriods.add(p);
            }
        }
        features(s, c, t);
    }

    private void line(AccountState s, InvoiceLine line, long t, EngineSink sink) {
        boolean hasAccount = line.getAccountId() != null && !line.getAccountId().isBlank();
        DuplicateRule.Verdict verdict = s.screen.screen(line, duplicates, hasAccount);
        if (verdict instanceof DuplicateRule.Verdict.Redelivery) {
            return;
        }
        BillingPeriod period = BillingPeriod.of(line.getServicePeriodStart());
        boolean beforeClose = s.position.isBefore(closePosition(period));
        boolean attributed = false;
        if (hasAccount) {
            // one lookup of the line's terms serves its checks and its price effect on the revenue history
            ContractBook.Terms terms = s.contracts.isEmpty() ? null
                    : s.contracts.at(line.getService(), line.getServicePeriodStart());
            String unit = lineUnit(line);
            if (verdict instanceof DuplicateRule.Verdict.Duplicate d) {
                attributed = true;
                judge(s, unit, List.of(duplicates.finding(line, d.original())), t, Severity.CRITICAL, sink,
                        () -> "invoice " + line.getInvoiceId() + " line " + line.getLineId() + " bills again what "
                                + d.original().invoiceId() + " line " + d.original().lineId() + " billed");
            } else if (s.contracts.isEmpty()) {
                judge(s, unit, List.of(), t, Severity.CRITICAL, sink,
                        () -> "no contract of " + line.getAccountId() + " was in force when invoice "
                                + line.getInvoiceId() + " was issued, so the line counts as unattributed revenue");
            } else {
                attributed = true;
                ContractBook contracts = s.contracts;
                judge(s, unit, checks.check(line, terms), t, Severity.CRITICAL, sink,
                        () -> lineVerdict(line, contracts));
            }
            if (beforeClose) {
                s.ledger.period(period).addLine(line.getInvoiceId() + "/" + line.getLineId() + "@"
                        + line.getIssuedAt().toEpochMilli(), line.getService(), line.getQuantity());
                s.openPeriods.add(period);
            }
            InvoicePaymentState invoice = s.invoices.computeIfAbsent(line.getInvoiceId(),
                    id -> InvoicePaymentState.open(s.account, id));
            invoice.addLine(line, settings.paymentTerms());
            invoice.wakeUp(null);
            revenue(s, line, terms, t, sink);
            features(s, line, t);
        }
        if (beforeClose) {
            BilledLine billed = attributed ? BilledLine.attributed(line) : BilledLine.unattributed(line);
            String key = PeriodTotals.key(period, line.getCurrency());
            PeriodTotals held = s.openTotals.get(key);
            s.openTotals.put(key, (held == null ? PeriodTotals.empty(period, line.getCurrency()) : held).with(billed));
        }
    }

    private void usage(AccountState s, UsageRecord usage, long t) {
        BillingPeriod period = BillingPeriod.of(usage.getOccurredAt());
        if (s.position.isBefore(closePosition(period))) {
            s.ledger.period(period).addUsage(usage.getService(), usage.getQuantity());
            s.openPeriods.add(period);
        }
        features(s, usage, t);
    }

    private void payment(AccountState s, Payment payment, long t) {
        if (payment.getInvoiceId() != null && !payment.getInvoiceId().isBlank()) {
            InvoicePaymentState invoice = s.invoices.computeIfAbsent(payment.getInvoiceId(),
                    id -> InvoicePaymentState.open(s.account, id));
            invoice.addPayment(payment);
            invoice.wakeUp(null);
        }
        features(s, payment, t);
    }

    private void provisioning(AccountState s, ProvisioningChange change, long t) {
        BillingPeriod first = PeriodRules.firstPeriodAffected(change.getEffectiveAt());
        if (s.position.isBefore(closePosition(first))) {
            s.ledger.addProvisioning(change.getService(), new AccountLedger.ProvisioningStep(change.getChangeId(),
                    change.getEffectiveAt().toEpochMilli(), change.getLevel()));
            s.openPeriods.add(first);
        }
        features(s, change, t);
    }

    // ------------------------------------------------------------------------------------------- period detectors

    private void closePeriod(AccountState s, BillingPeriod period, EngineSink sink) {
        long closeAt = close(period);
        PeriodLedger ledger = s.ledger.find(period).orElseGet(PeriodLedger::empty);
        Map<String, BigDecimal> provisioned = s.ledger.provisionedAt(period.start());
        ContractBook contracts = s.contracts;
        List<Finding> findings = periods.evaluate(s.account, period, ledger, provisioned, contracts);
        judge(s, "P|" + period.name(), findings, closeAt, Severity.CRITICAL, sink,
                () -> periodVerdict(s.account, period, ledger, provisioned, contracts));
        s.ledger.close(period);
        s.openPeriods.headSet(period, true).clear();
        if (contracts.inForceAtOrAfter(period.next().start())) {
            s.openPeriods.add(period.next());
        }
    }

    private void reportTotals(AccountState s, BillingPeriod period, EngineSink sink) {
        String prefix = period.name() + "/";
        List<String> keys = new ArrayList<>(s.openTotals.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
        for (String key : keys) {
            PeriodTotals totals = s.openTotals.remove(key);
            s.reportedTotals.put(key, totals);
            sink.contribution(totals);
        }
    }

    // ------------------------------------------------------------------------------------------ revenue baselines

    private YearMonth nextBaselineMonth(AccountState s) {
        RevenueHistory h = s.revenue;
        if (h == null || h.first() == null) {
            return null;
        }
        return h.judgedThrough() == null ? h.first() : h.judgedThrough().plusMonths(1);
    }

    /** {@code terms}: the line's lookup in the account's contracts, null when it has none. */
    private void revenue(AccountState s, InvoiceLine line, ContractBook.Terms terms, long t, EngineSink sink) {
        YearMonth month = BillingPeriod.of(line.getServicePeriodStart()).month();
        if (s.revenue == null) {
            s.revenue = new RevenueHistory(line.getCurrency(), baseline.settings().historyPeriods());
        } else if (!s.revenue.currency().equals(line.getCurrency())) {
            return;
        }
        RevenueHistory history = s.revenue;
        var priced = terms == null ? java.util.Optional.<RevenueHistory.PriceEffect>empty()
                : LinePrices.effect(s.contracts, line, terms);
        if (!history.add(month, line.getLineTotal(), priced.map(RevenueHistory.PriceEffect::atPrices).orElse(null),
                priced.map(RevenueHistory.PriceEffect::atPriorPrices).orElse(null))) {
            return;
        }
        if (history.judgedThrough() != null && !month.isAfter(history.judgedThrough())) {
            long closeAt = close(new BillingPeriod(month));
            if (t < closeAt + revisionGraceMs) {
                long judgedAt = Math.max(t, closeAt);
                for (BaselineRule.Verdict v : baseline.rejudge(history, month)) {
                    judgeRevenue(s, history, v, judgedAt, sink);
                }
            }
        }
    }

    private void judgeMonth(AccountState s, YearMonth month, EngineSink sink) {
        RevenueHistory history = s.revenue;
        for (BaselineRule.Verdict v : baseline.closeThrough(history, month)) {
            judgeRevenue(s, history, v, close(new BillingPeriod(v.period())), sink);
        }
        if (baseline.dormant(history, month)) {
            s.revenue = null;
        }
    }

    private void judgeRevenue(AccountState s, RevenueHistory history, BaselineRule.Verdict v, long judgedAt,
                              EngineSink sink) {
        List<Finding> findings = RevenueFindings.finding(s.account, history.currency(), v, baseline).stream().toList();
        Severity cap = baseline.severity(baseline.severityScore(v));
        judge(s, "R|" + v.period(), findings, judgedAt, cap, sink, () -> revenueVerdict(history, v));
    }

    // ------------------------------------------------------------------------------------------------- payments

    /**
     * Makes the payment judgements due at or before {@code at}; with {@code dueBy} (closing, {@link #closeAt}), only
     * those of failures and due dates at or before it.
     */
    private void judgePayments(AccountState s, long at, Instant dueBy, EngineSink sink) {
        Instant instant = Instant.ofEpochMilli(at);
        for (String id : new ArrayList<>(s.invoices.keySet())) {
            InvoicePaymentState invoice = s.invoices.get(id);
            long next = dueBy == null ? wakeUp(invoice)
                    : payments.nextJudgement(invoice, dueBy).map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
            if (next > at) {
                continue;
            }
            boolean failureBefore = invoice.failureJudged();
            boolean dueBefore = invoice.dueJudged();
            PaymentRules.Outcome outcome = dueBy == null ? payments.judgeUpTo(invoice, instant)
                    : payments.judgeUpTo(invoice, instant, dueBy);
            invoice.wakeUp(null);
            if (!failureBefore && invoice.failureJudged()) {
                judgePaymentUnit(s, invoice, "F", outcome, at, sink);
            }
            if (!dueBefore && invoice.dueJudged()) {
                judgePaymentUnit(s, invoice, "D", outcome, at, sink);
            }
            if (outcome.finished()) {
                s.invoices.remove(id);
            }
        }
    }

    private void judgePaymentUnit(AccountState s, InvoicePaymentState invoice, String which,
                                  PaymentRules.Outcome outcome, long at, EngineSink sink) {
        boolean failure = which.equals("F");
        List<Finding> findings = new ArrayList<>(1);
        long judgedAt = at;
        for (PaymentRules.Judged judged : outcome.findings()) {
            boolean isFailure = judged.finding().type() == io.leakwatch.alerts.AlertType.FAILED_PAYMENT_NOT_RECOVERED;
            if (isFailure == failure) {
                findings.add(judged.finding());
                judgedAt = judged.detectedAt().toEpochMilli();
            }
        }
        long instant = judgedAt;
        judge(s, "I|" + invoice.invoiceId() + "|" + which, findings, judgedAt, Severity.CRITICAL, sink,
                () -> paymentVerdict(invoice, failure, instant));
    }

    // ------------------------------------------------------------------------------------- features and scoring

    private void features(AccountState s, SpecificRecord value, long t) {
        EngineSettings.Risk r = settings.risk();
        if (!r.features()) {
            return;
        }
        if (s.features == null) {
            s.features = new AccountFeatures();
        }
        boolean prompt = r.scoring() && prompt(value, s.features);
        if (value instanceof Contract c) {
            s.features.add(c);
        } else if (value instanceof InvoiceLine l) {
            s.features.add(l);
        } else if (value instanceof UsageRecord u) {
            s.features.add(u);
        } else if (value instanceof Payment p) {
            s.features.add(p);
        } else if (value instanceof ProvisioningChange p) {
            s.features.add(p);
        }
        if (s.nextBoundary == AccountState.NONE) {
            s.nextBoundary = BillingPeriod.of(Instant.ofEpochMilli(t)).end().toEpochMilli();
        }
        if (r.scoring()) {
            long due = prompt ? t : Math.min(t + routineDelayMs, BillingPeriod.of(Instant.ofEpochMilli(t)).end().toEpochMilli());
            if (prompt || due < s.nextBoundary) {
                s.scoringDue = s.scoringDue == AccountState.NONE ? due : Math.min(s.scoringDue, due);
            }
        }
    }

    /**
     * A change that can move an account's risk at once: a contract version, a failed payment, a provisioning change
     * that lowers the level in force (judged before it is applied). The others are routine.
     */
    static boolean prompt(SpecificRecord value, AccountFeatures before) {
        return value instanceof Contract
                || value instanceof Payment p && p.getStatus() == PaymentStatus.FAILED
                || value instanceof ProvisioningChange c && before.lowersLevel(c);
    }

    private long tickAfter(long due) {
        return (Math.floorDiv(due, scoringIntervalMs) + 1) * scoringIntervalMs;
    }

    private void boundary(AccountState s, long boundary, EngineSink sink) {
        EngineSettings.Risk r = settings.risk();
        Instant at = Instant.ofEpochMilli(boundary);
        if (r.periodEndSnapshots() && s.features.activeAt(at)) {
            sink.snapshot(s.features.snapshot(s.account, at));
        }
        if (r.scoring() && s.features.activeAt(at.plusMillis(1))) {
            s.scoringDue = AccountState.NONE;
            score(s, boundary, sink);
        }
        s.nextBoundary = BillingPeriod.of(at).end().toEpochMilli();
    }

    private void score(AccountState s, long at, EngineSink sink) {
        Instant asOf = Instant.ofEpochMilli(at);
        FeatureSnapshot snapshot = s.features.snapshot(s.account, asOf);
        io.leakwatch.detect.risk.RiskState previous = s.risk;
        boolean[] publish = new boolean[1];
        List<RiskScores> scores = settings.risk().scorer().score(List.of(snapshot), (row, probabilities) ->
                publish[0] = risk.publishes(snapshot, probabilities, previous, asOf));
        RiskJudgement.Outcome outcome = risk.judge(snapshot, scores.get(0), previous, asOf, publish[0]);
        s.risk = outcome.state();
        if (outcome.published()) {
            sink.published(outcome.risk());
        }
        judge(s, "K|" + at, outcome.findings(), at, Severity.HIGH, sink,
                () -> "the risk models no longer put " + s.account + " at High risk on " + asOf.toString().substring(0, 10));
    }

    // --------------------------------------------------------------------------------------------- standing

    /**
     * Replaces the findings of {@code unit} with {@code findings}, judged at {@code judgedAt}: new or changed ones are
     * raised, ones the unit no longer finds are withdrawn with the unit's verdict in words. Findings of types switched
     * off are not judged at all.
     */
    private void judge(AccountState s, String unit, List<Finding> found, long judgedAt, Severity cap,
                       EngineSink sink, Supplier<String> verdict) {
        List<Finding> findings = settings.switches().filter(found);
        List<String> before = s.standing.idsOf(unit);
        if (findings.isEmpty() && before.isEmpty()) {
            if (sink.explains()) {
                sink.verdict(unit, judgedAt, verdict.get());
            }
            return;
        }
        Set<String> now = new HashSet<>();
        for (Finding finding : findings) {
            Alert alert = alerts.toAlert(finding, Instant.ofEpochMilli(judgedAt), cap);
            String id = alert.getAlertId();
            now.add(id);
            long hash = Standing.contentHash(alert);
            Standing.Entry held = s.standing.get(id);
            if (held != null && held.hash() == hash && held.unit().equals(unit)) {
                continue;
            }
            if (held != null) {
                unfeature(s, held);
            }
            BigDecimal counted = s.features == null ? null : s.features.addFinding(alert);
            if (counted != null && settings.risk().scoring()) {
                // a finding can move the account's risk at once: scored at the next tick
                s.scoringDue = s.scoringDue == AccountState.NONE ? judgedAt : Math.min(s.scoringDue, judgedAt);
            }
            s.standing.put(id, new Standing.Entry(unit, hash, alert.getDetectedAt().toEpochMilli(), alert.getType(),
                    counted, alert.getCurrency()));
            sink.raised(unit, alert);
        }
        String sentence = null;
        for (String id : before) {
            if (!now.contains(id)) {
                unfeature(s, s.standing.remove(id));
                if (sentence == null) {
                    sentence = verdict.get();
                }
                sink.withdrawn(unit, id, judgedAt, sentence);
            }
        }
        if (sink.explains()) {
            sink.verdict(unit, judgedAt, sentence != null ? sentence : verdict.get());
        }
    }

    private static void unfeature(AccountState s, Standing.Entry entry) {
        if (s.features != null && entry.amount() != null) {
            s.features.removeFinding(entry.type(), entry.judgedAt(), entry.amount());
        }
    }

    // --------------------------------------------------------------------------------------- verdicts in words

    private static String lineVerdict(InvoiceLine line, ContractBook contracts) {
        ContractBook.Terms found = contracts.at(line.getService(), line.getServicePeriodStart());
        if (found.overlap()) {
            return "contracts " + String.join(" and ", found.covering().stream()
                    .map(t -> t.contractId() + " v" + t.contractVersion()).toList()) + " all price "
                    + line.getService() + " at the line's service date";
        }
        if (found.single().isEmpty()) {
            Contract contract = found.gapContract();
            return "contract " + contract.getContractId() + " v" + contract.getVersion() + " has no rate for "
                    + line.getService() + " at the line's service date";
        }
        AppliedRate terms = found.single().get();
        return "invoice " + line.getInvoiceId() + " line " + line.getLineId() + " matches contract "
                + terms.contractId() + " v" + terms.contractVersion() + "'s rate of "
                + MoneyFormat.plain(terms.unitRateFor(line.getQuantity())) + " per " + terms.line().getUnit();
    }

    private static String periodVerdict(String account, BillingPeriod period, PeriodLedger ledger,
                                        Map<String, BigDecimal> provisioned, ContractBook contracts) {
        if (contracts.isEmpty()) {
            return "no contract of " + account + " was in force when " + period + " closed";
        }
        if (!ledger.invoiced()) {
            return "nothing billable was expected from " + account + " for " + period;
        }
        List<String> parts = new ArrayList<>();
        for (String service : ledger.meteredServices()) {
            parts.add(MoneyFormat.plain(ledger.billed(service)) + " of " + MoneyFormat.plain(ledger.used(service))
                    + " " + service + " used were invoiced");
        }
        provisioned.forEach((service, level) -> parts.add(MoneyFormat.plain(ledger.billed(service)) + " " + service
                + " invoiced against " + MoneyFormat.plain(level) + " provisioned"));
        return "in " + period + " " + (parts.isEmpty() ? "an invoice was issued" : String.join(", ", parts))
                + ", within the contract's commitments";
    }

    private static String revenueVerdict(RevenueHistory history, BaselineRule.Verdict v) {
        String revenue = MoneyFormat.format(v.revenue(), history.currency());
        if (v.baseline() == null) {
            return v.period() + " revenue of " + revenue + " has too little history before it to be judged";
        }
        return v.period() + " revenue of " + revenue + " is within the normal range of its baseline ("
                + MoneyFormat.format(v.baseline().mean(), history.currency()) + ")";
    }

    private static String paymentVerdict(InvoicePaymentState invoice, boolean failure, long at) {
        Instant instant = Instant.ofEpochMilli(at);
        InvoicePaymentState.Amounts amounts = invoice.amountsAt(instant);
        String ccy = invoice.currency();
        String paid = MoneyFormat.format(amounts.paid().add(amounts.credited()), ccy);
        String outstanding = MoneyFormat.format(amounts.outstanding().max(BigDecimal.ZERO), ccy);
        return (failure ? "a successful payment within the retry window recovered invoice " : "invoice ")
                + invoice.invoiceId() + " was settled by " + instant.toString().substring(0, 10) + ": " + paid
                + " paid or credited, " + outstanding + " outstanding";
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private long close(BillingPeriod period) {
        return period.end().toEpochMilli() + closeGraceMs;
    }

    private EventPosition closePosition(BillingPeriod period) {
        return EventPosition.judgement(close(period), EventPosition.BEFORE_EVENTS);
    }

    static String lineUnit(InvoiceLine line) {
        return "L|" + line.getInvoiceId() + "/" + line.getLineId() + "@" + line.getIssuedAt().toEpochMilli();
    }

    /** Days as a duration in words, for explanations. */
    static long days(long ms) {
        return ms / DAY_MS;
    }
}
