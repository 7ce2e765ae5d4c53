package io.leakwatch.detect.period;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.dec;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.tier;
import static io.leakwatch.testing.Events.tiered;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractBook;
import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The period-close formulas of docs/detectors.md, as plain Java. */
class PeriodRulesTest {
    private static final String ACCOUNT = "acct-7";
    private static final BillingPeriod MARCH = BillingPeriod.parse("2026-03");
    private static final String FROM = "2026-01-01T00:00:00Z";

    private final PeriodRules rules = new PeriodRules();

    private static RateLine committed(RateLine line, String quantity) {
        line.setCommittedQuantity(dec(quantity, 6));
        return line;
    }

    private static AppliedRate applied(RateLine line) {
        return new AppliedRate(line, "ctr-1", 1);
    }

    private static PeriodLedger ledger(String service, String used, String billed) {
        PeriodLedger ledger = new PeriodLedger();
        if (used != null) {
            ledger.addUsage(service, new BigDecimal(used));
        }
        if (billed != null) {
            ledger.addLine("inv-3/L1@0", service, new BigDecimal(billed));
        }
        return ledger;
    }

    private List<Finding> judge(PeriodLedger ledger, Contract contract) {
        return rules.evaluate(ACCOUNT, MARCH, ledger, Map.of(), contract);
    }

    @Test
    void shouldPriceFlatRateAsQuantityTimesRate() {
        assertThat(PeriodRules.price(applied(rate("api", "0.125", "USD", FROM, null)), new BigDecimal("10")))
                .isEqualByComparingTo("1.25");
    }

    @Test
    void shouldPriceEveryUnitAtTheRateOfTheTierTheQuantityReaches() {
        AppliedRate terms = applied(tiered("api", "1.00", "USD", FROM, tier("100", "0.80"), tier("1000", "0.50")));

        assertThat(PeriodRules.price(terms, new BigDecimal("99"))).isEqualByComparingTo("99");
        assertThat(PeriodRules.price(terms, new BigDecimal("100"))).isEqualByComparingTo("80");
        assertThat(PeriodRules.price(terms, new BigDecimal("1000"))).isEqualByComparingTo("500");
    }

    @Test
    void shouldBillTheCommitmentWhenUsageIsBelowIt() {
        AppliedRate terms = applied(committed(rate("api", "1", "USD", FROM, null), "100"));

        assertThat(PeriodRules.billable(terms, new BigDecimal("40"))).isEqualByComparingTo("100");
        assertThat(PeriodRules.billable(terms, new BigDecimal("140"))).isEqualByComparingTo("140");
    }

    @Test
    void shouldBillUsageAsIsWithoutCommitment() {
        assertThat(PeriodRules.billable(applied(rate("api", "1", "USD", FROM, null)), new BigDecimal("40")))
                .isEqualByComparingTo("40");
    }

    @Test
    void shouldNotFlagUsageExactlyAtTheCommitmentWhenTheCommitmentIsBilled() {
        Contract c = contract(ACCOUNT, 1, FROM, committed(rate("api", "2", "USD", FROM, null), "100"));

        assertThat(judge(ledger("api", "100", "100"), c)).isEmpty();
    }

    @Test
    void shouldFlagOneUnitAboveTheCommitmentPricedAtTheRate() {
        Contract c = contract(ACCOUNT, 1, FROM, committed(rate("api", "2", "USD", FROM, null), "100"));

        assertThat(judge(ledger("api", "101", "100"), c)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.UNBILLED_USAGE);
            assertThat(f.amount()).isEqualByComparingTo("2.00");
            assertThat(f.evidenceKey()).isEqualTo("api/2026-03");
            assertThat(f.eventTime()).isEqualTo(at("2026-03-01T00:00:00Z"));
        });
    }

    @Test
    void shouldFlagAnUnbilledCommitmentWhenUsageIsBelowIt() {
        Contract c = contract(ACCOUNT, 1, FROM, committed(rate("api", "2", "USD", FROM, null), "100"));

        assertThat(judge(ledger("api", "30", "30"), c)).singleElement().satisfies(f -> {
            assertThat(f.amount()).isEqualByComparingTo("140.00");
            assertThat(f.evidence()).containsEntry("used_quantity", "30").containsEntry("billable_quantity", "100")
                    .containsEntry("committed_quantity", "100");
            assertThat(f.explanation()).contains("below its commitment of 100");
        });
    }

    @Test
    void shouldPriceUnbilledUsageWithTheTiersOfEachQuantity() {
        // used 1000 -> every unit at 0.50 = 500; billed 900 -> every unit at 0.80 = 720: nothing was lost
        Contract c = contract(ACCOUNT, 1, FROM,
                tiered("api", "1.00", "USD", FROM, tier("100", "0.80"), tier("1000", "0.50")));
        assertThat(judge(ledger("api", "1000", "900"), c)).singleElement()
                .satisfies(f -> assertThat(f.amount()).isEqualByComparingTo("-220.00"));

        // used 150 -> 120.00; billed 50 at the base rate -> 50.00
        assertThat(judge(ledger("api", "150", "50"), c)).singleElement().satisfies(f -> {
            assertThat(f.amount()).isEqualByComparingTo("70.00");
            assertThat(f.evidence()).containsEntry("expected_unit_rate", "0.8");
        });
    }

    @Test
    void shouldRoundTheDifferenceOnceHalfEvenToTheMinorUnit() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("api", "0.005", "USD", FROM, null));

        // 0.005 rounds half-even to 0.00: no alert
        assertThat(judge(ledger("api", "101", "100"), c)).isEmpty();
        // 0.015 rounds half-even to 0.02
        assertThat(judge(ledger("api", "103", "100"), c)).singleElement()
                .satisfies(f -> assertThat(f.amount()).isEqualByComparingTo("0.02"));
    }

    @Test
    void shouldRoundYenToWholeUnits() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("api", "2.5", "JPY", FROM, null));

        // 3 x 2.5 = 7.5 -> 8 (half-even)
        assertThat(judge(ledger("api", "13", "10"), c)).singleElement().satisfies(f -> {
            assertThat(f.amount()).isEqualByComparingTo("8");
            assertThat(f.currency()).isEqualTo("JPY");
        });
    }

    @Test
    void shouldExplainUnbilledUsageToFinanceInOneSentence() {
        RateLine line = rate("api-calls", "0.48", "USD", FROM, null);
        line.setUnit("1k-api-calls");
        Contract c = contract(ACCOUNT, 1, FROM, line);

        assertThat(judge(ledger("api-calls", "12500", "10000"), c)).singleElement().satisfies(f -> {
            assertThat(f.explanation()).isEqualTo("In 2026-03 acct-7 used 12,500 1k-api-calls of api-calls but was "
                    + "invoiced for 10,000: USD 1,200.00 of usage was never billed.");
            assertThat(f.action()).contains("supplementary invoice for USD 1,200.00");
            assertThat(f.evidence()).containsEntry("service", "api-calls").containsEntry("period", "2026-03")
                    .containsEntry("used_quantity", "12500").containsEntry("billed_quantity", "10000")
                    .containsEntry("unit_rate", "0.48").containsEntry("contract_id", "ctr-acct-7")
                    .containsEntry("contract_version", "1");
        });
    }

    @Test
    void shouldNotJudgeUsageOfAServiceTheContractDoesNotPrice() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("api", "1", "USD", FROM, null));
        PeriodLedger ledger = ledger("api", "10", "10");
        ledger.addUsage("storage", new BigDecimal("500"));

        assertThat(judge(ledger, c)).isEmpty();
    }

    @Test
    void shouldNotJudgeAnAccountWithoutContract() {
        assertThat(judge(ledger("api", "10", null), null)).isEmpty();
    }

    @Test
    void shouldRaiseMissingInvoiceInsteadOfUnbilledUsageWhenNoLineWasInvoiced() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("api", "2", "USD", FROM, null));

        assertThat(judge(ledger("api", "10", null), c)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.MISSING_INVOICE);
            assertThat(f.amount()).isEqualByComparingTo("20.00");
            assertThat(f.evidenceKey()).isEqualTo("2026-03");
        });
    }

    @Test
    void shouldSumMeteredProvisionedAndCommittedServicesIntoMissingInvoice() {
        Contract c = contract(ACCOUNT, 1, FROM,
                committed(rate("api", "0.10", "USD", FROM, null), "1000"),   // metered 1500 -> 150.00
                rate("seats", "25", "USD", FROM, null),                       // provisioned 4 -> 100.00
                committed(rate("support", "99.995", "USD", FROM, null), "1"), // committed 1 -> 100.00 (half-even)
                rate("storage", "3", "USD", FROM, null));                     // nothing -> 0
        PeriodLedger ledger = ledger("api", "1500", null);

        List<Finding> findings = rules.evaluate(ACCOUNT, MARCH, ledger, Map.of("seats", new BigDecimal("4")), c);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.MISSING_INVOICE);
            assertThat(f.amount()).isEqualByComparingTo("350.00");
            assertThat(f.currency()).isEqualTo("USD");
            assertThat(f.evidence()).containsEntry("api.basis", "metered").containsEntry("api.expected_quantity", "1500")
                    .containsEntry("seats.basis", "provisioned").containsEntry("seats.amount", "100")
                    .containsEntry("support.basis", "committed").containsEntry("support.amount", "100")
                    .containsEntry("storage.amount", "0");
            assertThat(f.explanation()).isEqualTo("No invoice was issued to acct-7 for 2026-03 although contract "
                    + "ctr-acct-7 v1 was in force: USD 350.00 (api, seats, storage, support) was never billed.");
        });
    }

    @Test
    void shouldNotRaiseMissingInvoiceWhenNothingWasOwed() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("api", "0.10", "USD", FROM, null));

        assertThat(judge(new PeriodLedger(), c)).isEmpty();
    }

    @Test
    void shouldNotRaiseMissingInvoiceWhenTheContractEndedBeforeThePeriod() {
        Contract c = contract(ACCOUNT, 1, FROM,
                committed(rate("support", "100", "USD", FROM, "2026-03-01T00:00:00Z"), "1"));

        assertThat(judge(new PeriodLedger(), c)).isEmpty();
    }

    @Test
    void shouldRaiseOneMissingInvoicePerCurrencyWithDistinctKeys() {
        Contract c = contract(ACCOUNT, 1, FROM,
                committed(rate("support", "100", "USD", FROM, null), "1"),
                committed(rate("hosting", "50", "EUR", FROM, null), "1"));

        assertThat(judge(new PeriodLedger(), c))
                .extracting(Finding::evidenceKey, Finding::currency, f -> f.amount().stripTrailingZeros().toPlainString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2026-03/EUR", "EUR", "50"),
                        org.assertj.core.groups.Tuple.tuple("2026-03/USD", "USD", "100"));
    }

    @Test
    void shouldFlagProvisionedLevelAboveBilled() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("seats", "25", "USD", FROM, null));
        List<Finding> findings = rules.evaluate(ACCOUNT, MARCH, ledger("seats", null, "20"),
                Map.of("seats", new BigDecimal("25")), c);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.PROVISIONING_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("125.00");
            assertThat(f.evidenceKey()).isEqualTo("seats/2026-03");
            assertThat(f.evidence()).containsEntry("provisioned_quantity", "25").containsEntry("billed_quantity", "20");
            assertThat(f.explanation()).isEqualTo("In 2026-03 acct-7 was provisioned with 25 unit of seats but was "
                    + "invoiced for 20: USD 125.00 was never billed.");
        });
    }

    @Test
    void shouldNotFlagProvisionedLevelBilledInFull() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("seats", "25", "USD", FROM, null));

        assertThat(rules.evaluate(ACCOUNT, MARCH, ledger("seats", null, "25"), Map.of("seats", new BigDecimal("25")), c))
                .isEmpty();
    }

    @Test
    void shouldApplyTheCommitmentToTheProvisionedLevel() {
        Contract c = contract(ACCOUNT, 1, FROM, committed(rate("seats", "25", "USD", FROM, null), "10"));

        assertThat(rules.evaluate(ACCOUNT, MARCH, ledger("seats", null, "8"), Map.of("seats", new BigDecimal("5")), c))
                .singleElement().satisfies(f -> assertThat(f.amount()).isEqualByComparingTo("50.00"));
    }

    @Test
    void shouldCountAProvisioningChangeFromItsOwnPeriodOnlyWhenEffectiveAtItsStart() {
        assertThat(PeriodRules.firstPeriodAffected(at("2026-03-01T00:00:00Z"))).isEqualTo(MARCH);
        assertThat(PeriodRules.firstPeriodAffected(at("2026-03-01T00:00:01Z"))).isEqualTo(MARCH.next());
        assertThat(PeriodRules.firstPeriodAffected(at("2026-02-15T00:00:00Z"))).isEqualTo(MARCH);
    }

    @Test
    void shouldSeeAContractInForceUntilItsLastRateLineEnds() {
        Contract c = contract(ACCOUNT, 1, FROM, rate("api", "1", "USD", FROM, "2026-04-01T00:00:00Z"));

        assertThat(PeriodRules.inForceAtOrAfter(c, at("2026-03-01T00:00:00Z"))).isTrue();
        assertThat(PeriodRules.inForceAtOrAfter(c, at("2026-04-01T00:00:00Z"))).isFalse();
    }

    // ------------------------------------------------------------------------------- several contracts per account

    private static final Contract PLAN = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
            committed(rate("seats", "10", "USD", FROM, null), "5"));
    private static final Contract ADD_ON = contract("ctr-addon", ACCOUNT, 1, "2026-02-01T00:00:00Z",
            rate("api", "2", "USD", FROM, null));

    @Test
    void shouldPriceUnbilledUsageAtTheAddOnContractThatPricesTheService() {
        List<Finding> findings = rules.evaluate(ACCOUNT, MARCH, ledger("api", "100", "80"), Map.of(),
                ContractBook.of(PLAN, ADD_ON));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.UNBILLED_USAGE);
            assertThat(f.amount()).isEqualByComparingTo("40.00");
            assertThat(f.evidence()).containsEntry("contract_id", "ctr-addon");
        });
    }

    @Test
    void shouldCountEveryContractInForceWhenNoInvoiceWasIssued() {
        PeriodLedger ledger = ledger("api", "30", null);

        List<Finding> findings = rules.evaluate(ACCOUNT, MARCH, ledger, Map.of(), ContractBook.of(PLAN, ADD_ON));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.MISSING_INVOICE);
            assertThat(f.amount()).isEqualByComparingTo("110.00");    // 5 committed seats x 10 + 30 api x 2
            assertThat(f.evidence()).containsEntry("contract_id", "ctr-acct-7,ctr-addon")
                    .containsEntry("contract_version", "1,1");
            assertThat(f.explanation()).contains("although contracts ctr-acct-7 v1 and ctr-addon v1 were in force");
        });
    }

    @Test
    void shouldNotJudgeUsageOfAServiceTwoContractsPriceAtOnce() {
        Contract apiToo = contract("ctr-api", ACCOUNT, 1, "2026-02-01T00:00:00Z", rate("api", "3", "USD", FROM, null));

        assertThat(rules.evaluate(ACCOUNT, MARCH, ledger("api", "100", "80"), Map.of(),
                ContractBook.of(PLAN, ADD_ON, apiToo))).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------- credits

    @Test
    void shouldCountACreditAgainstTheBilledQuantityOfItsService() {
        // Given 100 api calls used, 100 billed and 30 credited back
        PeriodLedger ledger = ledger("api", "100", "100");
        ledger.addLine("cn-1/L1@0", "api", new BigDecimal("-30"));

        List<Finding> findings = judge(ledger, contract(ACCOUNT, 1, FROM, rate("api", "2", "USD", FROM, null)));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.UNBILLED_USAGE);
            assertThat(f.amount()).isEqualByComparingTo("60.00");
        });
    }

    @Test
    void shouldCallAPeriodWithOnlyACreditNoteNotInvoiced() {
        PeriodLedger ledger = new PeriodLedger();
        ledger.addLine("cn-1/L1@0", "seats", new BigDecimal("-2"));

        List<Finding> findings = judge(ledger, contract(ACCOUNT, 1, FROM,
                committed(rate("seats", "10", "USD", FROM, null), "5")));

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.type()).isEqualTo(AlertType.MISSING_INVOICE));
    }
}
