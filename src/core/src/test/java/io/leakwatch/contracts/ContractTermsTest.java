package io.leakwatch.contracts;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.contracts.ContractTerms.Gap;
import io.leakwatch.contracts.ContractTerms.Lookup;
import io.leakwatch.events.Contract;
import org.junit.jupiter.api.Test;

/** As-of lookup of the rate line in force: {@code effective_from <= at < effective_to}, latest start wins. */
class ContractTermsTest {
    private static final String ACCOUNT = "acct-1";

    @Test
    void shouldApplyLineExactlyAtItsEffectiveFrom() {
        // Given a line in force from 1 March
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "12.50", "USD", "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z"));

        // When looked up at exactly 1 March 00:00
        Lookup lookup = ContractTerms.at(c, "seats", at("2026-03-01T00:00:00Z"));

        // Then the line is in force
        assertThat(lookup.rate()).hasValueSatisfying(r -> {
            assertThat(r.line().getUnitRate()).isEqualByComparingTo("12.50");
            assertThat(r.contractId()).isEqualTo("ctr-acct-1");
            assertThat(r.contractVersion()).isEqualTo(1);
        });
        assertThat(lookup.gap()).isNull();
        assertThat(lookup.boundary()).isEmpty();
    }

    @Test
    void shouldNotApplyLineExactlyAtItsEffectiveTo() {
        // Given the only line ends (exclusive) on 1 June
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "12.50", "USD", "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z"));

        // When looked up at exactly 1 June 00:00
        Lookup lookup = ContractTerms.at(c, "seats", at("2026-06-01T00:00:00Z"));

        // Then it is no longer in force: the contract ended on 1 June
        assertThat(lookup.rate()).isEmpty();
        assertThat(lookup.gap()).isEqualTo(Gap.ENDED);
        assertThat(lookup.boundary()).contains(at("2026-06-01T00:00:00Z"));
    }

    @Test
    void shouldApplyLineOneMillisecondBeforeItsEffectiveTo() {
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "12.50", "USD", "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z"));

        Lookup lookup = ContractTerms.at(c, "seats", at("2026-05-31T23:59:59.999Z"));

        assertThat(lookup.rate()).isPresent();
    }

    @Test
    void shouldHandOverToNextLineAtTheBoundaryBetweenAdjacentWindows() {
        // Given 10 until 15 March (exclusive), 8 from 15 March
        Contract c = contract(ACCOUNT, 2, "2026-03-10T00:00:00Z",
                rate("api", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-15T00:00:00Z"),
                rate("api", "8", "USD", "2026-03-15T00:00:00Z", null));

        // When looked up at the boundary instant
        Lookup lookup = ContractTerms.at(c, "api", at("2026-03-15T00:00:00Z"));

        // Then the new line applies
        assertThat(lookup.rate()).hasValueSatisfying(r -> assertThat(r.line().getUnitRate()).isEqualByComparingTo("8"));
    }

    @Test
    void shouldPreferLatestEffectiveFromWhenAmendmentLeftOverlappingLines() {
        // Given an open-ended line from January and an amendment line from April, both covering May
        Contract c = contract(ACCOUNT, 2, "2026-03-20T00:00:00Z",
                rate("api", "10", "USD", "2026-01-01T00:00:00Z", null),
                rate("api", "7.5", "USD", "2026-04-01T00:00:00Z", null));

        // When looked up in May
        Lookup lookup = ContractTerms.at(c, "api", at("2026-05-10T12:00:00Z"));

        // Then the newest agreement governs
        assertThat(lookup.rate()).hasValueSatisfying(r -> {
            assertThat(r.line().getUnitRate()).isEqualByComparingTo("7.5");
            assertThat(r.line().getEffectiveFrom()).isEqualTo(at("2026-04-01T00:00:00Z"));
            assertThat(r.contractVersion()).isEqualTo(2);
        });
    }

    @Test
    void shouldPreferLatestEffectiveFromRegardlessOfLineOrder() {
        // Given the same overlap, amendment listed first
        Contract c = contract(ACCOUNT, 2, "2026-03-20T00:00:00Z",
                rate("api", "7.5", "USD", "2026-04-01T00:00:00Z", null),
                rate("api", "10", "USD", "2026-01-01T00:00:00Z", null));

        Lookup lookup = ContractTerms.at(c, "api", at("2026-05-10T12:00:00Z"));

        assertThat(lookup.rate()).hasValueSatisfying(r -> assertThat(r.line().getUnitRate()).isEqualByComparingTo("7.5"));
    }

    @Test
    void shouldUseOlderOverlappingLineBeforeAmendmentStarts() {
        Contract c = contract(ACCOUNT, 2, "2026-03-20T00:00:00Z",
                rate("api", "10", "USD", "2026-01-01T00:00:00Z", null),
                rate("api", "7.5", "USD", "2026-04-01T00:00:00Z", null));

        Lookup lookup = ContractTerms.at(c, "api", at("2026-03-31T23:59:59Z"));

        assertThat(lookup.rate()).hasValueSatisfying(r -> assertThat(r.line().getUnitRate()).isEqualByComparingTo("10"));
    }

    @Test
    void shouldReportNoContractWhenContractIsNull() {
        Lookup lookup = ContractTerms.at(null, "seats", at("2026-03-01T00:00:00Z"));

        assertThat(lookup.rate()).isEmpty();
        assertThat(lookup.gap()).isEqualTo(Gap.NO_CONTRACT);
        assertThat(lookup.boundary()).isEmpty();
    }

    @Test
    void shouldReportServiceNotInContractWhenNoLineNamesTheService() {
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "12.50", "USD", "2026-01-01T00:00:00Z", null));

        Lookup lookup = ContractTerms.at(c, "storage", at("2026-03-01T00:00:00Z"));

        assertThat(lookup.rate()).isEmpty();
        assertThat(lookup.gap()).isEqualTo(Gap.SERVICE_NOT_IN_CONTRACT);
        assertThat(lookup.boundary()).isEmpty();
    }

    @Test
    void shouldReportBeforeStartWithFirstStartAsBoundary() {
        // Given the service's lines start on 1 March and 1 July
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "12", "USD", "2026-07-01T00:00:00Z", null),
                rate("seats", "10", "USD", "2026-03-01T00:00:00Z", "2026-07-01T00:00:00Z"));

        // When looked up one millisecond before the first start
        Lookup lookup = ContractTerms.at(c, "seats", at("2026-02-28T23:59:59.999Z"));

        // Then the gap is BEFORE_START at the earliest start
        assertThat(lookup.rate()).isEmpty();
        assertThat(lookup.gap()).isEqualTo(Gap.BEFORE_START);
        assertThat(lookup.boundary()).contains(at("2026-03-01T00:00:00Z"));
    }

    @Test
    void shouldReportEndedWithLatestEndAsBoundary() {
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z"),
                rate("seats", "11", "USD", "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z"));

        Lookup lookup = ContractTerms.at(c, "seats", at("2026-09-15T00:00:00Z"));

        assertThat(lookup.rate()).isEmpty();
        assertThat(lookup.gap()).isEqualTo(Gap.ENDED);
        assertThat(lookup.boundary()).contains(at("2026-07-01T00:00:00Z"));
    }

    @Test
    void shouldReportNotCoveredForHoleBetweenTwoWindows() {
        // Given windows [Jan, Mar) and [May, Aug): April is a hole
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
                rate("seats", "11", "USD", "2026-05-01T00:00:00Z", "2026-08-01T00:00:00Z"));

        Lookup lookup = ContractTerms.at(c, "seats", at("2026-04-10T00:00:00Z"));

        assertThat(lookup.rate()).isEmpty();
        assertThat(lookup.gap()).isEqualTo(Gap.NOT_COVERED);
        assertThat(lookup.boundary()).isEmpty();
    }

    @Test
    void shouldReportNotCoveredForHoleBeforeAnOpenEndedWindow() {
        Contract c = contract(ACCOUNT, 1, "2026-01-01T00:00:00Z",
                rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
                rate("seats", "11", "USD", "2026-05-01T00:00:00Z", null));

        Lookup lookup = ContractTerms.at(c, "seats", at("2026-03-01T00:00:00Z"));

        assertThat(lookup.gap()).isEqualTo(Gap.NOT_COVERED);
    }
}
