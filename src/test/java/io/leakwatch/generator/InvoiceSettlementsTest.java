package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InvoiceSettlementsTest {
    private static final World WORLD = WorldGenerator.generate(GeneratorOptions.defaults(40, 4, 7));

    @Test
    void shouldPayEveryInvoiceItsInvoicedTotalOnceBetweenIssueAndDue() {
        List<Payment> payments = InvoiceSettlements.of(WORLD.invoiceLines());
        Map<String, BigDecimal> totals = WORLD.invoiceLines().stream().collect(Collectors.groupingBy(
                InvoiceLine::getInvoiceId, Collectors.reducing(BigDecimal.ZERO, InvoiceLine::getLineTotal, BigDecimal::add)));

        assertThat(payments).hasSize(totals.size());
        for (Payment p : payments) {
            InvoiceLine line = WORLD.invoiceLines().stream()
                    .filter(l -> l.getInvoiceId().equals(p.getInvoiceId())).findFirst().orElseThrow();
            assertThat(p.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
            assertThat(p.getAmount()).isEqualByComparingTo(totals.get(p.getInvoiceId()));
            assertThat(p.getCurrency()).isEqualTo(line.getCurrency());
            assertThat(p.getAccountId()).isEqualTo(line.getAccountId());
            assertThat(p.getAttemptedAt()).isAfter(line.getIssuedAt());
            assertThat(p.getAttemptedAt()).isBeforeOrEqualTo(line.getDueAt());
        }
    }

    @Test
    void shouldBeTheSameForTheSameWorld() {
        assertThat(InvoiceSettlements.of(WORLD.invoiceLines())).isEqualTo(InvoiceSettlements.of(WORLD.invoiceLines()));
    }
}
