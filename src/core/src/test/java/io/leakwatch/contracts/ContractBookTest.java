package io.leakwatch.contracts;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Contract;
import org.junit.jupiter.api.Test;

/** The contracts of one account side by side: versions per contract id, lookups across contracts. */
class ContractBookTest {
    private static final String ACCOUNT = "acct-1";
    private static final String FROM = "2026-01-01T00:00:00Z";

    @Test
    void shouldKeepASecondContractBesideTheFirstInsteadOfReplacingIt() {
        ContractBook book = new ContractBook();
        book.add(contract(ACCOUNT, 1, FROM, rate("seats", "10", "USD", FROM, null)));
        book.add(contract("ctr-addon", ACCOUNT, 1, "2026-01-15T00:00:00Z", rate("support", "200", "USD", FROM, null)));

        assertThat(book.contracts()).extracting(Contract::getContractId).containsExactly("ctr-acct-1", "ctr-addon");
        assertThat(book.at("seats", at("2026-02-01T00:00:00Z")).single()).hasValueSatisfying(
                t -> assertThat(t.contractId()).isEqualTo("ctr-acct-1"));
        assertThat(book.at("support", at("2026-02-01T00:00:00Z")).single()).hasValueSatisfying(
                t -> assertThat(t.contractId()).isEqualTo("ctr-addon"));
    }

    @Test
    void shouldKeepTheLatestSignedVersionOfEachContractWhateverOrderTheyCameIn() {
        Contract v1 = contract(ACCOUNT, 1, FROM, rate("seats", "10", "USD", FROM, null));
        Contract v2 = contract(ACCOUNT, 2, "2026-02-01T00:00:00Z", rate("seats", "9", "USD", FROM, null));

        ContractBook book = ContractBook.of(v2, v1);

        assertThat(book.contracts()).containsExactly(v2);
    }

    @Test
    void shouldCallTwoContractsPricingOneServiceOnOneDateAnOverlap() {
        ContractBook book = ContractBook.of(contract(ACCOUNT, 1, FROM, rate("seats", "10", "USD", FROM, null)),
                contract("ctr-b", ACCOUNT, 1, FROM, rate("seats", "9", "USD", "2026-03-01T00:00:00Z", null)));

        assertThat(book.at("seats", at("2026-02-01T00:00:00Z")).overlap()).isFalse();
        assertThat(book.at("seats", at("2026-03-01T00:00:00Z")).overlap()).isTrue();
        assertThat(book.at("seats", at("2026-03-01T00:00:00Z")).covering()).extracting(AppliedRate::contractId)
                .containsExactly("ctr-acct-1", "ctr-b");
    }

    @Test
    void shouldNameTheGapOfAContractThatListsTheServiceRatherThanOneThatNeverDid() {
        ContractBook book = ContractBook.of(contract("ctr-a", ACCOUNT, 1, FROM, rate("seats", "10", "USD", FROM, null)),
                contract("ctr-b", ACCOUNT, 1, FROM, rate("support", "200", "USD", FROM, "2026-02-01T00:00:00Z")));

        ContractBook.Terms terms = book.at("support", at("2026-02-10T00:00:00Z"));

        assertThat(terms.covering()).isEmpty();
        assertThat(terms.gap().gap()).isEqualTo(ContractTerms.Gap.ENDED);
        assertThat(terms.gapContract().getContractId()).isEqualTo("ctr-b");
        assertThat(new ContractBook().at("support", at("2026-02-10T00:00:00Z")).gap().gap())
                .isEqualTo(ContractTerms.Gap.NO_CONTRACT);
    }
}
