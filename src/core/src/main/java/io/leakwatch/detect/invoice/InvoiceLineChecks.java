package io.leakwatch.detect.invoice;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.contracts.AppliedRate;
import io.leakwatch.contracts.ContractBook;
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
import java.util.Optional;

/**
 * The per-line checks of an invoice line against the contract terms in force at its service date
 * ({@code service_period_start}). Kafka-free; the account engine feeds it the line and the account's contracts as of
 * the line's position (per contract, its latest version signed by then), and calls it only for lines of accounts that
 * have a contract then and that passed the duplicate screen: a line with no account or no contract is unattributed
 * revenue, so {@code NO_CONTRACT} below is not raised in the topology.
 *
 * <pre>
 * terms  = ContractBook.at(service, line.service_period_start)     (every contract of the account)
 * no contract prices it            -> NO_ACTIVE_CONTRACT,  amount = line_total
 * two or more contracts price it   -> CONTRACT_OVERLAP,    amount = line_total (no single contracted rate to
 *                                     compare with; CHARGE_ARITHMETIC is still checked, it needs no contract)
 * line.currency != terms.currency  -> CURRENCY_MISMATCH,   amount = line_total (rates not comparable)
 * expected = terms.unitRateFor(|quantity|)
 * leak = round((expected - billed_rate) * quantity)    -> RATE_MISMATCH when leak != 0
 *        (positive: under-billed revenue lost; negative: over-billed, customer-facing risk)
 *        A credit (quantity &lt; 0: a credit note or cancellation) is priced like the charge it reverses, and the
 *        same formula signs it: credited above the contract rate is revenue given away (positive), below it the
 *        customer was under-credited (negative).
 * gap  = billed_rate * quantity - line_total (exact)
 * diff = round(gap)                                     -> CHARGE_ARITHMETIC when |gap| > half a minor unit
 * round = HALF_EVEN to the currency's minor unit
 *
 * Half a minor unit is the most any round-half rounding mode (HALF_UP, HALF_EVEN, HALF_DOWN) moves a total, so a
 * total rounded by any of them passes and a total rounded up, down or truncated from further away does not.
 * </pre>
 */
public final class InvoiceLineChecks {

    /** The checks of {@code line} against one contract version (null: none). */
    public List<Finding> check(InvoiceLine line, Contract contract) {
        return check(line, ContractBook.of(contract));
    }

    /** The checks of {@code line} against every contract of its account. */
    public List<Finding> check(InvoiceLine line, ContractBook contracts) {
        return check(line, contracts.at(line.getService(), line.getServicePeriodStart()));
    }

    /**
     * The checks of {@code line} given {@code found}, the lookup of its service at its service date across its
     * account's contracts ({@link ContractBook#at}): a caller that needs the lookup for more than the checks makes it
     * once.
     */
    public List<Finding> check(InvoiceLine line, ContractBook.Terms found) {
        String key = evidenceKey(line);
        List<Finding> findings = new ArrayList<>(1);

        if (found.overlap()) {
            findings.add(overlap(line, found.covering(), key));
            arithmetic(line, null, key).ifPresent(findings::add);
            return findings;
        }
        if (found.single().isEmpty()) {
            findings.add(noActiveContract(line, found.gapContract(), found.gap(), key));
            return findings;
        }
        AppliedRate terms = found.single().get();
        if (!terms.currency().equals(line.getCurrency())) {
            findings.add(currencyMismatch(line, terms, key));
            return findings;
        }

        String currency = line.getCurrency();
        BigDecimal quantity = line.getQuantity();
        BigDecimal billedRate = line.getUnitRate();
        BigDecimal expectedRate = terms.unitRateFor(quantity.abs());
        if (expectedRate.compareTo(billedRate) != 0) {
            BigDecimal leak = Currencies.round(expectedRate.subtract(billedRate).multiply(quantity), currency);
            if (leak.signum() != 0) {
                findings.add(rateMismatch(line, terms, expectedRate, leak, key));
            }
        }

        arithmetic(line, terms, key).ifPresent(findings::add);
        return findings;
    }

    /** CHARGE_ARITHMETIC when the line's total is not its billed rate times its quantity; terms only for evidence. */
    private Optional<Finding> arithmetic(InvoiceLine line, AppliedRate terms, String key) {
        String currency = line.getCurrency();
        BigDecimal exactTotal = line.getUnitRate().multiply(line.getQuantity());
        BigDecimal gap = exactTotal.subtract(line.getLineTotal());
        if (gap.abs().compareTo(halfMinorUnit(currency)) > 0) {
            return Optional.of(arithmetic(line, terms, exactTotal, Currencies.round(gap, currency), key));
        }
        return Optional.empty();
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
        boolean credit = line.getQuantity().signum() < 0;
        String outcome = credit ? (under ? "over-credited" : "under-credited") : (under ? "under-billed" : "over-billed");
        String explanation = String.format(
                "Invoice %s %s %s %s of %s at %s per %s, but contract %s v%d sets %s, so the customer was %s by %s.",
                line.getInvoiceId(), credit ? "credited" : "billed", MoneyFormat.plain(line.getQuantity().abs()),
                terms.line().getUnit(), line.getService(), MoneyFormat.plain(line.getUnitRate()), terms.line().getUnit(),
                terms.contractId(), terms.contractVersion(), MoneyFormat.plain(expectedRate),
                outcome, MoneyFormat.format(leak.abs(), currency));
        String action;
        if (credit) {
            action = under
                    ? "Correct the credit note's rate for " + line.getService() + " and invoice the "
                      + MoneyFormat.format(leak, currency) + " credited beyond the contract."
                    : "Credit the customer a further " + MoneyFormat.format(leak.negate(), currency)
                      + " at the contracted rate.";
        } else {
            action = under
                    ? "Correct the rate in the billing system for " + line.getService()
                      + " and issue a supplementary invoice for " + MoneyFormat.format(leak, currency) + "."
                    : "Issue a credit note for " + MoneyFormat.format(leak.negate(), currency)
                      + " and correct the rate before the next billing run.";
        }
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

    private Finding overlap(InvoiceLine line, List<AppliedRate> covering, String key) {
        Map<String, String> evidence = lineEvidence(line, null);
        evidence.put("contract_ids", String.join(",", covering.stream().map(AppliedRate::contractId).toList()));
        List<String> named = new ArrayList<>(covering.size());
        for (AppliedRate terms : covering) {
            String id = terms.contractId();
            BigDecimal rate = terms.unitRateFor(line.getQuantity());
            evidence.put(id + ".contract_version", Integer.toString(terms.contractVersion()));
            evidence.put(id + ".unit_rate", MoneyFormat.plain(rate));
            evidence.put(id + ".currency", terms.currency());
            evidence.put(id + ".rate_effective_from", terms.line().getEffectiveFrom().toString());
            named.add(String.format("%s v%d (%s %s per %s)", id, terms.contractVersion(), MoneyFormat.plain(rate),
                    terms.currency(), terms.line().getUnit()));
        }
        evidence.put("billed_unit_rate", MoneyFormat.plain(line.getUnitRate()));
        evidence.put("billed_line_total", MoneyFormat.plain(line.getLineTotal()));
        String explanation = String.format(
                "Invoice %s line %s billed %s of %s for service starting %s, but contracts %s all price %s on that date,"
                        + " so no single contracted rate applies to the line.",
                line.getInvoiceId(), line.getLineId(), MoneyFormat.format(line.getLineTotal(), line.getCurrency()),
                line.getService(), day(line.getServicePeriodStart()), String.join(" and ", named), line.getService());
        String action = "End or amend the overlapping rate lines so that one contract prices " + line.getService()
                + ", then check that the customer was billed once, at that contract's rate.";
        return new Finding(AlertType.CONTRACT_OVERLAP, line.getAccountId(), key, line.getLineTotal(),
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
