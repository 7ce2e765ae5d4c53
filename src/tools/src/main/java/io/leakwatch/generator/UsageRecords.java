package io.leakwatch.generator;

import io.leakwatch.events.UsageRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The usage records of one account: 4-8 a month per metered service, on different days at a random second,
 * summing exactly to the month's usage ({@code use-<account>-<service>-<yyyyMM>-<n>}). Usage is what was used,
 * so a month whose usage goes unbilled still reports all of it.
 */
final class UsageRecords {
    private UsageRecords() {
    }

    static void add(Account account, SplittableRandom random, List<UsageRecord> into) {
        for (CatalogService service : account.services()) {
            if (!service.metered()) {
                continue;
            }
            for (int month = 0; month < account.billedMonths(); month++) {
                YearMonth period = account.period(month);
                BigDecimal used = account.demand(service, month);
                int count = 4 + random.nextInt(5);
                TreeSet<Integer> days = new TreeSet<>();
                while (days.size() < count) {
                    days.add(1 + random.nextInt(period.lengthOfMonth()));
                }
                double[] weights = new double[count];
                double sum = 0;
                for (int i = 0; i < count; i++) {
                    weights[i] = random.nextDouble(0.5, 1.5);
                    sum += weights[i];
                }
                BigDecimal left = used;
                int i = 0;
                for (int d : days) {
                    BigDecimal quantity;
                    if (i == count - 1) {
                        quantity = left;
                    } else {
                        quantity = used.multiply(BigDecimal.valueOf(weights[i] / sum))
                                .setScale(service.usageScale(), RoundingMode.DOWN);
                        left = left.subtract(quantity);
                    }
                    Instant at = period.atDay(d).atStartOfDay(ZoneOffset.UTC).toInstant()
                            .plusSeconds(random.nextLong(86_400));
                    into.add(UsageRecord.newBuilder()
                            .setUsageId("use-" + account.id() + "-" + service.id() + "-"
                                    + WorldGenerator.PERIOD_ID.format(period) + "-" + (i + 1))
                            .setAccountId(account.id())
                            .setService(service.id())
                            .setQuantity(Pricing.quantity(quantity))
                            .setUnit(service.unit())
                            .setOccurredAt(at)
                            .build());
                    i++;
                }
            }
        }
    }
}
