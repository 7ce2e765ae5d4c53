package io.leakwatch.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a {@link World} as JSON Lines (UTF-8, {@code \n} after every line), one file per topic plus the
 * labels and a manifest:
 * <ul>
 *   <li>{@code contracts.jsonl}, {@code invoices.jsonl}, {@code usage.jsonl}, {@code payments.jsonl},
 *   {@code provisioning.jsonl}: one event per line in the canonical JSON of {@link JsonEventCodec#encodeLine},
 *   each sorted by its record timestamp (signed_at, issued_at, occurred_at, attempted_at, effective_at), with
 *   the world's bad records written before the good line at their position;</li>
 *   <li>{@code labels.jsonl}: one {@link Label#toJsonLine()} per line;</li>
 *   <li>{@code manifest.json}: the options and the counts.</li>
 * </ul>
 * The same world always gives the same bytes.
 */
public final class WorldFiles {
    public static final String CONTRACTS = BadRecord.Target.CONTRACTS.fileName();
    public static final String INVOICES = BadRecord.Target.INVOICES.fileName();
    public static final String USAGE = BadRecord.Target.USAGE.fileName();
    public static final String PAYMENTS = "payments.jsonl";
    public static final String PROVISIONING = "provisioning.jsonl";
    public static final String LABELS = "labels.jsonl";
    public static final String MANIFEST = "manifest.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WorldFiles() {
    }

    /** Writes the topic files, labels and manifest into {@code dir} (created when missing), replacing files of the same name. */
    public static void write(World world, Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonEventCodec<Contract> contracts = new JsonEventCodec<>(EventType.CONTRACT);
        JsonEventCodec<InvoiceLine> lines = new JsonEventCodec<>(EventType.INVOICE_LINE);
        writeTopic(dir.resolve(CONTRACTS), world.contracts(), contracts::encodeLine,
                badRecordsOf(world, BadRecord.Target.CONTRACTS));
        writeTopic(dir.resolve(INVOICES), world.invoiceLines(), lines::encodeLine,
                badRecordsOf(world, BadRecord.Target.INVOICES));
        writeTopic(dir.resolve(USAGE), world.usage(), new JsonEventCodec<UsageRecord>(EventType.USAGE)::encodeLine,
                badRecordsOf(world, BadRecord.Target.USAGE));
        writeTopic(dir.resolve(PAYMENTS), world.payments(), new JsonEventCodec<Payment>(EventType.PAYMENT)::encodeLine,
                List.of());
        writeTopic(dir.resolve(PROVISIONING), world.provisioning(),
                new JsonEventCodec<ProvisioningChange>(EventType.PROVISIONING)::encodeLine, List.of());
        try (Writer out = writer(dir.resolve(LABELS))) {
            for (Label label : world.labels()) {
                out.write(label.toJsonLine());
                out.write('\n');
            }
        }
        try (Writer out = writer(dir.resolve(MANIFEST))) {
            out.write(manifest(world));
            out.write('\n');
        }
    }

    /** The manifest: the options (bad_record_count resolved) and the world's counts, pretty-printed. */
    public static String manifest(World world) {
        GeneratorOptions options = world.options();
        World.Counts counts = world.counts();
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode opts = root.putObject("options");
        opts.put("accounts", options.accounts());
        opts.put("months", options.months());
        opts.put("seed", options.seed());
        opts.put("start_month", options.startMonth().toString());
        opts.put("rate_error_rate", options.rateErrorRate());
        opts.put("arithmetic_error_rate", options.arithmeticErrorRate());
        opts.put("bad_record_count", world.badRecords().size());
        opts.put("amendment_rate", options.amendmentRate());
        opts.put("duplicate_charge_rate", options.duplicateChargeRate());
        opts.put("unbilled_usage_rate", options.unbilledUsageRate());
        opts.put("missing_invoice_rate", options.missingInvoiceRate());
        opts.put("provisioning_mismatch_rate", options.provisioningMismatchRate());
        opts.put("failed_payment_rate", options.failedPaymentRate());
        opts.put("unpaid_invoice_rate", options.unpaidInvoiceRate());
        opts.put("underpayment_rate", options.underpaymentRate());
        opts.put("unattributed_revenue", options.unattributedRevenue());
        opts.put("unattributed_spikes", options.unattributedSpikes());
        ObjectNode count = root.putObject("counts");
        count.put("accounts", counts.accounts());
        count.put("contracts", counts.contracts());
        count.put("contract_versions", counts.contractVersions());
        count.put("amendments", counts.amendments());
        count.put("ended_contracts", counts.endedContracts());
        count.put("invoices", counts.invoices());
        count.put("invoice_lines", counts.invoiceLines());
        count.put("usage_records", counts.usageRecords());
        count.put("payments", counts.payments());
        count.put("provisioning_changes", counts.provisioningChanges());
        count.put("labels", counts.labels());
        ObjectNode byType = count.putObject("labels_by_type");
        counts.labelsByType().forEach(byType::put);
        ObjectNode totals = count.putObject("label_totals");
        counts.labelTotals().forEach((type, perCurrency) -> {
            ObjectNode node = totals.putObject(type);
            perCurrency.forEach((currency, amount) -> node.put(currency, MoneyFormat.plain(amount)));
        });
        count.put("bad_records", counts.badRecords());
        ObjectNode files = root.putObject("files");
        files.put(CONTRACTS, world.contracts().size() + badRecordsOf(world, BadRecord.Target.CONTRACTS).size());
        files.put(INVOICES, world.invoiceLines().size() + badRecordsOf(world, BadRecord.Target.INVOICES).size());
        files.put(USAGE, world.usage().size() + badRecordsOf(world, BadRecord.Target.USAGE).size());
        files.put(PAYMENTS, world.payments().size());
        files.put(PROVISIONING, world.provisioning().size());
        files.put(LABELS, world.labels().size());
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<BadRecord> badRecordsOf(World world, BadRecord.Target target) {
        return world.badRecords().stream().filter(b -> b.target() == target).sorted(BadRecord.ORDER).toList();
    }

    private static <T> void writeTopic(Path file, List<T> events, Function<T, String> encode, List<BadRecord> bad)
            throws IOException {
        Iterator<BadRecord> pending = bad.iterator();
        BadRecord next = pending.hasNext() ? pending.next() : null;
        try (Writer out = writer(file)) {
            for (int i = 0; i <= events.size(); i++) {
                while (next != null && next.position() <= i) {
                    out.write(next.line());
                    out.write('\n');
                    next = pending.hasNext() ? pending.next() : null;
                }
                if (i < events.size()) {
                    out.write(encode.apply(events.get(i)));
                    out.write('\n');
                }
            }
        }
    }

    private static BufferedWriter writer(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
}
