package io.leakwatch.detect.invoice;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.ContractBook;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-line rules of {@link InvoiceLineChecks}, without Kafka. */
class InvoiceLineChecksTest {
    private static final String ACCOUNT = "acct-1";
    private static final String FEB = "2026-02-01T00:00:00Z";
    private static final String MAR = "2026-03-01T00:00:00Z";
    private static final String ISSUED = "2026-03-01T06:00:00Z";

    private final InvoiceLineChecks checks = new InvoiceLineChecks();

    private static Contract seatsAt(String unitRate, String currency) {
        return contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", unitRate, currency, "2026-01-01T00:00:00Z", null));
    }

    private static InvoiceLine seatsLine(String quantity, String unitRate, String total, String currency) {
        return line(ACCOUNT, "inv-1", "L1", "seats", FEB, MAR, quantity, unitRate, total, currency, ISSUED);
    }

    @Test
    void shouldReportUnderBillingAsPositiveLeakage() {
        // Given a contract at 12.50 and a line billed at 11.00 for 10 seats (total correct for 11.00)
        InvoiceLine line = seatsLine("10", "11.00", "110.00", "USD");

        // When checked
        List<Finding> findings = checks.check(line, seatsAt("12.50", "USD"));

        // Then one RATE_MISMATCH of +15.00
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(f.accountId()).isEqualTo(ACCOUNT);
            assertThat(f.evidenceKey()).isEqualTo("inv-1/L1");
            assertThat(f.amount()).isEqualByComparingTo("15.00");
            assertThat(f.currency()).isEqualTo("USD");
            assertThat(f.eventTime()).isEqualTo(at(FEB));
            assertThat(f.explanation()).contains("under-billed by USD 15.00");
            assertThat(f.action()).contains("USD 15.00");
        });
    }

    @Test
    void shouldReportOverBillingAsNegativeLeakage() {
        InvoiceLine line = seatsLine("100", "12", "1200.00", "USD");

        List<Finding> findings = checks.check(line, seatsAt("10", "USD"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("-200.00");
            assertThat(f.explanation()).contains("over-billed by USD 200.00");
            assertThat(f.action()).contains("credit note for USD 200.00");
        });
    }

    @Test
    void shouldNotFlagRateDifferenceThatRoundsToZeroInTheCurrency() {
        // Given a contracted 0.01 and a billed 0.01000001 for 100 units: 0.000001 USD apart
        InvoiceLine line = seatsLine("100", "0.01000001", "1.00", "USD");

        List<Finding> findings = checks.check(line, seatsAt("0.01", "USD"));

        assertThat(findings).isEmpty();
    }

    @Test
    void shouldNotFlagHalfCentRateDifferenceThatRoundsHalfEvenToZero() {
        // Given (12.5000 - 12.4995) x 10 = 0.005 USD, which HALF_EVEN rounds to 0.00
        InvoiceLine line = seatsLine("10", "12.4995", "124.995", "USD");

        List<Finding> findings = checks.check(line, seatsAt("12.50", "USD"));

        assertThat(findings).isEmpty();
    }

    @Test
    void shouldFlagArithmeticErrorOfExactlyOneMinorUnit() {
        // Given 10 x 12.50 = 125.00 billed as 124.99
        InvoiceLine line = seatsLine("10", "12.50", "124.99", "USD");

        List<Finding> findings = checks.check(line, seatsAt("12.50", "USD"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CHARGE_ARITHMETIC);
            assertThat(f.amount()).isEqualByComparingTo("0.01");
            assertThat(f.explanation()).contains("USD 124.99").contains("USD 125.00").contains("short by USD 0.01");
            assertThat(f.action()).isNotBlank();
        });
    }

    @Test
    void shouldNotFlagArithmeticDifferenceOfExactlyHalfAMinorUnit() {
        // Given 10 x 12.5005 = 125.005, which HALF_UP rounds to 125.01 and HALF_EVEN to 125.00: both half a cent away
        List<Finding> roundedUp = checks.check(seatsLine("10", "12.5005", "125.01", "USD"), seatsAt("12.5005", "USD"));
        List<Finding> roundedEven = checks.check(seatsLine("10", "12.5005", "125.00", "USD"), seatsAt("12.5005", "USD"));

        assertThat(roundedUp).isEmpty();
        assertThat(roundedEven).isEmpty();
    }

    @Test
    void shouldFlagArithmeticDifferenceJustOverHalfAMinorUnit() {
        // Given 10 x 12.50 = 125.00 billed as 124.9949 (0.0051 apart)
        InvoiceLine line = seatsLine("10", "12.50", "124.9949", "USD");

        List<Finding> findings = checks.check(line, seatsAt("12.50", "USD"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CHARGE_ARITHMETIC);
            assertThat(f.amount()).isEqualByComparingTo("0.01");
        });
    }

    @Test
    void shouldFlagTotalRoundedUpFromMoreThanHalfACentAway() {
        // Given 0.9 x 0.17 = 0.153, billed as 0.16 (rounded up) and as 0.15 (rounded to nearest)
        Contract contract = seatsAt("0.17", "USD");
        List<Finding> roundedUp = checks.check(seatsLine("0.9", "0.17", "0.16", "USD"), contract);
        List<Finding> nearest = checks.check(seatsLine("0.9", "0.17", "0.15", "USD"), contract);

        // Then rounding up over-charges a cent, and rounding to the nearest cent passes
        assertThat(roundedUp).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CHARGE_ARITHMETIC);
            assertThat(f.amount()).isEqualByComparingTo("-0.01");
            assertThat(f.explanation()).contains("over by USD 0.01");
        });
        assertThat(nearest).isEmpty();
    }

    @Test
    void shouldReportOverChargedLineTotalAsNegative() {
        InvoiceLine line = seatsLine("10", "12.50", "130.00", "USD");

        List<Finding> findings = checks.check(line, seatsAt("12.50", "USD"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CHARGE_ARITHMETIC);
            assertThat(f.amount()).isEqualByComparingTo("-5.00");
            assertThat(f.explanation()).contains("over by USD 5.00");
            assertThat(f.action()).contains("Credit the customer USD 5.00");
        });
    }

    @Test
    void shouldReportRateAndArithmeticFindingsOnTheSameLine() {
        // Given billed 11 instead of 12.50, and 10 x 11 = 110 totalled as 100
        InvoiceLine line = seatsLine("10", "11", "100.00", "USD");

        List<Finding> findings = checks.check(line, seatsAt("12.50", "USD"));

        assertThat(findings).extracting(Finding::type)
                .containsExactly(AlertType.RATE_MISMATCH, AlertType.CHARGE_ARITHMETIC);
        assertThat(findings).extracting(Finding::amount)
                .usingElementComparator(java.math.BigDecimal::compareTo)
                .containsExactly(new java.math.BigDecimal("15"), new java.math.BigDecimal("10"));
    }

    @Test
    void shouldFormatYenWithoutMinorDigits() {
        // Given a JPY contract at 1000 per seat, billed 990 for 3 seats
        InvoiceLine line = seatsLine("3", "990", "2970", "JPY");

        List<Finding> findings = checks.check(line, seatsAt("1000", "JPY"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("30");
            assertThat(f.explanation()).contains("under-billed by JPY 30.").doesNotContain("JPY 30.00");
        });
    }

    @Test
    void shouldNotFlagYenRateDifferenceUnderOneYen() {
        // Given (100.4 - 100) x 1 = 0.4 JPY, which rounds to 0 yen
        InvoiceLine line = seatsLine("1", "100", "100", "JPY");

        List<Finding> findings = checks.check(line, seatsAt("100.4", "JPY"));

        assertThat(findings).isEmpty();
    }

    @Test
    void shouldFlagYenArithmeticErrorOfExactlyOneYen() {
        InvoiceLine line = seatsLine("3", "990", "2969", "JPY");

        List<Finding> findings = checks.check(line, seatsAt("990", "JPY"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CHARGE_ARITHMETIC);
            assertThat(f.amount()).isEqualByComparingTo("1");
            assertThat(f.explanation()).contains("short by JPY 1.");
        });
    }

    @Test
    void shouldNotFlagYenArithmeticDifferenceOfHalfAYen() {
        InvoiceLine line = seatsLine("3", "990", "2969.5", "JPY");

        List<Finding> findings = checks.check(line, seatsAt("990", "JPY"));

        assertThat(findings).isEmpty();
    }

    @Test
    void shouldFlagYenArithmeticDifferenceJustOverHalfAYen() {
        InvoiceLine line = seatsLine("3", "990", "2969.4", "JPY");

        List<Finding> findings = checks.check(line, seatsAt("990", "JPY"));

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.amount()).isEqualByComparingTo("1"));
    }

    @Test
    void shouldSkipRateCheckWhenCurrencyDiffersFromContract() {
        // Given a USD contract at 12.50 and a line billed in EUR at 11.00
        InvoiceLine line = seatsLine("10", "11.00", "110.00", "EUR");

        List<Finding> findings = checks.check(line, seatsAt("12.50", "USD"));

        // Then only CURRENCY_MISMATCH, for the whole line total
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CURRENCY_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("110.00");
            assertThat(f.currency()).isEqualTo("EUR");
            assertThat(f.evidence()).containsEntry("expected_currency", "USD").containsEntry("billed_currency", "EUR")
                    .containsEntry("billed_line_total", "110");
            assertThat(f.explanation()).contains("EUR").contains("USD");
            assertThat(f.action()).contains("re-bill it in USD");
        });
    }

    @Test
    void shouldPutLineAndContractFactsInRateMismatchEvidence() {
        InvoiceLine line = seatsLine("10", "11.00", "110.00", "USD");

        Finding f = checks.check(line, seatsAt("12.50", "USD")).get(0);

        assertThat(f.evidence())
                .containsEntry("invoice_id", "inv-1")
                .containsEntry("line_id", "L1")
                .containsEntry("service", "seats")
                .containsEntry("service_period_start", FEB)
                .containsEntry("service_period_end", MAR)
                .containsEntry("quantity", "10")
                .containsEntry("contract_id", "ctr-acct-1")
                .containsEntry("contract_version", "1")
                .containsEntry("rate_effective_from", "2026-01-01T00:00:00Z")
                .containsEntry("expected_unit_rate", "12.5")
                .containsEntry("billed_unit_rate", "11");
    }

    @Test
    void shouldPutExpectedAndBilledTotalsInArithmeticEvidence() {
        InvoiceLine line = seatsLine("10", "12.50", "124.99", "USD");

        Finding f = checks.check(line, seatsAt("12.50", "USD")).get(0);

        assertThat(f.evidence())
                .containsEntry("expected_line_total", "125")
                .containsEntry("billed_line_total", "124.99")
                .containsEntry("billed_unit_rate", "12.5")
                .containsKeys("invoice_id", "line_id", "contract_id", "contract_version", "quantity");
    }

    @Test
    void shouldReportNoActiveContractForWholeLineWhenAccountHasNoContract() {
        InvoiceLine line = seatsLine("10", "12.50", "125.00", "USD");

        List<Finding> findings = checks.check(line, new ContractBook());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.NO_ACTIVE_CONTRACT);
            assertThat(f.amount()).isEqualByComparingTo("125.00");
            assertThat(f.evidence()).containsEntry("gap", "NO_CONTRACT").doesNotContainKeys("contract_id", "contract_boundary");
            assertThat(f.explanation()).contains("USD 125.00").contains("the account has no contract");
            assertThat(f.action()).isNotBlank();
        });
    }

    @Test
    void shouldNameTheEndDateWhenContractEndedBeforeServiceDate() {
        Contract ended = contract(ACCOUNT, 4, "2025-01-01T00:00:00Z",
                rate("seats", "12.50", "USD", "2025-01-01T00:00:00Z", "2026-01-15T00:00:00Z"));
        InvoiceLine line = seatsLine("10", "12.50", "125.00", "USD");

        Finding f = checks.check(line, ended).get(0);

        assertThat(f.type()).isEqualTo(AlertType.NO_ACTIVE_CONTRACT);
        assertThat(f.evidence()).containsEntry("gap", "ENDED")
                .containsEntry("contract_boundary", "2026-01-15T00:00:00Z")
                .containsEntry("contract_id", "ctr-acct-1")
                .containsEntry("contract_version", "4");
        assertThat(f.explanation()).contains("ended on 2026-01-15");
    }

    // ------------------------------------------------------------------------------- several contracts per account

    /** A main plan for seats and an add-on for support, signed later, both still in force. */
    private static ContractBook planAndAddOn() {
        return ContractBook.of(seatsAt("12.50", "USD"), contract("ctr-support", ACCOUNT, 1, "2026-01-15T00:00:00Z",
                rate("support", "200", "USD", "2026-01-01T00:00:00Z", null)));
    }

    @Test
    void shouldCheckAMainPlanLineAgainstThePlanWhenAnAddOnContractWasSignedAfterIt() {
        InvoiceLine line = seatsLine("10", "11.00", "110.00", "USD");

        List<Finding> findings = checks.check(line, planAndAddOn());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("15.00");
            assertThat(f.evidence()).containsEntry("contract_id", "ctr-" + ACCOUNT);
        });
    }

    @Test
    void shouldCheckAnAddOnLineAgainstTheAddOnContract() {
        InvoiceLine ok = line(ACCOUNT, "inv-1", "L2", "support", FEB, MAR, "1", "200", "200.00", "USD", ISSUED);
        InvoiceLine low = line(ACCOUNT, "inv-1", "L3", "support", FEB, MAR, "1", "150", "150.00", "USD", ISSUED);

        assertThat(checks.check(ok, planAndAddOn())).isEmpty();
        assertThat(checks.check(low, planAndAddOn())).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("50.00");
            assertThat(f.evidence()).containsEntry("contract_id", "ctr-support");
            assertThat(f.explanation()).contains("contract ctr-support v1 sets 200");
        });
    }

    @Test
    void shouldCheckEachProductLineAgainstItsOwnContractAndCurrency() {
        // Given one contract per product line: seats in USD, storage in EUR
        ContractBook perProduct = ContractBook.of(seatsAt("12.50", "USD"), contract("ctr-storage", ACCOUNT, 1,
                "2026-01-01T00:00:00Z", rate("storage", "0.02", "EUR", "2026-01-01T00:00:00Z", null)));
        InvoiceLine storage = line(ACCOUNT, "inv-2", "L1", "storage", FEB, MAR, "1000", "0.02", "20.00", "EUR", ISSUED);
        InvoiceLine storageInUsd = line(ACCOUNT, "inv-2", "L2", "storage", FEB, MAR, "1000", "0.02", "20.00", "USD",
                ISSUED);

        assertThat(checks.check(seatsLine("10", "12.50", "125.00", "USD"), perProduct)).isEmpty();
        assertThat(checks.check(storage, perProduct)).isEmpty();
        assertThat(checks.check(storageInUsd, perProduct)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CURRENCY_MISMATCH);
            assertThat(f.evidence()).containsEntry("expected_currency", "EUR").containsEntry("contract_id", "ctr-storage");
        });
    }

    @Test
    void shouldExplainNoActiveContractFromTheContractThatListsTheServiceWhenItEnded() {
        ContractBook book = ContractBook.of(seatsAt("12.50", "USD"), contract("ctr-support", ACCOUNT, 1,
                "2026-01-01T00:00:00Z", rate("support", "200", "USD", "2026-01-01T00:00:00Z", FEB)));
        InvoiceLine line = line(ACCOUNT, "inv-1", "L2", "support", FEB, MAR, "1", "200", "200.00", "USD", ISSUED);

        assertThat(checks.check(line, book)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.NO_ACTIVE_CONTRACT);
            assertThat(f.evidence()).containsEntry("gap", "ENDED").containsEntry("contract_id", "ctr-support");
            assertThat(f.explanation()).contains("ended on 2026-02-01");
        });
    }

    @Test
    void shouldReportContractOverlapForTheWholeLineWhenTwoContractsPriceItsServiceOnItsDate() {
        // Given a bundle that prices seats at 12.50 and a seats contract that prices them at 10, both in force
        ContractBook book = ContractBook.of(seatsAt("12.50", "USD"), contract("ctr-bundle", ACCOUNT, 2,
                "2026-01-20T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));
        InvoiceLine line = seatsLine("10", "10", "100.00", "USD");

        List<Finding> findings = checks.check(line, book);

        // Then CONTRACT_OVERLAP for the whole line, naming both contracts and their rates, and no RATE_MISMATCH
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.CONTRACT_OVERLAP);
            assertThat(f.amount()).isEqualByComparingTo("100.00");
            assertThat(f.evidenceKey()).isEqualTo("inv-1/L1");
            assertThat(f.evidence()).containsEntry("contract_ids", "ctr-acct-1,ctr-bundle")
                    .containsEntry("ctr-acct-1.unit_rate", "12.5").containsEntry("ctr-bundle.unit_rate", "10")
                    .containsEntry("ctr-bundle.contract_version", "2");
            assertThat(f.explanation()).contains("ctr-acct-1 v1 (12.5 USD per", "ctr-bundle v2 (10 USD per");
        });
    }

    @Test
    void shouldStillCheckTheArithmeticOfALineTwoContractsPrice() {
        ContractBook book = ContractBook.of(seatsAt("12.50", "USD"), contract("ctr-bundle", ACCOUNT, 1,
                "2026-01-20T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)));

        List<Finding> findings = checks.check(seatsLine("10", "10", "90.00", "USD"), book);

        assertThat(findings).extracting(Finding::type)
                .containsExactly(AlertType.CONTRACT_OVERLAP, AlertType.CHARGE_ARITHMETIC);
    }

    @Test
    void shouldNotReportOverlapWhenTheTwoContractsCoverTheServiceOnDifferentDates() {
        // Given the old contract ends seats on Feb 1 and a new contract starts them on Feb 1
        ContractBook book = ContractBook.of(
                contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "12.50", "USD", "2026-01-01T00:00:00Z", FEB)),
                contract("ctr-renewal", ACCOUNT, 1, "2026-01-25T00:00:00Z", rate("seats", "11", "USD", FEB, null)));

        assertThat(checks.check(seatsLine("10", "11", "110.00", "USD"), book)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------- credits

    @Test
    void shouldAcceptACreditAtTheContractedRate() {
        assertThat(checks.check(seatsLine("-4", "12.50", "-50.00", "USD"), seatsAt("12.50", "USD"))).isEmpty();
    }

    @Test
    void shouldReportACreditAboveTheContractedRateAsRevenueGivenAway() {
        // Given 4 seats credited at 15 where the contract sets 12.50
        List<Finding> findings = checks.check(seatsLine("-4", "15", "-60.00", "USD"), seatsAt("12.50", "USD"));

        // Then a positive RATE_MISMATCH: 10.00 more was credited than the contract allows
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("10.00");
            assertThat(f.explanation()).contains("credited 4 unit", "over-credited by USD 10.00");
        });
    }

    @Test
    void shouldReportACreditBelowTheContractedRateAsCustomerFacing() {
        List<Finding> findings = checks.check(seatsLine("-4", "10", "-40.00", "USD"), seatsAt("12.50", "USD"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.RATE_MISMATCH);
            assertThat(f.amount()).isEqualByComparingTo("-10.00");
            assertThat(f.explanation()).contains("under-credited by USD 10.00");
            assertThat(f.action()).contains("further USD 10.00");
        });
    }

    @Test
    void shouldPriceACreditAtTheTierOfItsQuantityLeftOfZero() {
        Contract tiered = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", io.leakwatch.testing.Events.tiered("seats",
                "12.50", "USD", "2026-01-01T00:00:00Z", io.leakwatch.testing.Events.tier("100", "10")));

        assertThat(checks.check(seatsLine("-100", "10", "-1000.00", "USD"), tiered)).isEmpty();
    }
}
