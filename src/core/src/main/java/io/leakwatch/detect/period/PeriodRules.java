package io.leakwatch.detect.period;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractBook;
import io.leakwatch.events.Contract;
import io.leakwatch.events.RateLine;
import io.leakwatch.money.Currencies;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.periods.BillingPeriod;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The period-close rules of docs/detectors.md, judged once per account and closed period. Kafka-free: the
 * processor hands in the period's ledger, the provisioning levels known at the period start and the account's
 * contracts as of the close instant (per contract, its latest version signed by then).
 *
 * <pre>
 * terms(s)      = ContractBook.at(s, start(P)) when exactly one contract prices s then (services without terms,
                or priced by two contracts at once, are not judged: the lines' CONTRACT_OVERLAP says so)
 * price(q)      = q × terms.unitRateFor(q)                           (volume tiers: one rate for every unit)
 * billable(q)   = max(q, committed_quantity) when the line has a commitment, else q
 * round         = HALF_EVEN to the currency's minor unit
 *
 * no invoice line in P, some rate line of some contract in force at start(P):
 *   MISSING_INVOICE   expected(s) = billable(used) if metered | billable(level) if provisioned | committed (0)
 *                     amount = Σ round(price(expected(s))) per currency; alert when > 0; key yyyy-MM
 * otherwise, per metered service s:
 *   UNBILLED_USAGE    expected = billable(used); expected > billed -> amount = round(price(expected) − price(billed)),
 *                     alert when ≠ 0; key s/yyyy-MM
 * and per service s with a provisioning level known at start(P):
 *   PROVISIONING_MISMATCH level = billable(provisioned); level > billed -> amount = round(price(level) − price(billed)),
 *                     alert when ≠ 0; key s/yyyy-MM
 * </pre>
 * The findings' {@code event_time} is {@code start(P)}; findings come out in a fixed order (type, then
 * service or currency) so a replay emits the same alerts in the same order.
 */
public final class PeriodRules {

    /**
     * @param provisionedAtStart per service, the provisioned level known at {@code start(P)}
     * @param contract           the contract version in force at the close instant; null = no judgement
     */
    public List<Finding> evaluate(String account, BillingPeriod period, PeriodLedger ledger,
                                  Map<String, BigDecimal> provisionedAtStart, Contract contract) {
        return evaluate(account, period, ledger, provisionedAtStart, ContractBook.of(contract));
    }

    /**
     * @param provisionedAtStart per service, the provisioned level known at {@code start(P)}
     * @param contract           the account's contracts as of the close instant; none = no judgement
     */
    public List<Finding> evaluate(String account, BillingPeriod period, PeriodLedger ledger,
                                  Map<String, BigDecimal> provisionedAtStart, ContractBook contract) {
        if (contract.isEmpty()) {
            return List.of();
        }
        if (!ledger.invoiced()) {
            return missingInvoice(account, period, ledger, provisionedAtStart, contract);
        }
        List<Finding> findings = new ArrayList<>();
        for (String service : ledger.meteredServices()) {
            terms(contract, service, period).flatMap(t -> unbilledUsage(account, period, ledger, service, t))
                    .ifPresent(findings::add);
        }
        provisionedAtStart.forEach((service, level) -> terms(contract, service, period)
                .flatMap(t -> provisioningMismatch(account, period, ledger, service, level, t))
                .ifPresent(findings::add));
        return findings;
    }

    /** {@code q × unitRateFor(q)}, exact (not rounded). */
    public static BigDecimal price(AppliedRate terms, BigDecimal quantity) {
        return quantity.multiply(terms.unitRateFor(quantity));
    }

    /** {@code max(q, committed_quantity)} when the rate line has a commitment, else {@code q}. */
    public static BigDecimal billable(AppliedRate terms, BigDecimal quantity) {
        BigDecimal committed = terms.line().getCommittedQuantity();
        return committed != null && committed.compareTo(quantity) > 0 ? committed : quantity;
    }

    /**
     * The first period whose level a provisioning change sets: its own period when it is effective at the
     * period's very start, else the next one (a mid-period change counts from the next period).
     */
    public static BillingPeriod firstPeriodAffected(Instant effectiveAt) {
        BillingPeriod own = BillingPeriod.of(effectiveAt);
        return own.start().equals(effectiveAt) ? own : own.next();
    }

    /** Whether any rate line of the contract version is in force at or after {@code from}. */
    public static boolean inForceAtOrAfter(Contract contract, Instant from) {
        return contract != null && contract.getLines().stream()
                .anyMatch(l -> l.getEffectiveTo() == null || l.getEffectiveTo().isAfter(from));
    }

    private Optional<Finding> unbilledUsage(String account, BillingPeriod period, PeriodLedger ledger, String service,
                                            AppliedRate terms) {
        BigDecimal used = ledger.used(service);
        BigDecimal billed = ledger.billed(service);
        BigDecimal expected = billable(terms, used);
        Optional<BigDecimal> shortfall = shortfall(terms, expected, billed);
        if (shortfall.isEmpty()) {
            return Optional.empty();
        }
        String currency = terms.currency();
        BigDecimal amount = shortfall.get();
        Map<String, String> evidence = quantityEvidence(period, service, terms, "used_quantity", used, expected, billed);
        String unit = terms.line().getUnit();
        String commitment = expected.compareTo(used) > 0
                ? " (below its commitment of " + quantity(expected) + ")" : "";
        String explanation = String.format("In %s %s used %s %s of %s%s but was invoiced for %s: %s of usage was never billed.",
                period, account, quantity(used), unit, service, commitment, quantity(billed),
                MoneyFormat.format(amount, currency));
        String action = amount.signum() > 0
                ? "Issue a supplementary invoice for " + MoneyFormat.format(amount, currency) + " of " + service + " in "
                  + period + " and check that " + service + " usage reaches the billing system."
                : "Review the " + period + " invoice for " + service + ": the billed quantity is priced above the usage.";
        return Optional.of(new Finding(AlertType.UNBILLED_USAGE, account, service + "/" + period.name(), amount, currency,
                period.start(), evidence, explanation, action));
    }

    private Optional<Finding> provisioningMismatch(String account, BillingPeriod period, PeriodLedger ledger,
                                                   String service, BigDecimal provisioned, AppliedRate terms) {
        BigDecimal level = billable(terms, provisioned);
        BigDecimal billed = ledger.billed(service);
        Optional<BigDecimal> shortfall = shortfall(terms, level, billed);
        if (shortfall.isEmpty()) {
            return Optional.empty();
        }
        String currency = terms.currency();
        BigDecimal amount = shortfall.get();
        Map<String, String> evidence = quantityEvidence(period, service, terms, "provisioned_quantity", provisioned,
                level, billed);
        String unit = terms.line().getUnit();
        String explanation = String.format(
                "In %s %s was provisioned with %s %s of %s but was invoiced for %s: %s was never billed.",
                period, account, quantity(provisioned), unit, service, quantity(billed),
                MoneyFormat.format(amount, currency));
        String action = "Invoice the missing " + quantity(level.subtract(billed)) + " " + unit + " of " + service
                + " for " + period + " (" + MoneyFormat.format(amount, currency)
                + ") and reconcile the provisioning system with billing.";
        return Optional.of(new Finding(AlertType.PROVISIONING_MISMATCH, account, service + "/" + period.name(), amount,
                currency, period.start(), evidence, explanation, action));
    }

    /** What billing {@code billable} instead of {@code billed} is worth, rounded; empty when nothing is short. */
    private static Optional<BigDecimal> shortfall(AppliedRate terms, BigDecimal billable, BigDecimal billed) {
        if (billable.compareTo(billed) <= 0) {
            return Optional.empty();
        }
        BigDecimal amount = Currencies.round(price(terms, billable).subtract(price(terms, billed)), terms.currency());
        return amount.signum() == 0 ? Optional.empty() : Optional.of(amount);
    }

    /** The evidence of a quantity shortfall: the observed quantity (used or provisioned), billable, billed, rate. */
    private static Map<String, String> quantityEvidence(BillingPeriod period, String service, AppliedRate terms,
                                                        String observedKey, BigDecimal observed, BigDecimal billable,
                                                        BigDecimal billed) {
        Map<String, String> evidence = serviceEvidence(period, service, terms);
        evidence.put(observedKey, MoneyFormat.plain(observed));
        evidence.put("billable_quantity", MoneyFormat.plain(billable));
        evidence.put("billed_quantity", MoneyFormat.plain(billed));
        evidence.put("expected_unit_rate", MoneyFormat.plain(terms.unitRateFor(billable)));
        return evidence;
    }

    private List<Finding> missingInvoice(String account, BillingPeriod period, PeriodLedger ledger,
                                         Map<String, BigDecimal> provisionedAtStart, ContractBook contract) {
        // currency -> service -> (basis, expected quantity, amount)
        Map<String, Map<String, String[]>> byCurrency = new TreeMap<>();
        Map<String, BigDecimal> totals = new TreeMap<>();
        // currency -> the contracts (id -> version) whose terms the amount counts
        Map<String, Map<String, Integer>> sources = new TreeMap<>();
        for (String service : new TreeSet<>(contract.contracts().stream()
                .flatMap(c -> c.getLines().stream()).map(RateLine::getService).toList())) {
            Optional<AppliedRate> found = terms(contract, service, period);
            if (found.isEmpty()) {
                continue;
            }
            AppliedRate terms = found.get();
            String basis;
            BigDecimal expected;
            if (ledger.isMetered(service)) {
                basis = "metered";
                expected = billable(terms, ledger.used(service));
            } else if (provisionedAtStart.containsKey(service)) {
                basis = "provisioned";
                expected = billable(terms, provisionedAtStart.get(service));
            } else {
                BigDecimal committed = terms.line().getCommittedQuantity();
                basis = "committed";
                expected = committed == null ? BigDecimal.ZERO : committed;
            }
            BigDecimal amount = Currencies.round(price(terms, expected), terms.currency());
            byCurrency.computeIfAbsent(terms.currency(), c -> new TreeMap<>()).put(service, new String[] {
                    basis, MoneyFormat.plain(expected), MoneyFormat.plain(terms.unitRateFor(expected)),
                    MoneyFormat.plain(amount)});
            totals.merge(terms.currency(), amount, BigDecimal::add);
            sources.computeIfAbsent(terms.currency(), c -> new TreeMap<>()).put(terms.contractId(),
                    terms.contractVersion());
        }
        List<Finding> findings = new ArrayList<>();
        boolean severalCurrencies = totals.size() > 1;
        totals.forEach((currency, amount) -> {
            if (amount.signum() <= 0) {
                return;
            }
            Map<String, String[]> services = byCurrency.get(currency);
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("period", period.name());
            Map<String, Integer> from = sources.get(currency);
            evidence.put("contract_id", String.join(",", from.keySet()));
            evidence.put("contract_version", String.join(",", from.values().stream().map(String::valueOf).toList()));
            evidence.put("services", String.join(",", services.keySet()));
            services.forEach((service, v) -> {
                evidence.put(service + ".basis", v[0]);
                evidence.put(service + ".expected_quantity", v[1]);
                evidence.put(service + ".unit_rate", v[2]);
                evidence.put(service + ".amount", v[3]);
            });
            String explanation = String.format(
                    "No invoice was issued to %s for %s although %s in force: %s (%s) was never billed.",
                    account, period, inForce(from),
                    MoneyFormat.format(amount, currency), String.join(", ", services.keySet()));
            String action = "Issue the " + period + " invoice for " + account + " (" + MoneyFormat.format(amount, currency)
                    + ") and find out why the billing run skipped the account.";
            // One alert per currency: the key is yyyy-MM, qualified with the currency only when there are several,
            // so the alerts of a multi-currency contract do not share one alert id.
            String key = severalCurrencies ? period.name() + "/" + currency : period.name();
            findings.add(new Finding(AlertType.MISSING_INVOICE, account, key, amount, currency, period.start(),
                    evidence, explanation, action));
        });
        return findings;
    }

    private static Optional<AppliedRate> terms(ContractBook contracts, String service, BillingPeriod period) {
        return contracts.at(service, period.start()).single();
    }

    /** "contract c-1 v2 was" or "contracts c-1 v2 and c-7 v1 were". */
    private static String inForce(Map<String, Integer> contracts) {
        List<String> named = new ArrayList<>();
        contracts.forEach((id, version) -> named.add(id + " v" + version));
        return named.size() == 1 ? "contract " + named.get(0) + " was"
                : "contracts " + String.join(" and ", named) + " were";
    }

    private static Map<String, String> serviceEvidence(BillingPeriod period, String service, AppliedRate terms) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("service", service);
        evidence.put("period", period.name());
        evidence.put("unit", terms.line().getUnit());
        evidence.put("unit_rate", MoneyFormat.plain(terms.line().getUnitRate()));
        BigDecimal committed = terms.line().getCommittedQuantity();
        evidence.put("committed_quantity", committed == null ? "none" : MoneyFormat.plain(committed));
        evidence.put("contract_id", terms.contractId());
        evidence.put("contract_version", Integer.toString(terms.contractVersion()));
        evidence.put("rate_effective_from", terms.line().getEffectiveFrom().toString());
        return evidence;
    }

    /** A quantity for people: grouped thousands, no trailing zeros ("12,500", "0.25"). */
    static String quantity(BigDecimal value) {
        DecimalFormat format = new DecimalFormat("#,##0.######", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(value);
    }
}
