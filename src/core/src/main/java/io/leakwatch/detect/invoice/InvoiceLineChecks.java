package io.leakwatch.detect.invoice;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractTerms;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.money.Currencies;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-line checks of an invoice line against the contract terms in force at its service date
 * ({@code service_period_start}). Kafka-free; the account engine feeds it the line and the contract version in force
 * at the line's position, and calls it only for lines of accounts that have a contract version then and that passed
 * the duplicate screen: a line with no account or no contract is unattributed revenue, so {@code NO_CONTRACT} below
 * is not raised in the topology.
 *
 * <pre>
 * terms  = ContractTerms.at(contract, line.service, line.service_period_start)
 * no terms                         -> NO_ACTIVE_CONTRACT,  amount = line_total
 * line.currency != terms.currency  -> CURRENCY_MISMATCH,   amount = line_total (rates not comparable)
 * expected = terms.unitRateFor(quantity)
 * leak = round((expected - billed_rate) * quantity)    -> RATE_MISMATCH when leak != 0
 *        (positive: under-billed revenue lost; negative: over-billed, customer-facing risk)
 * gap  = billed_rate * quantity - line_total (exact)
 * diff = round(gap)                                     -> CHARGE_ARITHMETIC when |gap| > half a minor unit
 * round = HALF_EVEN to the currency's minor unit
 *
 * Half a minor unit is the most any round-half rounding mode (HALF_UP, HALF_EVEN, HALF_DOWN) moves a total, so a
 * total rounded by any of them passes and a total rounded up, down or truncated from further away does not.
 * </pre>
 */
public final class InvoiceLineChecks {

    public List<Finding> check(InvoiceLine line, Contract contract) {
        String account = line.getAccountId();
        Instant serviceDate = line.getServicePeriodStart();
        String key = evidenceKey(line);
        List<Finding> findings = new ArrayList<>(1);

        ContractTerms.Lookup lookup = ContractTerms.at(contract, line.getService(), serviceDate);
        if (lookup.rate().isEmpty()) {
            findings.add(noActiveContract(line, contract, lookup, key));
            return findings;
        }
        AppliedRate terms = lookup.rate().get();
        if (!terms.currency().equals(line.getCurrency())) {
            findings.add(currencyMismatch(line, terms, key));
            return findings;
        }

        String currency = line.getCurrency();
        BigDecimal quantity = line.getQuantity();
        BigDecimal billedRate = line.getUnitRate();
        BigDecimal expectedRate = terms.unitRateFor(quantity);
        if (expectedRate.compareTo(billedRate) != 0) {
            BigDecimal leak = Currencies.round(expectedRate.subtract(billedRate).multiply(quantity), currency);
            if (leak.signum() != 0) {
                findings.add(rateMismatch(line, terms, expectedRate, leak, key));
            }
        }

        BigDecimal exactTotal = billedRate.multiply(quantity);
        BigDecimal gap = exactTotal.subtract(line.getLineTotal());
        if (gap.abs().compareTo(halfMinorUnit(currency)) > 0) {
            findings.add(arithmetic(line, terms, exactTotal, Currencies.round(gap, currency), key));
        }
        return findings;
    }

    private static BigDecimal halfMinorUnit(String currency) {
        return Currencies.minorUnit(currency).divide(BigDecimal.valueOf(2));
    }

    /** {@code invoice_id/line_id}: what every per-line finding is about. */
    public static String evidenceKey(InvoiceLine line) {
        return line.getInvoiceId() + "/" + line.getLineId();
    }

    private Finding rateMismatch(InvoiceLine line, AppliedRate terms, BigDecimal expectedRate, BigDecimal leak,
                                 String key) {
        String currency = line.getCurrency();
        Map<String, String> evidence = lineEvidence(line, terms);
        evidence.put("expected_unit_rate", MoneyFormat.plain(expectedRate));
        evidence.put("billed_unit_rate", MoneyFormat.plain(line.getUnitRate()));
        boolean under = leak.signum() > 0;
        String explanation = String.format(
                "Invoice %s billed %s %s of %s at %s per %s, but contract %s v%d sets %s, so the customer was %s by %s.",
                line.getInvoiceId(), MoneyFormat.plain(line.getQuantity()), terms.line().getUnit(),
                line.getService(), MoneyFormat.plain(line.getUnitRate()), terms.line().getUnit(),
                terms.contractId(), terms.contractVersion(), MoneyFormat.plain(expectedRate),
                under ? "under-billed" : "over-billed", MoneyFormat.format(leak.abs(), currency));
        String action = under
                ? "Correct the rate in the billing system for " + line.getService() + " and issue a supplementary invoice for "
                  + MoneyFormat.format(leak, currency) + "."
                : "Issue a credit note for " + MoneyFormat.format(leak.negate(), currency)
                  + " and correct the rate before the next billing run.";
        return new Finding(AlertType.RATE_MISMATCH, line.getAccountId(), key, leak, currency,
                line.getServicePeriodStart(), evidence, explanation, action);
    }

    private Finding arithmetic(InvoiceLine line, AppliedRate terms, BigDecimal exactTotal, BigDecimal diff, String key) {
        String currency = line.getCurrency();
        Map<String, String> evidence = lineEvidence(line, terms);
        evidence.put("expected_line_total", MoneyFormat.plain(Currencies.round(exactTotal, currency)));
        evidence.put("billed_line_total", MoneyFormat.plain(line.getLineTotal()));
        evidence.put("billed_unit_rate", MoneyFormat.plain(line.getUnitRate()));
        String explanation = String.format(
                "Invoice %s line %s charges %s for %s x %s, which should total %s: the line is %s by %s.",
                line.getInvoiceId(), line.getLineId(), MoneyFormat.format(line.getLineTotal(), currency),
                MoneyFormat.plain(line.getQuantity()), MoneyFormat.plain(line.getUnitRate()),
                MoneyFormat.format(Currencies.round(exactTotal, currency), currency),
                diff.signum() > 0 ? "short" : "over", MoneyFormat.format(diff.abs(), currency));
        String action = diff.signum() > 0
                ? "Re-issue the line with the correct total and check the billing engine's line calculation."
                : "Credit the customer " + MoneyFormat.format(diff.negate(), currency)
                  + " and check the billing engine's line calculation.";
        return new Finding(AlertType.CHARGE_ARITHMETIC, line.getAccountId(), key, diff, currency,
                line.getServicePeriodStart(), evidence, explanation, action);
    }

    private Finding currencyMismatch(InvoiceLine line, AppliedRate terms, String key) {
        Map<String, String> evidence = lineEvidence(line, terms);
        evidence.put("expected_currency", terms.currency());
        evidence.put("billed_currency", line.getCurrency());
        evidence.put("billed_line_total", MoneyFormat.plain(line.getLineTotal()));
        String explanation = String.format(
                "Invoice %s billed %s in %s, but contract %s v%d prices it in %s, so the whole line is at risk of dispute.",
                line.getInvoiceId(), line.getService(), line.getCurrency(), terms.contractId(),
                terms.contractVersion(), terms.currency());
        String action = "Void the line and re-bill it in " + terms.currency() + " at the contracted rate.";
        return new Finding(AlertType.CURRENCY_MISMATCH, line.getAccountId(), key, line.getLineTotal(),
                line.getCurrency(), line.getServicePeriodStart(), evidence, explanation, action);
    }

    private Finding noActiveContract(InvoiceLine line, Contract contract, ContractTerms.Lookup lookup, String key) {
        Map<String, String> evidence = lineEvidence(line, null);
        evidence.put("gap", lookup.gap().name());
        lookup.boundary().ifPresent(b -> evidence.put("contract_boundary", b.toString()));
        if (contract != null) {
            evidence.put("contract_id", contract.getContractId());
            evidence.put("contract_version", Integer.toString(contract.getVersion()));
        }
        String why = switch (lookup.gap()) {
            case NO_CONTRACT -> "the account has no contract";
            case SERVICE_NOT_IN_CONTRACT -> "its contract does not include " + line.getService();
            case BEFORE_START -> "the contract for it only starts on " + day(lookup.boundary().orElseThrow());
            case ENDED -> "the contract for it ended on " + day(lookup.boundary().orElseThrow());
            case NOT_COVERED -> "no rate for it is in force on that date";
        };
        String explanation = String.format("Invoice %s billed %s of %s for service starting %s, but %s.",
                line.getInvoiceId(), MoneyFormat.format(line.getLineTotal(), line.getCurrency()), line.getService(),
                day(line.getServicePeriodStart()), why);
        String action = "Confirm the customer agreed to this charge; renew or amend the contract, or credit the line.";
        return new Finding(AlertType.NO_ACTIVE_CONTRACT, line.getAccountId(), key, line.getLineTotal(),
                line.getCurrency(), line.getServicePeriodStart(), evidence, explanation, action);
    }

    private static Map<String, String> lineEvidence(InvoiceLine line, AppliedRate terms) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("invoice_id", line.getInvoiceId());
        evidence.put("line_id", line.getLineId());
        evidence.put("service", line.getService());
        evidence.put("service_period_start", line.getServicePeriodStart().toString());
        evidence.put("service_period_end", line.getServicePeriodEnd().toString());
        evidence.put("quantity", MoneyFormat.plain(line.getQuantity()));
        if (terms != null) {
            evidence.put("contract_id", terms.contractId());
            evidence.put("contract_version", Integer.toString(terms.contractVersion()));
            evidence.put("rate_effective_from", terms.line().getEffectiveFrom().toString());
        }
        return evidence;
    }

    private static String day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
