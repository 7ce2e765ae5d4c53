package io.leakwatch.detect.period;

import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The per-account state of the period detectors: a {@link PeriodLedger} per open billing period and the
 * history of provisioning changes per service. Kafka-free.
 *
 * <p>Provisioning rule: the level known at an instant {@code t} is the level of the latest change with
 * {@code effective_at <= t} (ties: the change that arrived last). When a period closes its usage and lines
 * are dropped, and each service's history is cut down to the one change still in force at the start of the
 * next period plus any later ones, so the state stays bounded.
 */
public final class AccountLedger {
    /** One provisioning change: the level of a service from {@code effectiveAt} on. */
    public record ProvisioningStep(String changeId, long effectiveAtMs, BigDecimal level) {
        public Instant effectiveAt() {
            return Instant.ofEpochMilli(effectiveAtMs);
        }
    }

    /** The serializable form: plain maps and lists, periods by name. */
    public record State(Map<String, PeriodState> periods, Map<String, List<ProvisioningStep>> provisioning) {
    }

    /** The serializable form of a {@link PeriodLedger}. */
    public record PeriodState(Map<String, BigDecimal> used, Map<String, PeriodLedger.BilledLine> lines) {
    }

    private final TreeMap<BillingPeriod, PeriodLedger> periods = new TreeMap<>();
    private final TreeMap<String, List<ProvisioningStep>> provisioning = new TreeMap<>();

    public static AccountLedger from(State state) {
        AccountLedger ledger = new AccountLedger();
        if (state.periods() != null) {
            state.periods().forEach((name, p) -> ledger.periods.put(BillingPeriod.parse(name),
                    new PeriodLedger(nullToEmpty(p.used()), nullToEmpty(p.lines()))));
        }
        if (state.provisioning() != null) {
            state.provisioning().forEach((service, steps) -> ledger.provisioning.put(service, new ArrayList<>(steps)));
        }
        return ledger;
    }

    public State state() {
        Map<String, PeriodState> p = new TreeMap<>();
        periods.forEach((period, ledger) -> p.put(period.name(), new PeriodState(ledger.usedView(), ledger.linesView())));
        return new State(p, new TreeMap<>(provisioning));
    }

    public PeriodLedger period(BillingPeriod period) {
        return periods.computeIfAbsent(period, p -> new PeriodLedger());
    }

    public Optional<PeriodLedger> find(BillingPeriod period) {
        return Optional.ofNullable(periods.get(period));
    }

    /** Records a change; a change with the same id replaces the earlier one (a redelivery or a correction). */
    public void addProvisioning(String service, ProvisioningStep step) {
        List<ProvisioningStep> steps = provisioning.computeIfAbsent(service, s -> new ArrayList<>());
        steps.removeIf(s -> s.changeId().equals(step.changeId()));
        steps.add(step);
        // Stable: changes with the same effective_at keep their arrival order, the last one wins.
        steps.sort(Comparator.comparingLong(ProvisioningStep::effectiveAtMs));
    }

    /** Per service, the level of the latest change with {@code effective_at <= at}; services with none are absent. */
    public Map<String, BigDecimal> provisionedAt(Instant at) {
        Map<String, BigDecimal> levels = new TreeMap<>();
        provisioning.forEach((service, steps) -> inForce(steps, at.toEpochMilli())
                .ifPresent(step -> levels.put(service, step.level())));
        return levels;
    }

    /**
     * Forgets a closed period: its usage and lines, and the provisioning history nobody can ask about any more
     * (periods close in order, so every later question is at or after the start of the next period).
     */
    public void close(BillingPeriod period) {
        periods.headMap(period, true).clear();
        long nextStart = period.next().start().toEpochMilli();
        provisioning.values().forEach(steps -> {
            Optional<ProvisioningStep> current = inForce(steps, nextStart);
            current.ifPresent(keep -> steps.removeIf(s -> s.effectiveAtMs() <= nextStart && s != keep));
        });
    }

    public boolean isEmpty() {
        return periods.isEmpty() && provisioning.isEmpty();
    }

    private static Optional<ProvisioningStep> inForce(List<ProvisioningStep> steps, long atMs) {
        ProvisioningStep found = null;
        for (ProvisioningStep step : steps) {
            if (step.effectiveAtMs() <= atMs) {
                found = step;
            }
        }
        return Optional.ofNullable(found);
    }

    private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
