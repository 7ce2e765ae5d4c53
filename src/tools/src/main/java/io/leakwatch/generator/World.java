package io.leakwatch.generator;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A generated billing world: good events in file order, the labels of the errors injected into them, and
 * the bad records a pipeline must reject.
 *
 * @param contracts    every contract version, by signed_at (then contract_id, version)
 * <p>Labels are the findings a perfect detector reports on this world: an injected error whose judgement
 * instant lies after the world's last record timestamp (where stream time ends) is not labelled, because no
 * detector can see it yet (see {@link Label}).
 *
 * @param invoiceLines every invoice line, by issued_at (then invoice_id, line number)
 * @param usage        every usage record, by occurred_at (then usage_id)
 * @param payments     every payment, credit and refund, by attempted_at (then payment_id)
 * @param provisioning every provisioning change, by effective_at (then change_id)
 * @param labels       one per visible injected error, by period, account_id, evidence_key
 * @param badRecords   raw lines to mix into the topic files, by target and position
 */
public record World(GeneratorOptions options, List<Contract> contracts, List<InvoiceLine> invoiceLines,
                    List<UsageRecord> usage, List<Payment> payments, List<ProvisioningChange> provisioning,
                    List<Label> labels, List<BadRecord> badRecords) {

    public World {
        contracts = List.copyOf(contracts);
        invoiceLines = List.copyOf(invoiceLines);
        usage = List.copyOf(usage);
        payments = List.copyOf(payments);
        provisioning = List.copyOf(provisioning);
        labels = List.copyOf(labels);
        badRecords = List.copyOf(badRecords);
    }

    /**
     * Summary counts.
     *
     * @param contracts      distinct contracts (one per account)
     * @param amendments     contract versions above 1
     * @param endedContracts contracts whose latest version ends every rate line
     * @param labelsByType   injected errors per label type
     * @param labelTotals    labelled amount per label type and currency
     */
    public record Counts(int accounts, int contracts, int contractVersions, int amendments, int endedContracts,
                         int invoices, int invoiceLines, int usageRecords, int payments, int provisioningChanges,
                         int labels, SortedMap<String, Integer> labelsByType,
                         SortedMap<String, SortedMap<String, BigDecimal>> labelTotals, int badRecords) {

        /** Labels that are findings: every label line but the revenue shapes' bookkeeping. */
        public int injectedFindings() {
            return labelsByType.entrySet().stream()
                    .filter(e -> !RevenueShapes.bookkeeping(e.getKey()))
                    .mapToInt(Map.Entry::getValue)
                    .sum();
        }
    }

    public Counts counts() {
        Map<String, Contract> latest = new TreeMap<>();
        for (Contract contract : contracts) {
            latest.merge(contract.getContractId(), contract, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
        }
        int ended = (int) latest.values().stream()
                .filter(c -> !c.getLines().isEmpty() && c.getLines().stream().allMatch(l -> l.getEffectiveTo() != null))
                .count();
        Set<String> invoices = new HashSet<>();
        invoiceLines.forEach(line -> invoices.add(line.getInvoiceId()));
        SortedMap<String, Integer> byType = new TreeMap<>();
        SortedMap<String, SortedMap<String, BigDecimal>> totals = new TreeMap<>();
        for (Label label : labels) {
            byType.merge(label.type(), 1, Integer::sum);
            totals.computeIfAbsent(label.type(), t -> new TreeMap<>()).merge(label.currency(), label.amount(), BigDecimal::add);
        }
        return new Counts(options.accounts(), latest.size(), contracts.size(), contracts.size() - latest.size(), ended,
                invoices.size(), invoiceLines.size(), usage.size(), payments.size(), provisioning.size(), labels.size(),
                byType, totals, badRecords.size());
    }

    /** A few lines for people: what was generated and how much leakage was injected, per type and currency. */
    public String summary() {
        Counts counts = counts();
        StringBuilder out = new StringBuilder();
        out.append(String.format("World of seed %d: %d month(s) from %s\n", options.seed(), options.months(),
                options.startMonth()));
        out.append(String.format("  accounts         %d\n", counts.accounts()));
        out.append(String.format("  contracts        %d (%d versions: %d amendments; %d ended)\n", counts.contracts(),
                counts.contractVersions(), counts.amendments(), counts.endedContracts()));
        out.append(String.format("  invoices         %d with %d lines\n", counts.invoices(), counts.invoiceLines()));
        out.append(String.format("  usage records    %d\n", counts.usageRecords()));
        out.append(String.format("  payments         %d\n", counts.payments()));
        out.append(String.format("  provisioning     %d changes\n", counts.provisioningChanges()));
        out.append(String.format("  injected errors  %d\n", counts.injectedFindings()));
        counts.labelsByType().forEach((type, n) -> {
            if (!RevenueShapes.bookkeeping(type)) {
                out.append(String.format("    %-28s %6d  %s\n", type, n,
                        counts.labelTotals().get(type).entrySet().stream()
                                .map(e -> MoneyFormat.format(e.getValue(), e.getKey()))
                                .collect(Collectors.joining(", "))));
            }
        });
        int shaped = counts.labelsByType().getOrDefault(RevenueShapes.SHAPE_LABEL, 0);
        if (shaped > 0) {
            out.append(String.format("  revenue shapes   %d account(s) shaped, %d span(s) of months left unscored\n",
                    shaped, counts.labelsByType().getOrDefault(RevenueShapes.UNJUDGED_LABEL, 0)));
        }
        Map<BadRecord.Target, Long> badByTarget = new TreeMap<>(badRecords.stream()
                .collect(Collectors.groupingBy(BadRecord::target, Collectors.counting())));
        out.append(String.format("  bad records      %d%s\n", counts.badRecords(), badByTarget.isEmpty() ? ""
                : badByTarget.entrySet().stream().map(e -> e.getValue() + " in " + e.getKey().fileName())
                        .collect(Collectors.joining(", ", " (", ")"))));
        return out.toString();
    }
}
