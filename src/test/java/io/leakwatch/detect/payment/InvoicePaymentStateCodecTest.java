package io.leakwatch.detect.payment;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.testing.Events;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InvoicePaymentStateCodecTest {
    private static final PaymentTerms TERMS =
            new PaymentTerms(Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(7));

    @Test
    void shouldRoundTripEveryField() {
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-1");
        state.addLine(line("acct-1", "inv-1", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "12.3456", "37.0368", "USD", "2026-03-01T00:00:00Z"), TERMS);
        Payment failed = Events.payment("acct-1", "p1", "inv-1", "37.04", "USD", PaymentStatus.FAILED,
                "2026-03-05T00:00:00Z");
        state.addPayment(failed);
        state.addPayment(Events.payment("acct-1", "p2", "inv-1", "10", "EUR", PaymentStatus.CREDITED,
                "2026-03-06T00:00:00Z"));
        new PaymentRules(TERMS).judgeUpTo(state, at("2026-03-12T00:00:00Z"));
        state.indexedAt(1_775_174_400_000L);

        InvoicePaymentState copy = InvoicePaymentStateCodec.decode(InvoicePaymentStateCodec.encode(state));

        assertThat(copy).usingRecursiveComparison().isEqualTo(state);
        assertThat(copy.failureJudged()).isTrue();
        assertThat(copy.payments().get(0).failureReason()).isEqualTo("insufficient_funds");
        assertThat(copy.payments().get(1).failureReason()).isNull();
    }

    @Test
    void shouldRoundTripAStateWithoutLines() {
        InvoicePaymentState state = InvoicePaymentState.open("acct-1", "inv-9");

        InvoicePaymentState copy = InvoicePaymentStateCodec.decode(InvoicePaymentStateCodec.encode(state));

        assertThat(copy).usingRecursiveComparison().isEqualTo(state);
        assertThat(copy.hasLines()).isFalse();
        assertThat(copy.indexedAt()).isNull();
    }
}
