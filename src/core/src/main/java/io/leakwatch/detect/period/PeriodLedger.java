package io.leakwatch.detect.period;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one account used and was billed for in one billing period. Kafka-free.
 *
 * <pre>
 * used(service)   = Σ usage.quantity of the service's usage records in the period
 * billed(service) = Σ line.quantity of the service's invoice lines in the period (a credit's quantity is negative:
 *                   what was credited back is not billed)
 * invoiced        = at least one invoice line (any service) in the period that is not a credit (quantity &lt; 0):
 *                   a credit note alone does not bill the period
 * </pre>
 * Lines are kept by {@code invoice_id/line_id@issued_at}, so a redelivered identical line is counted once
 * while a re-issued line (same id, another {@code issued_at}) is counted again, as DUPLICATE_CHARGE sees it.
 */
public final class PeriodLedger {
    /** One invoice line as far as the period is concerned: its service and quantity. */
    public record BilledLine(String service, BigDecimal quantity) {
    }

    private final TreeMap<String, BigDecimal> used;
    private final TreeMap<String, BilledLine> lines;

    public PeriodLedger() {
        this(Map.of(), Map.of());
    }

    PeriodLedger(Map<String, BigDecimal> used, Map<String, BilledLine> lines) {
        this.used = new TreeMap<>(used);
        this.lines = new TreeMap<>(lines);
    }

    public static PeriodLedger empty() {
        return new PeriodLedger();
    }

    public void addUsage(String service, BigDecimal quantity) {
        used.merge(service, quantity, BigDecimal::add);
    }

    /** @param lineKey {@code invoice_id/line_id@issued_at}; the same key again replaces, never adds */
    public void addLine(String lineKey, String service, BigDecimal quantity) {
        lines.put(lineKey, new BilledLine(service, quantity));
    }

    /** Services with at least one usage record in the period (even of quantity zero), sorted. */
    public Set<String> meteredServices() {
        return java.util.Collections.unmodifiableSet(used.keySet());
    }

    public boolean isMetered(String service) {
        return used.containsKey(service);
    }

    public BigDecimal used(String service) {
        return used.getOrDefault(service, BigDecimal.ZERO);
    }

    public BigDecimal billed(String service) {
        return lines.values().stream().filter(l -> l.service().equals(service))
                .map(BilledLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public boolean invoiced() {
        return lines.values().stream().anyMatch(l -> l.quantity().signum() >= 0);
    }

    public boolean isEmpty() {
        return used.isEmpty() && lines.isEmpty();
    }

    Map<String, BigDecimal> usedView() {
        return java.util.Collections.unmodifiableMap(used);
    }

    Map<String, BilledLine> linesView() {
        return java.util.Collections.unmodifiableMap(lines);
    }
}
