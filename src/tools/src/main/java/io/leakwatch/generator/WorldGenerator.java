package io.leakwatch.generator;

import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.detect.invoice.InvoiceLineChecks;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic synthetic billing world: accounts with versioned contracts, provisioning, metered usage,
 * monthly invoices and their payments; a small share of it carries a labelled leakage error; a little revenue
 * is unattributed; and a few records a pipeline must reject. This class runs the accounts one after the other
 * ({@link AccountBuilder}), adds unattributed revenue and the revenue-shape labels, sorts every file and keeps the
 * labels the world can judge.
 *
 * <p>World rules (what the detectors expect of clean data):
 * <ul>
 *   <li>one contract per account, versioned ({@link ContractSchedule});</li>
 *   <li>churn: about {@value Churn#SHARE} of the accounts end their contract on the 1st of a month and are not
 *   invoiced from then on, with precursors in the months before; a few accounts that stay go through the same kind
 *   of rough patch and recover ({@link Churn});</li>
 *   <li>leakage propensity: most leakage comes from about {@value BillingProblem#SHARE} of the accounts with one
 *   persistent billing problem, which mostly shows before its first leak ({@link BillingProblem}); on top come the
 *   independent one-off background errors of the options' rates (0.1-0.2% per unit by default). Each is injected
 *   through the same paths, so its labels are exact like the others;</li>
 *   <li>services, demand and what a clean line bills: {@link Account}; usage and provisioning records:
 *   {@link UsageRecords}, {@link ProvisioningRecords};</li>
 *   <li>invoices and clean lines: {@link InvoiceBuilder};</li>
 *   <li>payments: see {@link PaymentPlanner}; every clean invoice is settled (paid + credited = total) by
 *   its due date;</li>
 *   <li>unattributed revenue: see {@link UnattributedRevenue}.</li>
 * </ul>
 * Errors, one class per kind: RATE_MISMATCH ({@link RateMismatchInjector}) and CHARGE_ARITHMETIC
 * ({@link ChargeArithmeticInjector}), whose labels are exactly the findings {@link InvoiceLineChecks} reports;
 * DUPLICATE_CHARGE ({@link DuplicateChargeInjector}); UNBILLED_USAGE ({@link UnbilledUsageInjector}); MISSING_INVOICE
 * ({@link MissingInvoiceInjector}); PROVISIONING_MISMATCH ({@link ProvisioningMismatchInjector}); the payment findings
 * ({@link PaymentProblemInjector}, {@link PaymentPlanner}); UNATTRIBUTED_REVENUE ({@link UnattributedRevenue});
 * the revenue shapes ({@link RevenueShapes}); and the CHURN training label ({@link Churn}). Month-level errors
 * (unbilled usage, missing invoice, provisioning mismatch) are never injected in a month with a mid-month amendment
 * (the rules price with the terms at the period start) and at most one per account and month; a month with one of
 * them has no duplicated line; an invoice carrying a duplicate is paid in full; a line has at most one error.
 *
 * <p>Judgement time: a label is kept only when its finding's judgement instant ({@link Judged}) is not after
 * the world's last record timestamp, where stream time ends. All records lie before the close of the month
 * after the last billed month, so no detector judges a month the world has no data for.
 *
 * <p>Determinism: every choice comes from one {@link SplittableRandom} seeded with
 * {@link GeneratorOptions#seed()}, split per account in account order ({@link AccountBuilder} says how an
 * account's stream is used); no hash-ordered iteration, no clock.
 */
public final class WorldGenerator {
    static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyy-MM");
    static final DateTimeFormatter PERIOD_ID = DateTimeFormatter.ofPattern("yyyyMM");
    static final Duration ISSUE_TIME = Duration.ofHours(6);
    static final Duration PAYMENT_TERMS = Duration.ofDays(30);

    /** Everything generated, before sorting. */
    static final class Sink {
        final List<Contract> contracts = new ArrayList<>();
        final List<InvoiceLine> lines = new ArrayList<>();
        final List<UsageRecord> usage = new ArrayList<>();
        final List<Payment> payments = new ArrayList<>();
        final List<ProvisioningChange> provisioning = new ArrayList<>();
        final List<Judged> labels = new ArrayList<>();
    }

    private WorldGenerator() {
    }

    public static World generate(GeneratorOptions options) {
        SplittableRandom master = new SplittableRandom(options.seed());
        Sink sink = new Sink();
        Map<Integer, RevenueShapes.Shape> plan = RevenueShapes.plan(options, options.resolvedRevenueShapesPerKind(),
                options.baselineShapesPerKind());
        Map<String, RevenueShapes.Shape> shapes = new TreeMap<>();
        Map<String, Integer> ended = new TreeMap<>();
        Map<String, RevenueShapes.Unjudged> unjudged = new TreeMap<>();
        for (int i = 1; i <= options.accounts(); i++) {
            String id = String.format("acct-%05d", i);
            RevenueShapes.Shape shape = plan.get(i);
            Account account = AccountBuilder.build(options, id, master.split(), shape, sink);
            if (shape != null) {
                shapes.put(id, shape);
            } else if (account.churn().churns()) {
                ended.put(id, account.billedMonths());
            }
            Churn churn = account.churn();
            if (account.problem().kind() != BillingProblem.Kind.NONE) {
                unjudged.put(id, new RevenueShapes.Unjudged(0, options.months() - 1,
                        "revenue moved by a persistent billing problem: " + account.problem().kind().cause));
            } else if (churn.hasPrecursors()) {
                // until the baseline window holds only months after the patch
                unjudged.put(id, churn.churns()
                        ? new RevenueShapes.Unjudged(churn.precursorsFrom(), churn.billedMonths() - 1,
                                "usage declining before the contract ended")
                        : new RevenueShapes.Unjudged(churn.precursorsFrom(),
                                churn.precursorsTo() + BaselineSettings.defaults().window(),
                                "usage slump of a rough patch"));
            }
        }
        SplittableRandom badRandom = master.split();
        if (options.unattributedRevenue()) {
            UnattributedRevenue.add(options, master.split(), sink);
        }
        sink.contracts.sort(Comparator.comparing(Contract::getSignedAt)
                .thenComparing(Contract::getContractId)
                .thenComparingInt(Contract::getVersion));
        sink.lines.sort(Comparator.comparing(InvoiceLine::getIssuedAt)
                .thenComparing(InvoiceLine::getInvoiceId)
                .thenComparingInt(l -> l.getLineId().length())
                .thenComparing(InvoiceLine::getLineId));
        sink.usage.sort(Comparator.comparing(UsageRecord::getOccurredAt).thenComparing(UsageRecord::getUsageId));
        sink.payments.sort(Comparator.comparing(Payment::getAttemptedAt).thenComparing(Payment::getPaymentId));
        sink.provisioning.sort(Comparator.comparing(ProvisioningChange::getEffectiveAt)
                .thenComparing(ProvisioningChange::getChangeId));
        Instant last = lastTimestamp(sink);
        List<Label> labels = new ArrayList<>();
        for (Judged judged : sink.labels) {
            if (last != null && !judged.judgedAt().isAfter(last)) {
                labels.add(judged.label());
            }
        }
        if (last != null) {
            labels.addAll(RevenueShapes.labels(options, shapes, ended, unjudged, sink.lines, List.copyOf(labels), last));
        }
        labels.sort(Label.ORDER);
        int badCount = options.resolvedBadRecordCount(sink.contracts.size() + sink.lines.size());
        List<BadRecord> bad = BadRecords.make(badRandom, badCount, sink.contracts, sink.lines, sink.usage);
        return new World(options, sink.contracts, sink.lines, sink.usage, sink.payments, sink.provisioning, labels,
                bad);
    }

    /** The largest record timestamp of the world: where stream time ends. */
    static Instant lastTimestamp(Sink sink) {
        Instant last = null;
        for (Contract c : sink.contracts) {
            last = later(last, c.getSignedAt());
        }
        for (InvoiceLine l : sink.lines) {
            last = later(last, l.getIssuedAt());
        }
        for (UsageRecord u : sink.usage) {
            last = later(last, u.getOccurredAt());
        }
        for (Payment p : sink.payments) {
            last = later(last, p.getAttemptedAt());
        }
        for (ProvisioningChange p : sink.provisioning) {
            last = later(last, p.getEffectiveAt());
        }
        return last;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    static Instant firstOf(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
