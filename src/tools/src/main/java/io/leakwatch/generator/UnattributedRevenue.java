package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Unattributed revenue, every billed month and currency: lines with no {@code account_id} (on invoices
 * {@code inv-unassigned-<yyyyMM>-<CCY>}, never paid) and invoices of "ghost" accounts that have no contract
 * ({@code acct-9<c><nnn>}, paid in full, so they raise no payment finding). Issued with the regular billing
 * run (the 1st at 06:00 UTC), so they are in before their period closes.
 *
 * <p>Per (period, currency), with {@code billed} = the line totals of the period (by
 * {@code service_period_start}) in that currency:
 * <pre>
 * usually:   unattributed <= 0.5 * min(1000 major units, 0.005 * billed)   (no alert, with margin)
 * spikes:    unattributed >= 1500 major units                            (alert whatever billed is)
 * label:     UNATTRIBUTED_REVENUE, account UNATTRIBUTED, evidence yyyy-MM/CCY, amount = unattributed,
 *            judged when the next period closes
 * </pre>
 * {@code billed} here counts only lines issued before the period closes, the smallest total any reading of
 * the rule can use, and the margins make the outcome the same whether late duplicates count or not. The last
 * billed month never gets a spike: its summary is only final when the following month closes, after the world
 * ends.
 */
final class UnattributedRevenue {
    static final String ACCOUNT = "UNATTRIBUTED";
    static final BigDecimal MIN_AMOUNT = Judged.DETECTION.unattributedMinAmount();
    static final BigDecimal MIN_SHARE = Judged.DETECTION.unattributedMinShare();
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "JPY");
    private static final List<String> WHAT = List.of("consulting hours", "setup fee", "training session",
            "overage adjustment", "professional services");

    private UnattributedRevenue() {
    }

    static void add(GeneratorOptions options, SplittableRandom random, WorldGenerator.Sink sink) {
        Map<String, Map<String, BigDecimal>> billed = new TreeMap<>();
        for (InvoiceLine line : sink.lines) {
            YearMonth period = YearMonth.from(line.getServicePeriodStart().atZone(ZoneOffset.UTC));
            if (!line.getIssuedAt().isAfter(Judged.closeOf(period))) {
                billed.computeIfAbsent(period.toString(), p -> new TreeMap<>())
                        .merge(line.getCurrency(), line.getLineTotal(), BigDecimal::add);
            }
        }
        List<String> eligible = new ArrayList<>();
        for (int m = 0; m + 1 < options.months(); m++) {
            String period = options.startMonth().plusMonths(m).toString();
            for (String currency : CURRENCIES) {
                if (billed.getOrDefault(period, Map.of()).containsKey(currency)) {
                    eligible.add(period + "/" + currency);
                }
            }
        }
        List<String> spikes = new ArrayList<>();
        for (int i = 0; i < options.unattributedSpikes() && !eligible.isEmpty(); i++) {
            spikes.add(eligible.remove(random.nextInt(eligible.size())));
        }
        for (int m = 0; m < options.months(); m++) {
            YearMonth period = options.startMonth().plusMonths(m);
            for (String currency : CURRENCIES) {
                BigDecimal total = billed.getOrDefault(period.toString(), Map.of()).get(currency);
                if (total == null) {
                    continue;
                }
                boolean spike = spikes.contains(period + "/" + currency);
                BigDecimal target;
                if (spike) {
                    target = BigDecimal.valueOf(random.nextInt(1500, 6001));
                } else {
                    BigDecimal cap = MIN_AMOUNT.min(total.multiply(MIN_SHARE)).multiply(new BigDecimal("0.5"));
                    target = cap.multiply(BigDecimal.valueOf(random.nextDouble(0.3, 1.0)));
                    if (target.compareTo(BigDecimal.ONE) < 0) {
                        continue;
                    }
                }
                period(random, sink, period, currency, target, spike);
            }
        }
    }

    private static void period(SplittableRandom random, WorldGenerator.Sink sink, YearMonth period, String currency,
                               BigDecimal target, boolean spike) {
        int pieces = 1 + random.nextInt(3);
        Instant periodStart = WorldGenerator.firstOf(period);
        Instant periodEnd = WorldGenerator.firstOf(period.plusMonths(1));
        Instant issued = periodEnd.plus(WorldGenerator.ISSUE_TIME);
        String periodId = WorldGenerator.PERIOD_ID.format(period);
        Map<String, List<InvoiceLine>> invoices = new TreeMap<>();
        Map<String, String> accountOf = new TreeMap<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < pieces; i++) {
            BigDecimal piece = target.divide(BigDecimal.valueOf(pieces), 8, RoundingMode.HALF_EVEN);
            String account = null;
            String invoiceId = "inv-unassigned-" + periodId + "-" + currency;
            if (random.nextBoolean()) {
                account = String.format("acct-9%d%03d", CURRENCIES.indexOf(currency), 1 + random.nextInt(40));
                invoiceId = "inv-" + account + "-" + periodId;
            }
            long quantity = 1 + random.nextInt(5);
            BigDecimal rate = Pricing.rate(piece.divide(BigDecimal.valueOf(quantity), 8, RoundingMode.HALF_EVEN), currency);
            BigDecimal lineTotal = Pricing.lineTotal(rate, BigDecimal.valueOf(quantity), currency);
            if (lineTotal.signum() <= 0) {
                continue;
            }
            List<InvoiceLine> lines = invoices.computeIfAbsent(invoiceId, k -> new ArrayList<>());
            accountOf.put(invoiceId, account);
            String what = WHAT.get(random.nextInt(WHAT.size()));
            lines.add(InvoiceLine.newBuilder()
                    .setInvoiceId(invoiceId)
                    .setLineId("L" + (lines.size() + 1))
                    .setAccountId(account)
                    .setService(what.replace(' ', '-'))
                    .setServicePeriodStart(periodStart)
                    .setServicePeriodEnd(periodEnd)
                    .setQuantity(Pricing.quantity(BigDecimal.valueOf(quantity)))
                    .setUnitRate(rate)
                    .setLineTotal(lineTotal)
                    .setCurrency(currency)
                    .setIssuedAt(issued)
                    .setDueAt(issued.plus(WorldGenerator.PAYMENT_TERMS))
                    .setDescription(what + " " + period + (account == null ? " (no account on file)" : ""))
                    .build());
            sum = sum.add(lineTotal);
        }
        invoices.forEach((invoiceId, lines) -> {
            sink.lines.addAll(lines);
            String account = accountOf.get(invoiceId);
            if (account != null) {
                BigDecimal total = lines.stream().map(InvoiceLine::getLineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
                sink.payments.addAll(PaymentPlanner.plan(random, new PaymentPlanner.Invoice(invoiceId, account,
                        currency, issued, issued.plus(WorldGenerator.PAYMENT_TERMS), total, period.toString()),
                        PaymentPlanner.Plan.FULL_ONLY).payments());
            }
        });
        if (spike && sum.signum() > 0) {
            sink.labels.add(new Judged(new Label(AlertType.UNATTRIBUTED_REVENUE.name(), ACCOUNT,
                    period + "/" + currency, Currencies.round(sum, currency), currency, null, null, period.toString(),
                    "revenue not attributed: lines without an account and invoices of accounts with no contract"),
                    Judged.closeOf(period.plusMonths(1))));
        }
    }
}
