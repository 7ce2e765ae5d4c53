package io.leakwatch.generator;

import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.events.InvoiceLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The monthly invoice of one account and its line errors. Invoice {@code inv-<account>-<yyyyMM>} is issued on the
 * 1st of the next month at 06:00 UTC, due 30 days later, one line per service; a month with a mid-month rate change
 * is split into pro-rata lines at the change date, so every line is priced by one rate line.
 * <pre>
 * clean line: unit_rate  = AppliedRate.unitRateFor(quantity) of the terms in force at service_period_start
 *             line_total = round(unit_rate * quantity)   (HALF_EVEN, minor unit)
 * </pre>
 * A line has at most one error: priced from a stale price book ({@link BillingProblem}, {@value #STALE_PRICE_LINE_SHARE}
 * of the lines of the repriced service after the onset), else a one-off RATE_MISMATCH or CHARGE_ARITHMETIC at the
 * options' rates. A service billed short ({@link Shortfall}) carries no line error.
 */
final class InvoiceBuilder {
    /** Per line of the affected service after the onset: priced from the stale price book. */
    static final double STALE_PRICE_LINE_SHARE = 0.9;

    private final Account account;
    private final GeneratorOptions options;
    private final SplittableRandom random;

    InvoiceBuilder(Account account, GeneratorOptions options, SplittableRandom random) {
        this.account = account;
        this.options = options;
        this.random = random;
    }

    /** The month's lines, with their labels added to {@code labels}; {@code shortfall} may be null. */
    List<BuiltLine> invoice(int month, Shortfall shortfall, List<Judged> labels) {
        YearMonth period = account.period(month);
        Instant periodStart = WorldGenerator.firstOf(period);
        Instant periodEnd = WorldGenerator.firstOf(period.plusMonths(1));
        Instant issued = periodEnd.plus(WorldGenerator.ISSUE_TIME);
        String invoiceId = account.invoiceId(period);
        List<BuiltLine> lines = new ArrayList<>();
        for (CatalogService service : account.services()) {
            boolean short_ = shortfall != null && shortfall.service() == service;
            if (short_ && shortfall.billed() == null) {
                continue;
            }
            List<Instant> cuts = new ArrayList<>();
            cuts.add(periodStart);
            cuts.addAll(account.contract().changesWithin(service, periodStart, periodEnd));
            cuts.add(periodEnd);
            BigDecimal monthQuantity = short_ ? shortfall.billed() : account.billedQuantity(service, month);
            BigDecimal remaining = monthQuantity;
            long monthSeconds = Duration.between(periodStart, periodEnd).toSeconds();
            for (int p = 0; p + 1 < cuts.size(); p++) {
                Instant from = cuts.get(p);
                Instant to = cuts.get(p + 1);
                BigDecimal quantity;
                if (p + 2 == cuts.size()) {
                    quantity = remaining;
                } else {
                    quantity = monthQuantity.multiply(BigDecimal.valueOf(Duration.between(from, to).toSeconds()))
                            .divide(BigDecimal.valueOf(monthSeconds), service.quantityScale(), RoundingMode.HALF_EVEN);
                    remaining = remaining.subtract(quantity);
                }
                String description = service.id() + " " + WorldGenerator.PERIOD.format(period)
                        + (cuts.size() > 2 ? " pro rata " + day(from) + ".." + day(to.minus(Duration.ofDays(1))) : "");
                lines.add(priceLine(service, invoiceId, "L" + (lines.size() + 1), from, to,
                        Pricing.quantity(quantity), issued, description, WorldGenerator.PERIOD.format(period), !short_,
                        cuts.size() == 2, labels));
            }
        }
        return lines;
    }

    private BuiltLine priceLine(CatalogService service, String invoiceId, String lineId, Instant from, Instant to,
                                BigDecimal quantity, Instant issued, String description, String period,
                                boolean mayErr, boolean wholeMonth, List<Judged> labels) {
        AppliedRate terms = account.termsAt(service, from);
        BigDecimal rate = terms.unitRateFor(quantity);
        BigDecimal total = Pricing.lineTotal(rate, quantity, account.currency());
        Optional<LineError> error = lineError(service, from, quantity, terms, rate, mayErr);
        if (error.isPresent()) {
            LineError e = error.get();
            rate = e.billedRate();
            total = e.lineTotal();
            labels.add(new Judged(new Label(e.type().name(), account.id(), invoiceId + "/" + lineId, e.amount(),
                    account.currency(), invoiceId, lineId, period, e.cause()), issued));
        }
        InvoiceLine line = InvoiceLine.newBuilder()
                .setInvoiceId(invoiceId)
                .setLineId(lineId)
                .setAccountId(account.id())
                .setService(service.id())
                .setServicePeriodStart(from)
                .setServicePeriodEnd(to)
                .setQuantity(quantity)
                .setUnitRate(rate)
                .setLineTotal(total)
                .setCurrency(account.currency())
                .setIssuedAt(issued)
                .setDueAt(issued.plus(WorldGenerator.PAYMENT_TERMS))
                .setDescription(description)
                .build();
        return new BuiltLine(line, mayErr && error.isEmpty() && wholeMonth && total.signum() > 0);
    }

    /**
     * The line's error, if any. One draw per line picks the one-off error (RATE_MISMATCH below the rate error rate,
     * CHARGE_ARITHMETIC in the next arithmetic error rate), made before the stale price book's own draw; a line
     * priced from the stale book gets no one-off error.
     */
    private Optional<LineError> lineError(CatalogService service, Instant from, BigDecimal quantity,
                                          AppliedRate terms, BigDecimal rate, boolean mayErr) {
        double draw = random.nextDouble();
        boolean eligible = mayErr && quantity.signum() > 0;
        if (eligible && account.problem().staleRates(service, account.monthIndex(from))
                && random.nextDouble() < STALE_PRICE_LINE_SHARE) {
            Optional<LineError> stale = account.previousTerms(terms)
                    .flatMap(old -> RateMismatchInjector.stalePriceBook(quantity, terms, old));
            if (stale.isPresent()) {
                return stale;
            }
        }
        if (eligible && draw < options.rateErrorRate()) {
            return RateMismatchInjector.oneOff(random, quantity, terms, account.previousTerms(terms));
        }
        if (eligible && draw < options.rateErrorRate() + options.arithmeticErrorRate()) {
            return ChargeArithmeticInjector.inject(random, quantity, rate, account.currency());
        }
        return Optional.empty();
    }

    private static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
