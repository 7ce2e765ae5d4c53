package io.leakwatch.detect.baseline;

import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractTerms;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What a contract's prices alone did to an invoice line: its quantity priced at the contracted rate for its service
 * on its service date, and at the rate in force a month earlier (volume tiers applied to the line's quantity).
 * The processor and the {@code anomalies} chart both record it in the account's {@link RevenueHistory}.
 */
public final class LinePrices {
    private LinePrices() {
    }

    /**
     * The line's price effect under {@code contract}, or empty when the contract has no rate in the line's currency
     * for its service in either month (a service new this month, or none at all, moves no price).
     */
    public static Optional<RevenueHistory.PriceEffect> effect(Contract contract, InvoiceLine line) {
        if (contract == null || line.getQuantity() == null) {
            return Optional.empty();
        }
        Instant start = line.getServicePeriodStart();
        Optional<AppliedRate> now = ContractTerms.at(contract, line.getService(), start).rate();
        Optional<AppliedRate> before = ContractTerms.at(contract, line.getService(),
                start.atZone(ZoneOffset.UTC).minusMonths(1).toInstant()).rate();
        if (now.isEmpty() || before.isEmpty() || !now.get().currency().equals(line.getCurrency())
                || !before.get().currency().equals(line.getCurrency())) {
            return Optional.empty();
        }
        BigDecimal q = line.getQuantity();
        return Optional.of(new RevenueHistory.PriceEffect(q.multiply(now.get().unitRateFor(q)),
                q.multiply(before.get().unitRateFor(q))));
    }
}
