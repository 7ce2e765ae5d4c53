package io.leakwatch.detect.baseline;

import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractBook;
import io.leakwatch.events.InvoiceLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What a contract's prices alone did to an invoice line: its quantity priced at the contracted rate for its service
 * on its service date, and at the rate in force a month earlier (volume tiers applied to the line's quantity; a
 * credit's quantity counts by its size, so credits and charges move the price index alike).
 * The processor and the {@code anomalies} chart both record it in the account's {@link RevenueHistory}.
 */
public final class LinePrices {
    private LinePrices() {
    }

    /**
     * The line's price effect under the account's contracts: the rate of the one contract that prices its service in
     * its month, and of the one that priced it a month earlier (the same or another). Empty when either month has
     * no single contracted rate in the line's currency (a service new this month, none at all, or two contracts
     * pricing it at once): such a line moves no price.
     */
    public static Optional<RevenueHistory.PriceEffect> effect(ContractBook contracts, InvoiceLine line) {
        if (contracts == null || contracts.isEmpty() || line.getQuantity() == null) {
            return Optional.empty();
        }
        return effect(contracts, line, contracts.at(line.getService(), line.getServicePeriodStart()));
    }

    /**
     * {@link #effect(ContractBook, InvoiceLine)} given {@code terms}, the lookup of the line's service at its service
     * date in {@code contracts} ({@link ContractBook#at}), which the line's own checks have already made.
     */
    public static Optional<RevenueHistory.PriceEffect> effect(ContractBook contracts, InvoiceLine line,
                                                              ContractBook.Terms terms) {
        if (contracts == null || contracts.isEmpty() || line.getQuantity() == null) {
            return Optional.empty();
        }
        Instant start = line.getServicePeriodStart();
        Optional<AppliedRate> now = terms.single();
        Optional<AppliedRate> before = contracts.at(line.getService(),
                start.atZone(ZoneOffset.UTC).minusMonths(1).toInstant()).single();
        if (now.isEmpty() || before.isEmpty() || !now.get().currency().equals(line.getCurrency())
                || !before.get().currency().equals(line.getCurrency())) {
            return Optional.empty();
        }
        BigDecimal q = line.getQuantity().abs();
        return Optional.of(new RevenueHistory.PriceEffect(q.multiply(now.get().unitRateFor(q)),
                q.multiply(before.get().unitRateFor(q))));
    }
}
