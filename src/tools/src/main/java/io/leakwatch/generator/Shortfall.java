package io.leakwatch.generator;

import java.math.BigDecimal;

/**
 * A month-level error of one account ({@link UnbilledUsageInjector}, {@link ProvisioningMismatchInjector}): a
 * service billed below what it should be, and its label.
 *
 * @param billed the quantity billed instead; null = the service's line is left off the invoice
 */
record Shortfall(CatalogService service, BigDecimal billed, Judged label) {
}
