package io.leakwatch.generator;

import io.leakwatch.alerts.AlertType;
import java.math.BigDecimal;

/**
 * The error put on one invoice line ({@link RateMismatchInjector}, {@link ChargeArithmeticInjector}): what the
 * billing system billed instead of the clean price and the label it earns.
 *
 * @param billedRate the unit rate on the line
 * @param lineTotal  the line total on the line
 * @param amount     the label amount, as the invoice line rule computes it
 */
record LineError(AlertType type, BigDecimal billedRate, BigDecimal lineTotal, BigDecimal amount, String cause) {
    /** Draws of an error before giving up: a line whose error would be invisible to the rule stays clean. */
    static final int ATTEMPTS = 8;
}
