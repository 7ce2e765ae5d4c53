package io.leakwatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.InvoiceLine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DuplicateChargeInjectorTest {
    /** Every clean whole-month line is a candidate and the first of each month is always copied. */
    private static final GeneratorOptions ALWAYS = InjectorFixtures.CLEAN.withLeakageRates(1, 0, 0, 0, 0, 0, 0)
            .withAmendmentRate(0);

    @Test
    void shouldBillTheFirstCleanLineOfEveryMonthAgainUnchangedAndLabelItWithItsNegatedTotal() {
        Account account = InjectorFixtures.account(ALWAYS, a -> !a.churn().churns() && a.services().size() > 1);
        WorldGenerator.Sink sink = new WorldGenerator.Sink();
        SplittableRandom random = new SplittableRandom(3);
        List<List<BuiltLine>> invoices = invoices(account, random);
        List<List<BuiltLine>> before = invoices.stream().map(List::copyOf).toList();
        int months = account.billedMonths();

        DuplicateChargeInjector.Result result = DuplicateChargeInjector.inject(account, ALWAYS, random, invoices,
                new boolean[months], new Shortfall[months], sink);

        // the last month can carry no copy: no next invoice, and a supplementary one would end after the world
        assertThat(sink.labels).hasSize(months - 1);
        for (int month = 0; month + 1 < months; month++) {
            InvoiceLine original = before.get(month).stream().filter(BuiltLine::copyable).findFirst()
                    .orElseThrow().line();
            InvoiceLine copy = copyOf(original, invoices, sink);
            // the same charge: only where and when it is billed differ
            assertThat(InvoiceLine.newBuilder(copy).setInvoiceId(original.getInvoiceId())
                    .setLineId(original.getLineId()).setIssuedAt(original.getIssuedAt())
                    .setDueAt(original.getDueAt()).build()).isEqualTo(original);
            assertThat(copy.getIssuedAt()).isAfter(original.getIssuedAt());
            Label label = sink.labels.get(month).label();
            assertThat(label.type()).isEqualTo(AlertType.DUPLICATE_CHARGE.name());
            assertThat(label.evidenceKey()).isEqualTo(copy.getInvoiceId() + "/" + copy.getLineId());
            assertThat(label.amount()).isEqualByComparingTo(original.getLineTotal().negate());
            assertThat(label.period()).isEqualTo(WorldGenerator.PERIOD.format(account.period(month)));
            assertThat(sink.labels.get(month).judgedAt()).isEqualTo(copy.getIssuedAt());
            boolean onNext = copy.getInvoiceId().equals(account.invoiceId(account.period(month + 1)));
            assertThat(result.carriesCopy()[month + 1]).isEqualTo(onNext);
        }
        assertThat(result.supplementary()).hasSize(sink.lines.size());
        assertThat(sink.lines).allSatisfy(line -> assertThat(line.getInvoiceId()).endsWith("-S1"));
    }

    @Test
    void shouldCopyNothingFromAMonthWithAMonthLevelError() {
        Account account = InjectorFixtures.account(ALWAYS, a -> !a.churn().churns());
        WorldGenerator.Sink sink = new WorldGenerator.Sink();
        SplittableRandom random = new SplittableRandom(3);
        List<List<BuiltLine>> invoices = invoices(account, random);
        int months = account.billedMonths();
        boolean[] missing = new boolean[months];
        Shortfall[] shortfalls = new Shortfall[months];
        for (int month = 0; month < months; month++) {
            missing[month] = month % 2 == 0;
            shortfalls[month] = month % 2 == 0 ? null : new Shortfall(CatalogService.SEATS, null, null);
        }

        DuplicateChargeInjector.inject(account, ALWAYS, random, invoices, missing, shortfalls, sink);

        assertThat(sink.labels).isEmpty();
        assertThat(sink.lines).isEmpty();
    }

    private static List<List<BuiltLine>> invoices(Account account, SplittableRandom random) {
        InvoiceBuilder invoicing = new InvoiceBuilder(account, ALWAYS, random);
        List<List<BuiltLine>> invoices = new ArrayList<>();
        for (int month = 0; month < account.billedMonths(); month++) {
            invoices.add(invoicing.invoice(month, null, new ArrayList<>()));
        }
        return invoices;
    }

    /** The copy of {@code original}: on a later month's invoice or on a supplementary invoice. */
    private static InvoiceLine copyOf(InvoiceLine original, List<List<BuiltLine>> invoices, WorldGenerator.Sink sink) {
        List<InvoiceLine> candidates = new ArrayList<>(sink.lines);
        invoices.forEach(lines -> lines.forEach(b -> candidates.add(b.line())));
        return candidates.stream()
                .filter(line -> line != original && line.getServicePeriodStart().equals(original.getServicePeriodStart())
                        && line.getService().equals(original.getService()))
                .filter(line -> !line.getInvoiceId().equals(original.getInvoiceId()))
                .findFirst().orElseThrow();
    }
}
