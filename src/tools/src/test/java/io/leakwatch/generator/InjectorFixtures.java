package io.leakwatch.generator;

import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/** Contracts, lines and drawn accounts for the injector tests. */
final class InjectorFixtures {
    static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
    static final Instant TO = Instant.parse("2024-04-01T00:00:00Z");
    static final Instant ISSUED = Instant.parse("2024-04-01T06:00:00Z");

    /** Only the given error rates switched on: no hygiene problem can be drawn unless they allow it. */
    static final GeneratorOptions CLEAN = GeneratorOptions.defaults(1, 12, 1).withLineErrorsOnly()
            .withRateErrorRate(0).withArithmeticErrorRate(0);

    private InjectorFixtures() {
    }

    /** A one-version contract with one api-calls rate line in {@code currency}, tiered like the generator's. */
    static Contract contract(String currency, BigDecimal rate) {
        List<Tier> tiers = ContractSchedule.tiers(rate, currency);
        RateLine line = RateLine.newBuilder()
                .setService(CatalogService.API_CALLS.id())
                .setUnit(CatalogService.API_CALLS.unit())
                .setUnitRate(Pricing.rate(rate, currency))
                .setCurrency(currency)
                .setEffectiveFrom(Instant.parse("2024-01-01T00:00:00Z"))
                .setEffectiveTo(null)
                .setCommittedQuantity(null)
                .setTiers(tiers)
                .build();
        return Contract.newBuilder()
                .setContractId("ctr-acct-00001")
                .setAccountId("acct-00001")
                .setVersion(1)
                .setSignedAt(Instant.parse("2023-12-20T10:00:00Z"))
                .setLines(List.of(line))
                .build();
    }

    static AppliedRate terms(Contract contract) {
        return new AppliedRate(contract.getLines().get(0), contract.getContractId(), contract.getVersion());
    }

    /** The api-calls line of March 2024 as billed with the error put on it. */
    static InvoiceLine billed(LineError error, BigDecimal quantity, String currency) {
        return InvoiceLine.newBuilder()
                .setInvoiceId("inv-acct-00001-202403")
                .setLineId("L1")
                .setAccountId("acct-00001")
                .setService(CatalogService.API_CALLS.id())
                .setServicePeriodStart(FROM)
                .setServicePeriodEnd(TO)
                .setQuantity(Pricing.quantity(quantity))
                .setUnitRate(error.billedRate())
                .setLineTotal(error.lineTotal())
                .setCurrency(currency)
                .setIssuedAt(ISSUED)
                .setDueAt(ISSUED.plus(WorldGenerator.PAYMENT_TERMS))
                .setDescription("api-calls 2024-03")
                .build();
    }

    /** The first account drawn from seeds 1, 2, ... that has what {@code wanted} asks for. */
    static Account account(GeneratorOptions options, Predicate<Account> wanted) {
        for (long seed = 1; seed < 10_000; seed++) {
            Account account = Account.draw(options, "acct-00001", new SplittableRandom(seed), null);
            if (wanted.test(account)) {
                return account;
            }
        }
        throw new AssertionError("no account of the first 10,000 seeds is as wanted");
    }
}
