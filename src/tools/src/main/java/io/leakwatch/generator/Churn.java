package io.leakwatch.generator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Whether an account's contract ends, and the churn precursors before it. About {@value #SHARE} of the accounts
 * end their contract on the 1st of a month; they are not invoiced from then on and get a {@code CHURN} label.
 * Their last 4-6 billed months show precursors at an intensity drawn per account; about one churner in eight
 * ({@value #SILENT_SHARE}) barely shows any. About {@value #ROUGH_PATCH_SHARE} of the accounts that stay go
 * through a rough patch of 4-6 months with the same signs and recover. The intensity d(m) grows linearly over the
 * months [{@code precursorsFrom}, {@code precursorsTo}] up to {@code intensity}.
 *
 * @param billedMonths   months invoiced: all of the world's, or up to the end of the contract
 * @param end            the 1st of the first month no longer under contract; null when the account stays
 * @param precursorsFrom first month with precursors (-1: none)
 * @param precursorsTo   last month with precursors (-1: none)
 * @param intensity      precursor intensity at the last month of the patch
 */
record Churn(int billedMonths, Instant end, int precursorsFrom, int precursorsTo, double intensity) {
    /** Label type of a churned account (a training target, not an alert type). */
    static final String LABEL_TYPE = "CHURN";
    /** Accounts whose contract ends, with precursors in the months before. */
    static final double SHARE = 0.10;
    /** Accounts that keep their contract but go through a rough patch that looks like churn precursors. */
    static final double ROUGH_PATCH_SHARE = 0.08;
    /** Churners that show (almost) no precursors. */
    static final double SILENT_SHARE = 0.12;

    /** A shaped account keeps its contract and shows no precursors: the shape is its only story. */
    static Churn draw(GeneratorOptions options, SplittableRandom random, RevenueShapes.Shape shape) {
        int billedMonths = options.months();
        Instant end = null;
        if (options.months() >= 4 && random.nextDouble() < SHARE && shape == null) {
            billedMonths = random.nextInt(Math.min(6, options.months() - 1), options.months());
            end = WorldGenerator.firstOf(options.startMonth().plusMonths(billedMonths));
        }
        if (shape != null) {
            return new Churn(billedMonths, end, -1, -1, 0);
        }
        int length = 4 + random.nextInt(3);
        if (end != null) {
            double intensity = random.nextDouble() < SILENT_SHARE ? random.nextDouble(0, 0.2)
                    : random.nextDouble(0.5, 1.0);
            return new Churn(billedMonths, end, Math.max(0, billedMonths - length), billedMonths - 1, intensity);
        }
        if (billedMonths >= length + 2 && random.nextDouble() < ROUGH_PATCH_SHARE) {
            int from = random.nextInt(1, billedMonths - length + 1);
            return new Churn(billedMonths, null, from, from + length - 1, random.nextDouble(0.3, 0.9));
        }
        return new Churn(billedMonths, null, -1, -1, 0);
    }

    boolean churns() {
        return end != null;
    }

    boolean hasPrecursors() {
        return precursorsFrom >= 0;
    }

    /** Precursor intensity of a month: 0 outside the patch, rising to {@code intensity} at its last month. */
    double at(int month) {
        if (precursorsFrom < 0 || month < precursorsFrom || month > precursorsTo) {
            return 0;
        }
        return intensity * (month - precursorsFrom + 1) / (precursorsTo - precursorsFrom + 1);
    }

    /**
     * CHURN: period and evidence key = the first month no longer under contract, amount = the last invoiced
     * month's total; judged when the contract ends. Empty for an account that stays or was never invoiced.
     */
    Optional<Judged> label(Account account, List<List<BuiltLine>> invoices) {
        if (!churns()) {
            return Optional.empty();
        }
        for (int month = billedMonths - 1; month >= 0; month--) {
            BigDecimal total = BigDecimal.ZERO;
            for (BuiltLine b : invoices.get(month)) {
                total = total.add(b.line().getLineTotal());
            }
            if (total.signum() > 0) {
                String period = WorldGenerator.PERIOD.format(account.start().plusMonths(billedMonths));
                String cause = intensity < 0.2 ? "customer churned: contract ended without warning signs"
                        : "customer churned: contract ended after declining usage and payment trouble";
                return Optional.of(new Judged(new Label(LABEL_TYPE, account.id(), period, total, account.currency(),
                        null, null, period, cause), end));
            }
        }
        return Optional.empty();
    }
}
