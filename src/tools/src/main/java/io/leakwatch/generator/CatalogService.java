package io.leakwatch.generator;

import java.math.BigDecimal;
import java.util.List;

/**
 * The services every synthetic account buys from, in line order ({@code L1} is the first one an account
 * has). List prices are in USD; {@link ContractSchedule} converts them to the account's currency.
 */
enum CatalogService {
    /** Flat price per seat per month; whole seats; provisioned (the level in force at the period start). */
    SEATS("seats", "seat-month", 0, false, -1),
    /** Volume-tiered price per 1,000 API calls; whole thousands billed; metered per call (3 decimals). */
    API_CALLS("api-calls", "1k-api-calls", 0, true, 3),
    /** Flat price per GB stored per month; quantities with 2 decimals; metered to 4 decimals. */
    STORAGE("storage", "GB-month", 2, false, 4),
    /** Flat monthly fee; committed quantity 1, quantity 1, prorated to 4 decimals when a month is split. */
    SUPPORT("support", "month", 4, false, -1);

    /** Tier thresholds of tiered services (in units) and the share of the base rate each tier charges. */
    static final List<BigDecimal> TIER_FROM = List.of(new BigDecimal("1000"), new BigDecimal("10000"));
    static final List<BigDecimal> TIER_FACTOR = List.of(new BigDecimal("0.9"), new BigDecimal("0.8"));

    private final String id;
    private final String unit;
    private final int quantityScale;
    private final boolean tiered;
    private final int usageScale;

    CatalogService(String id, String unit, int quantityScale, boolean tiered, int usageScale) {
        this.id = id;
        this.unit = unit;
        this.quantityScale = quantityScale;
        this.tiered = tiered;
        this.usageScale = usageScale;
    }

    /** Metered services have usage records and bill {@code billable(usage)}. */
    boolean metered() {
        return usageScale >= 0;
    }

    /** Decimal places of one usage record's quantity (at most 6). */
    int usageScale() {
        return usageScale;
    }

    /** The {@code service} value on rate lines and invoice lines. */
    String id() {
        return id;
    }

    String unit() {
        return unit;
    }

    /** Decimal places of this service's quantities, also when a month's quantity is split pro rata. */
    int quantityScale() {
        return quantityScale;
    }

    boolean tiered() {
        return tiered;
    }
}
