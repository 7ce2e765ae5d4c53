package io.leakwatch.testing;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Small builders for test events, with explicit UTC instants and exact decimals. */
public final class Events {
    private Events() {
    }

    public static Instant at(String isoInstant) {
        return Instant.parse(isoInstant);
    }

    public static BigDecimal dec(String value, int scale) {
        return new BigDecimal(value).setScale(scale);
    }

    public static RateLine rate(String service, String unitRate, String currency, String from, String to) {
        return RateLine.newBuilder()
                .setService(service)
                .setUnit("unit")
                .setUnitRate(dec(unitRate, 8))
                .setCurrency(currency)
                .setEffectiveFrom(at(from))
                .setEffectiveTo(to == null ? null : at(to))
                .setCommittedQuantity(null)
                .setTiers(List.of())
                .build();
    }

    public static RateLine tiered(String service, String baseRate, String currency, String from, Tier... tiers) {
        RateLine line = rate(service, baseRate, currency, from, null);
        line.setTiers(List.of(tiers));
        return line;
    }

    public static Tier tier(String fromQuantity, String unitRate) {
        return new Tier(dec(fromQuantity, 6), dec(unitRate, 8));
    }

    public static Contract contract(String account, int version, String signedAt, RateLine... lines) {
        return contract("ctr-" + account, account, version, signedAt, lines);
    }

    /** A version of one of several contracts of the account. */
    public static Contract contract(String contractId, String account, int version, String signedAt, RateLine... lines) {
        return Contract.newBuilder()
                .setContractId(contractId)
                .setAccountId(account)
                .setVersion(version)
                .setSignedAt(at(signedAt))
                .setLines(List.of(lines))
                .build();
    }

    public static UsageRecord usage(String account, String usageId, String service, String quantity, String occurredAt) {
        return UsageRecord.newBuilder().setUsageId(usageId).setAccountId(account).setService(service)
                .setQuantity(dec(quantity, 6)).setUnit("unit").setOccurredAt(at(occurredAt)).build();
    }

    public static Payment payment(String account, String paymentId, String invoiceId, String amount, String currency,
                                  PaymentStatus status, String attemptedAt) {
        return Payment.newBuilder().setPaymentId(paymentId).setAccountId(account).setInvoiceId(invoiceId)
                .setAmount(dec(amount, 4)).setCurrency(currency).setStatus(status).setFailureReason(
                        status == PaymentStatus.FAILED ? "insufficient_funds" : null)
                .setAttempt(1).setAttemptedAt(at(attemptedAt)).build();
    }

    public static ProvisioningChange provisioned(String account, String changeId, String service, String level,
                                                 String effectiveAt) {
        return ProvisioningChange.newBuilder().setChangeId(changeId).setAccountId(account).setService(service)
                .setLevel(dec(level, 6)).setPlan(null).setEffectiveAt(at(effectiveAt)).build();
    }

    /** A correctly priced line unless the caller changes it: total = rate x quantity. */
    public static InvoiceLine line(String account, String invoiceId, String lineId, String service,
                                   String periodStart, String periodEnd, String quantity, String unitRate,
                                   String total, String currency, String issuedAt) {
        return InvoiceLine.newBuilder()
                .setInvoiceId(invoiceId)
                .setLineId(lineId)
                .setAccountId(account)
                .setService(service)
                .setServicePeriodStart(at(periodStart))
                .setServicePeriodEnd(at(periodEnd))
                .setQuantity(dec(quantity, 6))
                .setUnitRate(dec(unitRate, 8))
                .setLineTotal(dec(total, 4))
                .setCurrency(currency)
                .setIssuedAt(at(issuedAt))
                .setDueAt(null)
                .setDescription(null)
                .build();
    }
}
