package io.leakwatch.generator;

import io.leakwatch.events.ProvisioningChange;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The seat provisioning of one account ({@code prov-<account>-<n>}): the initial level at the contract start, each
 * change on the 1st of its month at 00:00 UTC, and level 0 (no plan) when the contract ends. The plan name follows
 * the account size. Provisioning is what was provisioned, so a month billed short still shows the full level.
 */
final class ProvisioningRecords {
    private ProvisioningRecords() {
    }

    static void add(Account account, List<ProvisioningChange> into) {
        if (!account.services().contains(CatalogService.SEATS)) {
            return;
        }
        String plan = switch (account.size()) {
            case SMALL -> "team";
            case MEDIUM -> "business";
            case LARGE -> "enterprise";
        };
        int n = 0;
        for (int month = 0; month < account.billedMonths(); month++) {
            BigDecimal level = account.demand(CatalogService.SEATS, month);
            if (month == 0 || level.compareTo(account.demand(CatalogService.SEATS, month - 1)) != 0) {
                into.add(change(account, ++n, WorldGenerator.firstOf(account.period(month)), level, plan));
            }
        }
        if (account.churn().churns()) {
            into.add(change(account, ++n, account.churn().end(), BigDecimal.ZERO, null));
        }
    }

    private static ProvisioningChange change(Account account, int n, Instant at, BigDecimal level, String plan) {
        return ProvisioningChange.newBuilder()
                .setChangeId("prov-" + account.id() + "-" + n)
                .setAccountId(account.id())
                .setService(CatalogService.SEATS.id())
                .setLevel(Pricing.quantity(level))
                .setPlan(plan)
                .setEffectiveAt(at)
                .build();
    }
}
