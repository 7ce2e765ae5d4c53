package io.leakwatch.generator;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The clean monthly quantities of one service of one account, by account size: seats grow slowly, api calls are
 * noisy with a trend, storage grows, support is 1 every month.
 */
final class Demand {
    private Demand() {
    }

    static BigDecimal[] draw(CatalogService service, Account.Size size, int months, SplittableRandom random) {
        BigDecimal[] series = new BigDecimal[months];
        switch (service) {
            case SEATS -> {
                long seats = switch (size) {
                    case SMALL -> random.nextLong(3, 16);
                    case MEDIUM -> random.nextLong(16, 121);
                    case LARGE -> random.nextLong(121, 2001);
                };
                for (int m = 0; m < months; m++) {
                    double u = random.nextDouble();
                    if (m > 0 && u < 0.35) {
                        seats += Math.max(1, Math.round(seats * random.nextDouble(0, 0.05)));
                    } else if (m > 0 && u < 0.43 && seats > 3) {
                        seats -= 1;
                    }
                    series[m] = BigDecimal.valueOf(seats);
                }
            }
            case API_CALLS -> {
                double base = logUniform(random, switch (size) {
                    case SMALL -> 20;
                    case MEDIUM -> 800;
                    case LARGE -> 8_000;
                }, switch (size) {
                    case SMALL -> 1_500;
                    case MEDIUM -> 15_000;
                    case LARGE -> 250_000;
                });
                double trend = random.nextDouble(-0.01, 0.05);
                for (int m = 0; m < months; m++) {
                    double value = base * StrictMath.pow(1 + trend, m) * random.nextDouble(0.75, 1.25);
                    series[m] = BigDecimal.valueOf(Math.max(1, Math.round(value)));
                }
            }
            case STORAGE -> {
                double gb = logUniform(random, switch (size) {
                    case SMALL -> 5;
                    case MEDIUM -> 200;
                    case LARGE -> 5_000;
                }, switch (size) {
                    case SMALL -> 300;
                    case MEDIUM -> 6_000;
                    case LARGE -> 150_000;
                });
                double growth = random.nextDouble(0.005, 0.04);
                for (int m = 0; m < months; m++) {
                    if (m > 0) {
                        gb = Math.max(1, gb * (1 + growth + random.nextDouble(-0.01, 0.01)));
                    }
                    series[m] = BigDecimal.valueOf(Math.round(gb * 100), 2);
                }
            }
            case SUPPORT -> Arrays.fill(series, BigDecimal.ONE);
        }
        return series;
    }

    private static double logUniform(SplittableRandom random, double low, double high) {
        return StrictMath.exp(random.nextDouble(StrictMath.log(low), StrictMath.log(high)));
    }
}
