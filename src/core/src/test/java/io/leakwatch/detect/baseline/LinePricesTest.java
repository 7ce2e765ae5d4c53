package io.leakwatch.detect.baseline;

import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.contracts.ContractBook;
import io.leakwatch.events.InvoiceLine;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class LinePricesTest {
    private final ContractBook contracts = ContractBook.of(contract("a", 1, "2026-01-01T00:00:00Z",
            rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
            rate("seats", "12", "USD", "2026-03-01T00:00:00Z", null)));
    private final InvoiceLine march = line("a", "inv-3", "L1", "seats", "2026-03-01T00:00:00Z",
            "2026-04-01T00:00:00Z", "5", "12", "60", "USD", "2026-04-01T06:00:00Z");

    @Test
    void shouldPriceTheLineAtItsMonthsRateAndTheMonthBefores() {
        RevenueHistory.PriceEffect effect = LinePrices.effect(contracts, march).orElseThrow();

        assertThat(effect.atPrices()).isEqualByComparingTo(new BigDecimal("60"));
        assertThat(effect.atPriorPrices()).isEqualByComparingTo(new BigDecimal("50"));
    }

    @Test
    void shouldGiveTheSameEffectFromTheLookupTheLineChecksMade() {
        ContractBook.Terms terms = contracts.at(march.getService(), march.getServicePeriodStart());

        assertThat(LinePrices.effect(contracts, march, terms)).isEqualTo(LinePrices.effect(contracts, march));
    }

    @Test
    void shouldMoveNoPriceWhenTheMonthBeforeHadNoContract() {
        InvoiceLine january = line("a", "inv-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                "5", "10", "50", "USD", "2026-02-01T06:00:00Z");

        assertThat(LinePrices.effect(contracts, january,
                contracts.at(january.getService(), january.getServicePeriodStart()))).isEmpty();
    }
}
