package io.leakwatch.backtest;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which input files a replay has, and which detectors can judge without the ones it lacks. A detector whose input is
 * missing would not stay silent: with no payments every invoice looks unpaid, with no contracts every line is
 * unattributed revenue. So a detector is off for the run when any input it {@linkplain #NEEDS needs} is missing: the
 * replay switches it off in the engine (with the detectors the config switched off), so it raises nothing and feeds
 * no account feature, and the scorecard leaves its labels out.
 */
public final class InputCoverage {
    /** The inputs each alert type's rule reads (as topic roles); its alerts mean nothing without all of them. */
    public static final Map<AlertType, Set<String>> NEEDS = needs();

    private final Map<String, String> files;
    private final Set<String> missing;

    private InputCoverage(Map<String, String> files, Set<String> missing) {
        this.files = files;
        this.missing = missing;
    }

    private static Map<AlertType, Set<String>> needs() {
        String contracts = TopicCatalog.CONTRACTS;
        String invoices = TopicCatalog.INVOICES;
        Map<AlertType, Set<String>> needs = new EnumMap<>(AlertType.class);
        // per line: the terms in force at the line's service date; a line of an account with no contract is
        // unattributed revenue and gets no per-line alert
        for (AlertType t : List.of(AlertType.RATE_MISMATCH, AlertType.CHARGE_ARITHMETIC, AlertType.NO_ACTIVE_CONTRACT,
                AlertType.CURRENCY_MISMATCH, AlertType.CONTRACT_OVERLAP, AlertType.UNATTRIBUTED_REVENUE)) {
            needs.put(t, Set.of(invoices, contracts));
        }
        needs.put(AlertType.DUPLICATE_CHARGE, Set.of(invoices));
        needs.put(AlertType.MISSING_INVOICE, Set.of(contracts, invoices));
        needs.put(AlertType.UNBILLED_USAGE, Set.of(TopicCatalog.USAGE, invoices, contracts));
        needs.put(AlertType.PROVISIONING_MISMATCH, Set.of(TopicCatalog.PROVISIONING, invoices, contracts));
        for (AlertType t : List.of(AlertType.UNPAID_INVOICE, AlertType.FAILED_PAYMENT_NOT_RECOVERED,
                AlertType.UNDERPAYMENT)) {
            needs.put(t, Set.of(TopicCatalog.PAYMENTS, invoices));
        }
        for (AlertType t : List.of(AlertType.REVENUE_SPIKE, AlertType.REVENUE_DROP, AlertType.REVENUE_EROSION)) {
            needs.put(t, Set.of(invoices));
        }
        // the risk models were trained on features of every input: without one, a silent input reads as a signal
        // (no usage looks like a churning account)
        for (AlertType t : List.of(AlertType.HIGH_LEAKAGE_RISK, AlertType.HIGH_CHURN_RISK)) {
            needs.put(t, Set.of(contracts, TopicCatalog.PROVISIONING, TopicCatalog.USAGE, invoices,
                    TopicCatalog.PAYMENTS));
        }
        return Map.copyOf(needs);
    }

    /** The inputs of {@code dir}: every input role of the catalog, present when its {@code <topic>.jsonl} is a file. */
    public static InputCoverage of(Path dir, TopicCatalog topics) {
        Map<String, String> files = new LinkedHashMap<>();
        Set<String> missing = new java.util.LinkedHashSet<>();
        for (String role : List.of(TopicCatalog.CONTRACTS, TopicCatalog.PROVISIONING, TopicCatalog.USAGE,
                TopicCatalog.INVOICES, TopicCatalog.PAYMENTS)) {
            String file = topics.name(role) + ".jsonl";
            files.put(role, file);
            if (!Files.isRegularFile(dir.resolve(file))) {
                missing.add(role);
            }
        }
        return new InputCoverage(files, missing);
    }

    /** Every input present. */
    public static InputCoverage complete(TopicCatalog topics) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String role : List.of(TopicCatalog.CONTRACTS, TopicCatalog.PROVISIONING, TopicCatalog.USAGE,
                TopicCatalog.INVOICES, TopicCatalog.PAYMENTS)) {
            files.put(role, topics.name(role) + ".jsonl");
        }
        return new InputCoverage(files, Set.of());
    }

    /** The file names of the missing inputs, in catalog order. */
    public List<String> missingFiles() {
        return missing.stream().map(files::get).toList();
    }

    public boolean ran(AlertType type) {
        return missingFor(type).isEmpty();
    }

    public boolean ran(String type) {
        return ran(AlertType.valueOf(type));
    }

    /** The detectors that are off for this run, each with the missing files it needs. */
    public Map<AlertType, List<String>> off() {
        Map<AlertType, List<String>> off = new EnumMap<>(AlertType.class);
        for (AlertType type : AlertType.values()) {
            List<String> lacking = missingFor(type);
            if (!lacking.isEmpty()) {
                off.put(type, lacking);
            }
        }
        return off;
    }

    private List<String> missingFor(AlertType type) {
        Set<String> needed = NEEDS.getOrDefault(type, Set.of());
        return missing.stream().filter(needed::contains).map(files::get).toList();
    }

    /**
     * What a run prints before it starts: one line per missing input, naming the detectors it turns off, or nothing
     * when every input is there.
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (String role : missing) {
            List<String> types = NEEDS.entrySet().stream().filter(e -> e.getValue().contains(role))
                    .map(e -> e.getKey().name()).sorted().toList();
            lines.add("input " + files.get(role) + " is missing: " + String.join(", ", types)
                    + " need it and are off for this run (their alerts are not written or scored)");
        }
        return lines;
    }

    /** For a report: every detector, and for those that are off the missing files they need. */
    public Map<String, List<String>> detectors() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (AlertType type : AlertType.values()) {
            all.put(type.name(), missingFor(type));
        }
        return all;
    }

    @Override
    public String toString() {
        return missing.isEmpty() ? "every input present"
                : "missing " + missing.stream().map(files::get).collect(Collectors.joining(", "));
    }
}
