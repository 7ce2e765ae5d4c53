package io.leakwatch.account;

import static io.leakwatch.testing.Events.at;
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
                .hasMessage("account-state: format 1 found where format " + AccountStateCodec.VERSION + " is expected: "
                        + "written by another version of Leakwatch, and not readable by this one (at byte 0 of "
                        + bytes.length + ")");
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
