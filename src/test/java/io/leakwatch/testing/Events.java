package io.leakwatch.testing;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
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
        return Contract.newBuilder()
                .setContractId("ctr-" + account)
                .setAccountId(account)
                .setVersion(version)
                .setSignedAt(at(signedAt))
                .setLines(List.of(lines))
                .build();
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
