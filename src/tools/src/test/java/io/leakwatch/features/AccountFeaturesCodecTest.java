package io.leakwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.World;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.serde.CorruptStateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The codec keeps the encoded bytes of the parts an event did not change. Whatever the events, that must give
 * exactly the bytes of a full encode: a part changed without {@code touched} would be stored stale (and only show
 * after a restart), so this replays a whole generated world, events in time order and some late, and compares
 * after every event.
 */
class AccountFeaturesCodecTest {
    private record Event(Instant at, String account, SpecificRecord value) {
    }

    @Test
    void shouldEncodeExactlyAsAFullEncodeAfterEveryEventOfAWorld() {
        World world = WorldGenerator.generate(GeneratorOptions.defaults(50, 20, 21));
        List<Event> events = new ArrayList<>();
        world.contracts().forEach(c -> events.add(new Event(c.getSignedAt(), c.getAccountId(), c)));
        world.invoiceLines().forEach(l -> events.add(new Event(l.getIssuedAt(), l.getAccountId(), l)));
        world.usage().forEach(u -> events.add(new Event(u.getOccurredAt(), u.getAccountId(), u)));
        world.payments().forEach(p -> events.add(new Event(p.getAttemptedAt(), p.getAccountId(), p)));
        world.provisioning().forEach(p -> events.add(new Event(p.getEffectiveAt(), p.getAccountId(), p)));
        events.removeIf(e -> e.account() == null);
        events.sort(Comparator.comparing(Event::at));
        // every 50th event arrives late: after the next 10
        for (int i = 0; i + 10 < events.size(); i += 50) {
            events.add(i + 10, events.remove(i));
        }

        Map<String, AccountFeatures> accounts = new HashMap<>();
        int compared = 0;
        for (Event e : events) {
            AccountFeatures f = accounts.computeIfAbsent(e.account(), a -> new AccountFeatures());
            if (e.value() instanceof Contract c) {
                f.add(c);
            } else if (e.value() instanceof InvoiceLine l) {
                f.add(l);
            } else if (e.value() instanceof UsageRecord u) {
                f.add(u);
            } else if (e.value() instanceof Payment p) {
                f.add(p);
            } else if (e.value() instanceof ProvisioningChange p) {
                f.add(p);
            }
            byte[] incremental = AccountFeaturesCodec.encode(f);
            assertThat(incremental).as("after event %d (%s)", compared, e.value().getClass().getSimpleName())
                    .isEqualTo(AccountFeaturesCodec.encodeFully(f));
            if (compared % 97 == 0) {
                // a decoded state (no kept bytes) encodes to the same bytes too
                AccountFeatures decoded = AccountFeaturesCodec.decode(incremental);
                assertThat(AccountFeaturesCodec.encode(decoded)).isEqualTo(incremental);
                accounts.put(e.account(), decoded);
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(5_000);
    }

    @Test
    void shouldRefuseStateOfAnotherFormatNamingBothFormats() {
        byte[] other = AccountFeaturesCodec.encode(AccountFeatures.restore("USD", 0, 0, null));
        other[0] = AccountFeaturesCodec.WITHOUT_CONTRACT_IDS - 1;

        assertThatThrownBy(() -> AccountFeaturesCodec.decode(other)).isInstanceOf(CorruptStateException.class)
                .hasMessage("account-features: format " + (AccountFeaturesCodec.WITHOUT_CONTRACT_IDS - 1)
                        + " found where formats " + AccountFeaturesCodec.WITHOUT_CONTRACT_IDS + " to "
                        + AccountFeaturesCodec.VERSION + " are expected: written by another version of Leakwatch, and"
                        + " not readable by this one (at byte 0 of " + other.length + ")");
    }
}
