package io.leakwatch.generator;

import io.leakwatch.events.InvoiceLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Everything about one account, from the account's own random stream: the stream splits off an injection stream
 * and an activity stream, then draws the account ({@link Account}). In this order:
 * <ol>
 *   <li>the contract versions;</li>
 *   <li>month-level errors (injection stream): at most one per month and none in a month with a mid-month rate
 *   change (the rules price with the terms at the period start): MISSING_INVOICE, else UNBILLED_USAGE, else
 *   PROVISIONING_MISMATCH;</li>
 *   <li>the invoices and their line errors ({@link InvoiceBuilder}, injection stream);</li>
 *   <li>duplicate charges ({@link DuplicateChargeInjector}, injection stream), never in a month with a month-level
 *   error;</li>
 *   <li>per invoice, its payment plan ({@link PaymentProblemInjector}, injection stream) and payments
 *   ({@link PaymentPlanner}, activity stream); supplementary invoices last;</li>
 *   <li>the CHURN label ({@link Churn}), the usage records ({@link UsageRecords}, activity stream) and the seat
 *   provisioning ({@link ProvisioningRecords}).</li>
 * </ol>
 * The order is part of the world: another order draws other numbers and makes another world.
 */
final class AccountBuilder {
    private final GeneratorOptions options;
    private final Account account;
    private final SplittableRandom injections;
    private final SplittableRandom activity;
    private final WorldGenerator.Sink sink;

    private AccountBuilder(GeneratorOptions options, Account account, SplittableRandom injections,
                           SplittableRandom activity, WorldGenerator.Sink sink) {
        this.options = options;
        this.account = account;
        this.injections = injections;
        this.activity = activity;
        this.sink = sink;
    }

    /** Adds the account's records and labels to {@code sink}; {@code shape} (null: none) is its revenue shape. */
    static Account build(GeneratorOptions options, String id, SplittableRandom random, RevenueShapes.Shape shape,
                         WorldGenerator.Sink sink) {
        SplittableRandom injections = random.split();
        SplittableRandom activity = random.split();
        Account account = Account.draw(options, id, random, shape);
        new AccountBuilder(options, account, injections, activity, sink).build();
        return account;
    }

    private void build() {
        sink.contracts.addAll(account.contract().versions());
        int months = account.billedMonths();
        boolean[] missing = new boolean[months];
        Shortfall[] shortfalls = new Shortfall[months];
        drawMonthErrors(missing, shortfalls);
        InvoiceBuilder invoicing = new InvoiceBuilder(account, options, injections);
        List<List<BuiltLine>> invoices = new ArrayList<>();
        for (int month = 0; month < months; month++) {
            invoices.add(missing[month] ? List.of() : invoicing.invoice(month, shortfalls[month], sink.labels));
        }
        DuplicateChargeInjector.Result duplicates = DuplicateChargeInjector.inject(account, options, injections,
                invoices, missing, shortfalls, sink);
        for (int month = 0; month < months; month++) {
            List<BuiltLine> lines = invoices.get(month);
            lines.forEach(b -> sink.lines.add(b.line()));
            if (!lines.isEmpty()) {
                pay(payable(month, lines), duplicates.carriesCopy()[month], account.churn().at(month));
            }
        }
        for (PaymentPlanner.Invoice invoice : duplicates.supplementary()) {
            pay(invoice, true, 0);
        }
        account.churn().label(account, invoices).ifPresent(sink.labels::add);
        UsageRecords.add(account, activity, sink.usage);
        ProvisioningRecords.add(account, sink.provisioning);
    }

    private void drawMonthErrors(boolean[] missing, Shortfall[] shortfalls) {
        for (int month = 0; month < account.billedMonths(); month++) {
            if (account.midMonthChange(month)) {
                continue;
            }
            Optional<Judged> missed = MissingInvoiceInjector.inject(account, month, options, injections);
            if (missed.isPresent()) {
                missing[month] = true;
                sink.labels.add(missed.get());
                continue;
            }
            for (CatalogService service : account.services()) {
                if (shortfalls[month] == null && service.metered()) {
                    shortfalls[month] = record(UnbilledUsageInjector.inject(account, service, month, options,
                            injections));
                }
            }
            if (shortfalls[month] == null && account.services().contains(CatalogService.SEATS)) {
                shortfalls[month] = record(ProvisioningMismatchInjector.inject(account, month, options, injections));
            }
        }
    }

    /** The shortfall with its label recorded, or null. */
    private Shortfall record(Optional<Shortfall> shortfall) {
        shortfall.ifPresent(s -> sink.labels.add(s.label()));
        return shortfall.orElse(null);
    }

    private PaymentPlanner.Invoice payable(int month, List<BuiltLine> lines) {
        InvoiceLine first = lines.get(0).line();
        BigDecimal total = BigDecimal.ZERO;
        for (BuiltLine b : lines) {
            total = total.add(b.line().getLineTotal());
        }
        return new PaymentPlanner.Invoice(first.getInvoiceId(), account.id(), account.currency(), first.getIssuedAt(),
                first.getDueAt(), total, WorldGenerator.PERIOD.format(account.period(month)));
    }

    /** {@code distress}: the month's precursor intensity; it turns clean payments into struggling ones. */
    private void pay(PaymentPlanner.Invoice invoice, boolean fullOnly, double distress) {
        PaymentPlanner.Plan plan = PaymentProblemInjector.plan(options, injections, fullOnly, distress);
        PaymentPlanner.Outcome outcome = PaymentPlanner.plan(activity, invoice, plan);
        sink.payments.addAll(outcome.payments());
        outcome.label().ifPresent(sink.labels::add);
    }
}
