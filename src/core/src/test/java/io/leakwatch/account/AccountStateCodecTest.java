package io.leakwatch.account;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.scoring.StubRiskScorer;
import io.leakwatch.serde.CorruptStateException;
import io.leakwatch.topology.RiskSettings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The stored account state, on the busy account of {@link AccountEngineTest} scored by a stub: every part (ledger,
 * invoices, standing alerts, revenue history, features, published risk) present.
 */
class AccountStateCodecTest {

    private static AccountState busyState() {
        StubRiskScorer scorer = new StubRiskScorer().set(AccountEngineTest.ACCOUNT, 0.91, 0.05, 0.10, "3 failed payments");
        return AccountEngineTest.run(AccountEngineTest.engine(RiskSettings.off().withScorer(scorer)),
                AccountEngineTest.history(), "2026-05-01T00:00:00Z", EngineSink.NONE);
    }

    @Test
    void shouldRestoreEveryPartOfABusyStateToTheSameBytes() {
        AccountState state = busyState();
        byte[] bytes = AccountStateCodec.encode(state);

        AccountState back = AccountStateCodec.decode(bytes);

        assertThat(back.features()).isEqualTo(state.features()).isNotNull();
        assertThat(back.risk()).isEqualTo(state.risk());
        assertThat(back.risk().published()).isNotNull();
        assertThat(back.standing().entries()).isEqualTo(state.standing().entries()).isNotEmpty();
        assertThat(back.position()).isEqualTo(state.position());
        assertThat(AccountStateCodec.encode(back)).isEqualTo(bytes);
        assertThat(back.position().time()).isEqualTo(at("2026-05-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void shouldRefuseAStateOfAnotherFormatNamingBothFormats() {
        byte[] bytes = AccountStateCodec.encode(busyState());
        bytes[0] = 1;

        assertThatThrownBy(() -> AccountStateCodec.decode(bytes)).isInstanceOf(CorruptStateException.class)
                .hasMessage("account-state: format 1 found where formats " + AccountStateCodec.ONE_CONTRACT + " to "
                        + AccountStateCodec.VERSION + " are expected: "
                        + "written by another version of Leakwatch, and not readable by this one (at byte 0 of "
                        + bytes.length + ")");
    }

    @Test
    void shouldRestoreEveryContractOfAnAccountWithSeveralContracts() {
        AccountState state = busyState();
        state.contracts.add(contract("ctr-addon", AccountEngineTest.ACCOUNT, 3, "2026-02-01T00:00:00Z",
                rate("support", "99", "USD", "2026-02-01T00:00:00Z", null)));
        byte[] bytes = AccountStateCodec.encode(state);

        AccountState back = AccountStateCodec.decode(bytes);

        assertThat(back.contracts.contracts()).extracting(c -> c.getContractId() + " v" + c.getVersion())
                .containsExactly("ctr-acct-1 v2", "ctr-addon v3");
        assertThat(AccountStateCodec.encode(back)).isEqualTo(bytes);
    }

    @Test
    void shouldWriteTheNewVersionWhenAContractChangesBetweenEncodings() {
        AccountState state = busyState();
        AccountStateCodec.encode(state);
        state.contracts.add(contract("ctr-acct-1", AccountEngineTest.ACCOUNT, 7, "2026-04-01T00:00:00Z",
                rate("support", "120", "USD", "2026-04-01T00:00:00Z", null)));

        AccountState back = AccountStateCodec.decode(AccountStateCodec.encode(state));

        assertThat(back.contracts.contracts()).extracting(c -> c.getContractId() + " v" + c.getVersion())
                .containsExactly("ctr-acct-1 v7");
        assertThat(state.encodedContracts).hasSize(1);
    }

    @Test
    void shouldReadAStateWrittenInTheOneContractFormat() {
        // Format 2 wrote "contract present" (one byte 1) and the contract's bytes where format 3 writes a count of one
        // and the same bytes: the rest of the layout is the same, so a one-contract state of format 3 with the format
        // byte set to 2 is exactly what format 2 wrote for it.
        AccountState state = busyState();
        byte[] current = AccountStateCodec.encode(state);
        byte[] old = current.clone();
        old[0] = AccountStateCodec.ONE_CONTRACT;

        AccountState back = AccountStateCodec.decode(old);

        assertThat(back.contracts.contracts()).singleElement()
                .satisfies(c -> assertThat(c.getVersion()).isEqualTo(2));
        assertThat(back.standing().entries()).isEqualTo(state.standing().entries());
        assertThat(AccountStateCodec.encode(back)).isEqualTo(current);
    }

    @Test
    void shouldFailOnEveryTruncationWithTheStoreNamed() {
        byte[] whole = AccountStateCodec.encode(busyState());
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> AccountStateCodec.decode(cut)).as("cut to %d bytes", length)
                    .isInstanceOf(CorruptStateException.class).hasMessageStartingWith("account-state: ");
        }
    }
}
