package io.leakwatch.generator;

import java.util.SplittableRandom;

/**
 * The payment findings FAILED_PAYMENT_NOT_RECOVERED, UNPAID_INVOICE and UNDERPAYMENT: which {@link PaymentPlanner.Plan}
 * an invoice is paid by; {@link PaymentPlanner} draws the payments and the label.
 * <pre>
 * invoice carrying a duplicate,
 * or a supplementary invoice    -> FULL_ONLY (paid in full: no payment finding next to the duplicate)
 * precursor intensity d > 0     -> FAILED_NOT_RECOVERED with chance 0.15 d, else STRUGGLING with chance 0.7 d
 * otherwise, one draw u         -> FAILED_NOT_RECOVERED, UNPAID, UNDERPAID by the options' rates, else CLEAN
 * </pre>
 */
final class PaymentProblemInjector {
    private PaymentProblemInjector() {
    }

    /** {@code distress}: the month's churn precursor intensity ({@link Churn#at}). */
    static PaymentPlanner.Plan plan(GeneratorOptions options, SplittableRandom random, boolean fullOnly,
                                    double distress) {
        if (fullOnly) {
            return PaymentPlanner.Plan.FULL_ONLY;
        }
        if (distress > 0 && random.nextDouble() < 0.15 * distress) {
            return PaymentPlanner.Plan.FAILED_NOT_RECOVERED;
        }
        if (distress > 0 && random.nextDouble() < 0.7 * distress) {
            return PaymentPlanner.Plan.STRUGGLING;
        }
        double u = random.nextDouble();
        if (u < options.failedPaymentRate()) {
            return PaymentPlanner.Plan.FAILED_NOT_RECOVERED;
        }
        if (u < options.failedPaymentRate() + options.unpaidInvoiceRate()) {
            return PaymentPlanner.Plan.UNPAID;
        }
        if (u < options.failedPaymentRate() + options.unpaidInvoiceRate() + options.underpaymentRate()) {
            return PaymentPlanner.Plan.UNDERPAID;
        }
        return PaymentPlanner.Plan.CLEAN;
    }
}
