package io.leakwatch.features;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.dec;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.payment;
import static io.leakwatch.testing.Events.provisioned;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leakwatch.events.Alert;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountFeaturesTest {
    private static final String ACCOUNT = "acct-1";

    private static AccountFeatures withContract() {
        AccountFeatures f = new AccountFeatures();
        f.add(contract(ACCOUNT, 1, "2023-12-20T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null)));
        return f;
    }

    /** One line of {@code total} for the month, issued on the 1st of the next month at 06:00 UTC. */
    private static void bill(AccountFeatures f, YearMonth month, String total) {
        String issued = month.plusMonths(1).atDay(1) + "T06:00:00Z";
        f.add(line(ACCOUNT, "inv-" + month, "L1", "seats", month.atDay(1) + "T00:00:00Z",
                month.plusMonths(1).atDay(1) + "T00:00:00Z", "1", total, total, "USD", issued));
    }

    private static Alert alert(String type, String amount, String detectedAt) {
        return Alert.newBuilder().setAlertId(type + detectedAt).setType(type).setSeverity(Severity.LOW)
                .setAccountId(ACCOUNT).setEvidenceKey("k").setAmount(dec(amount, 2)).setCurrency("USD")
                .setExplanation("").setRecommendedAction("").setEventTime(at(detectedAt)).setDetectedAt(at(detectedAt))
                .setEvidence(Map.of()).build();
    }

    private static double value(AccountFeatures f, Feature feature, String asOf) {
        return f.snapshot(ACCOUNT, at(asOf)).value(feature);
    }

    @Test
    void shouldUseEveryDefaultForAnAccountWithoutData() {
        FeatureSnapshot s = new AccountFeatures().snapshot(ACCOUNT, at("2024-06-01T00:00:00Z"));
        for (Feature f : Feature.values()) {
            assertThat(s.value(f)).as(f.featureName()).isEqualTo(f.defaultValue());
        }
        assertThat(s.monthlyRevenue()).isEqualByComparingTo("0");
    }

    @Test
    void shouldAverageTheLastThreeCompleteBilledMonthsAsMonthlyRevenue() {
        AccountFeatures f = withContract();
        bill(f, YearMonth.of(2024, 1), "100");     // issued 2024-02
        bill(f, YearMonth.of(2024, 2), "200");     // issued 2024-03
        bill(f, YearMonth.of(2024, 3), "300");     // issued 2024-04
        bill(f, YearMonth.of(2024, 4), "600");     // issued 2024-05
        assertThat(f.monthlyRevenue(at("2024-05-01T00:00:00Z"))).isEqualByComparingTo("200.00");  // Feb..Apr
        assertThat(f.monthlyRevenue(at("2024-06-01T00:00:00Z"))).isEqualByComparingTo("366.67");  // Mar..May
        assertThat(f.monthlyRevenue(at("2024-03-01T00:00:00Z"))).isEqualByComparingTo("100.00");  // only Feb so far
        assertThat(f.monthlyRevenue(at("2024-02-15T00:00:00Z"))).isEqualByComparingTo("0");       // no complete month
    }

    @Test
    void shouldCountFailedPaymentsAndTheirRateInNinetyDays() {
        AccountFeatures f = withContract();
        f.add(payment(ACCOUNT, "p1", "i1", "10", "USD", PaymentStatus.FAILED, "2024-01-10T00:00:00Z"));
        f.add(payment(ACCOUNT, "p2", "i1", "10", "USD", PaymentStatus.FAILED, "2024-03-10T00:00:00Z"));
        f.add(payment(ACCOUNT, "p3", "i1", "10", "USD", PaymentStatus.SUCCEEDED, "2024-03-12T00:00:00Z"));
        f.add(payment(ACCOUNT, "p4", "i1", "10", "USD", PaymentStatus.CREDITED, "2024-03-13T00:00:00Z"));
        // window [2024-01-11, 2024-04-10): p1 just outside; credits are not attempts
        assertThat(value(f, Feature.PAYMENT_FAILURES_90D, "2024-04-10T00:00:00Z")).isEqualTo(1);
        assertThat(value(f, Feature.PAYMENT_FAILURE_RATE_90D, "2024-04-10T00:00:00Z")).isEqualTo(0.5);
        assertThat(value(f, Feature.PAYMENT_FAILURES_90D, "2024-04-09T00:00:00Z")).isEqualTo(2);
    }

    @Test
    void shouldMeasureDaysSinceTheLastSuccessfulPaymentOrSinceTheFirstInvoice() {
        AccountFeatures f = withContract();
        bill(f, YearMonth.of(2024, 1), "100");
        assertThat(value(f, Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, "2024-02-11T06:00:00Z")).isEqualTo(10);
        f.add(payment(ACCOUNT, "p1", "inv-2024-01", "100", "USD", PaymentStatus.SUCCEEDED, "2024-02-05T06:00:00Z"));
        assertThat(value(f, Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, "2024-02-11T06:00:00Z")).isEqualTo(6);
        assertThat(value(f, Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, "2026-01-01T00:00:00Z")).isEqualTo(365);
    }

    @Test
    void shouldRememberTheLastSuccessOnceItsPaymentLeftTheNinetyDays() {
        AccountFeatures f = withContract();
        bill(f, YearMonth.of(2024, 1), "100");
        f.add(payment(ACCOUNT, "p1", "inv-2024-01", "100", "USD", PaymentStatus.SUCCEEDED, "2024-02-05T00:00:00Z"));
        f.add(payment(ACCOUNT, "r1", "inv-2024-01", "20", "USD", PaymentStatus.REFUNDED, "2024-02-06T00:00:00Z"));
        f.add(payment(ACCOUNT, "c1", "inv-2024-01", "20", "USD", PaymentStatus.CREDITED, "2024-02-07T00:00:00Z"));
        assertThat(f.payments()).as("refunds and credits feed no feature").hasSize(1);
        // 200 days of failures later the success has left the payments kept, but not the days since it
        f.add(payment(ACCOUNT, "p2", "inv-2024-07", "100", "USD", PaymentStatus.FAILED, "2024-08-23T00:00:00Z"));
        assertThat(f.payments()).extracting(PaymentWindow.Entry::status).containsExactly(PaymentStatus.FAILED);
        assertThat(value(f, Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, "2024-08-24T00:00:00Z")).isEqualTo(201);
        assertThat(value(f, Feature.PAYMENT_FAILURES_90D, "2024-08-24T00:00:00Z")).isEqualTo(1);
        assertThat(value(f, Feature.PAYMENT_FAILURE_RATE_90D, "2024-08-24T00:00:00Z")).isEqualTo(1.0);
        AccountFeatures back = AccountFeaturesCodec.decode(AccountFeaturesCodec.encode(f));
        assertThat(back).isEqualTo(f);
        assertThat(value(back, Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, "2024-08-24T00:00:00Z")).isEqualTo(201);
        // 400 days after it the success is forgotten, as a kept payment was before: the first invoice counts again
        f.add(payment(ACCOUNT, "p3", "inv-2025-03", "100", "USD", PaymentStatus.FAILED, "2025-03-12T00:00:00Z"));
        assertThat(value(f, Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, "2025-03-12T00:00:01Z")).isEqualTo(365);
        assertThat(f.successBeforeMs()).isEqualTo(AccountFeatures.NONE);
    }

    @Test
    void shouldCountAndWeighTheAccountsOwnFindingsInNinetyDays() {
        AccountFeatures f = withContract();
        for (int m = 1; m <= 3; m++) {
            bill(f, YearMonth.of(2024, m), "1000");
        }
        f.add(alert("RATE_MISMATCH", "50", "2024-02-01T06:00:00Z"));
        f.add(alert("CHARGE_ARITHMETIC", "-30", "2024-03-01T06:00:00Z"));
        f.add(alert("CURRENCY_MISMATCH", "0", "2024-03-02T06:00:00Z"));
        f.add(alert("UNBILLED_USAGE", "200", "2024-03-06T00:00:00Z"));
        f.add(alert("MISSING_INVOICE", "500", "2024-03-06T00:00:00Z"));
        f.add(alert("PROVISIONING_MISMATCH", "100", "2024-03-07T00:00:00Z"));
        f.add(alert("DUPLICATE_CHARGE", "-40", "2024-03-08T00:00:00Z"));
        f.add(alert("UNPAID_INVOICE", "900", "2024-03-08T00:00:00Z"));   // not a feature alert
        String asOf = "2024-04-01T00:00:00Z";
        assertThat(value(f, Feature.RATE_MISMATCH_COUNT_90D, asOf)).isEqualTo(3);
        assertThat(value(f, Feature.RATE_MISMATCH_AMOUNT_RATIO_90D, asOf)).isCloseTo(0.08, within(1e-9));
        assertThat(value(f, Feature.UNBILLED_USAGE_COUNT_90D, asOf)).isEqualTo(3);
        assertThat(value(f, Feature.UNBILLED_USAGE_AMOUNT_RATIO_90D, asOf)).isCloseTo(0.8, within(1e-9));
        assertThat(value(f, Feature.DUPLICATE_CHARGE_COUNT_90D, asOf)).isEqualTo(1);
        // 90 days after 2024-02-01T06:00 the first rate mismatch leaves the window
        assertThat(value(f, Feature.RATE_MISMATCH_COUNT_90D, "2024-05-01T06:00:01Z")).isEqualTo(2);
        assertThat(AccountFeatures.featureAlert("UNATTRIBUTED_REVENUE")).isFalse();
        assertThat(AccountFeatures.featureAlert("HIGH_CHURN_RISK")).isFalse();
    }

    @Test
    void shouldRelateLastThirtyDaysOfUsageToTheCommitment() {
        AccountFeatures f = new AccountFeatures();
        RateLine api = rate("api-calls", "0.01", "USD", "2024-01-01T00:00:00Z", null);
        api.setCommittedQuantity(dec("1000", 6));
        RateLine support = rate("support", "100", "USD", "2024-01-01T00:00:00Z", null);
        support.setCommittedQuantity(dec("1", 6));
        f.add(contract(ACCOUNT, 1, "2023-12-20T10:00:00Z", api, support));
        f.add(usage(ACCOUNT, "u1", "api-calls", "900", "2024-02-20T00:00:00Z"));   // outside the 30 days
        f.add(usage(ACCOUNT, "u2", "api-calls", "700", "2024-03-05T00:00:00Z"));
        f.add(usage(ACCOUNT, "u3", "api-calls", "800", "2024-03-20T00:00:00Z"));
        assertThat(value(f, Feature.UTILISATION, "2024-04-01T00:00:00Z")).isCloseTo(1.5, within(1e-9));
        assertThat(value(f, Feature.OVER_UTILISATION, "2024-04-01T00:00:00Z")).isCloseTo(0.5, within(1e-9));
        // support has a commitment but no usage: it does not count (else it would read 0)
        assertThat(value(f, Feature.UTILISATION, "2024-03-21T00:00:00Z")).isCloseTo(2.4, within(1e-9));
        assertThat(withContract().snapshot(ACCOUNT, at("2024-04-01T00:00:00Z")).value(Feature.UTILISATION)).isEqualTo(1.0);
    }

    @Test
    void shouldCompareTheLastThirtyDaysOfUsageWithTheThreeMonthsBefore() {
        AccountFeatures f = withContract();
        f.add(usage(ACCOUNT, "u1", "storage", "300", "2024-01-15T00:00:00Z"));
        f.add(usage(ACCOUNT, "u2", "storage", "300", "2024-02-15T00:00:00Z"));
        f.add(usage(ACCOUNT, "u3", "storage", "300", "2024-03-15T00:00:00Z"));
        f.add(usage(ACCOUNT, "u4", "storage", "50", "2024-04-15T00:00:00Z"));
        // [2024-01-02, 2024-04-01): 900 -> 300 a month; [2024-04-01, 2024-05-01): 50
        assertThat(value(f, Feature.USAGE_TREND_3M, "2024-05-01T00:00:00Z")).isCloseTo(50.0 / 300 - 1, within(1e-9));
        assertThat(value(f, Feature.USAGE_TREND_3M, "2024-01-20T00:00:00Z")).isZero();   // nothing before
    }

    @Test
    void shouldMeasureTheSeatChangeOverNinetyDays() {
        AccountFeatures f = withContract();
        f.add(provisioned(ACCOUNT, "c1", "seats", "20", "2024-01-01T00:00:00Z"));
        f.add(provisioned(ACCOUNT, "c2", "seats", "25", "2024-03-01T00:00:00Z"));
        f.add(provisioned(ACCOUNT, "c3", "seats", "15", "2024-05-01T00:00:00Z"));
        assertThat(value(f, Feature.SEAT_CHANGE_90D, "2024-05-01T00:00:00Z")).isCloseTo(0.25, within(1e-9));
        assertThat(value(f, Feature.SEAT_CHANGE_90D, "2024-05-01T00:00:01Z")).isCloseTo(-0.25, within(1e-9));
        assertThat(value(f, Feature.SEAT_CHANGE_90D, "2024-02-01T00:00:00Z")).isZero();   // no level 90 days back
    }

    @Test
    void shouldJudgeLastMonthsRevenueLikeTheBaselineDetector() {
        AccountFeatures f = withContract();
        for (int m = 1; m <= 6; m++) {
            bill(f, YearMonth.of(2024, m), "1000");    // billed Feb..Jul
        }
        bill(f, YearMonth.of(2024, 7), "500");         // billed Aug
        // baseline of Aug = Feb..Jul, mean 1000, std 0 -> floor 0.25 * 1000; z = (500 - 1000) / 250
        assertThat(value(f, Feature.REVENUE_Z, "2024-09-01T00:00:00Z")).isCloseTo(-2.0, within(1e-9));
        assertThat(value(f, Feature.REVENUE_Z, "2024-08-01T00:00:00Z")).isZero();   // cold start: 5 months before Jul
    }

    @Test
    void shouldFitTheSixMonthRevenueTrendWithTheErosionArithmetic() {
        AccountFeatures f = withContract();
        int[] revenue = {1000, 900, 800, 700, 600, 500};
        for (int m = 0; m < 6; m++) {
            bill(f, YearMonth.of(2024, m + 1), String.valueOf(revenue[m]));
        }
        // Theil-Sen slope -100, start level 1000
        assertThat(value(f, Feature.REVENUE_TREND_6M, "2024-08-01T00:00:00Z")).isCloseTo(-0.1, within(1e-9));
        assertThat(value(f, Feature.REVENUE_TREND_6M, "2024-07-01T00:00:00Z")).isZero();   // only 5 months
    }

    @Test
    void shouldCompareLastMonthsInvoiceLinesWithTheThreeBefore() {
        AccountFeatures f = withContract();
        for (int m = 1; m <= 3; m++) {
            bill(f, YearMonth.of(2024, m), "100");
        }
        f.add(line(ACCOUNT, "inv-x", "L1", "seats", "2024-04-01T00:00:00Z", "2024-05-01T00:00:00Z", "1", "1", "1",
                "USD", "2024-05-01T06:00:00Z"));
        f.add(line(ACCOUNT, "inv-x", "L2", "seats", "2024-04-01T00:00:00Z", "2024-05-01T00:00:00Z", "1", "1", "1",
                "USD", "2024-05-01T06:00:00Z"));
        assertThat(value(f, Feature.INVOICE_COUNT_TREND, "2024-06-01T00:00:00Z")).isCloseTo(1.0, within(1e-9));
        assertThat(value(f, Feature.INVOICE_COUNT_TREND, "2024-05-01T00:00:00Z")).isZero();   // 3 months of history
    }

    @Test
    void shouldMeasureContractAgeAndTimeToItsEnd() {
        AccountFeatures f = withContract();
        assertThat(value(f, Feature.MONTHS_SINCE_CONTRACT_START, "2025-01-01T00:00:00Z")).isCloseTo(12.0, within(0.05));
        assertThat(value(f, Feature.MONTHS_TO_CONTRACT_END, "2025-01-01T00:00:00Z")).isEqualTo(24.0);   // open-ended
        f.add(contract(ACCOUNT, 2, "2025-02-10T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z",
                "2025-03-01T00:00:00Z")));
        assertThat(value(f, Feature.MONTHS_TO_CONTRACT_END, "2025-02-10T10:00:00Z")).isEqualTo(24.0);   // not signed yet
        assertThat(value(f, Feature.MONTHS_TO_CONTRACT_END, "2025-02-15T00:00:00Z")).isCloseTo(0.46, within(0.01));
        assertThat(value(f, Feature.CONTRACT_AMENDMENTS, "2025-02-10T10:00:00Z")).isZero();
        assertThat(value(f, Feature.MONTHS_SINCE_CONTRACT_AMENDMENT, "2025-02-10T10:00:00Z")).isEqualTo(24.0);
        assertThat(value(f, Feature.CONTRACT_AMENDMENTS, "2025-02-15T00:00:00Z")).isEqualTo(1.0);
        assertThat(value(f, Feature.MONTHS_SINCE_CONTRACT_AMENDMENT, "2025-03-13T10:00:00Z")).isCloseTo(1.0, within(0.02));
        assertThat(f.activeAt(at("2025-02-28T00:00:00Z"))).isTrue();
        assertThat(f.activeAt(at("2025-03-01T00:00:00Z"))).isFalse();
        assertThat(new AccountFeatures().activeAt(at("2025-03-01T00:00:00Z"))).isFalse();
    }

    @Test
    void shouldKeepTheSameVersionOfTwoContractsSideBySide() {
        AccountFeatures f = new AccountFeatures();
        RateLine api = rate("api-calls", "0.01", "USD", "2024-01-01T00:00:00Z", null);
        api.setCommittedQuantity(dec("1000", 6));
        f.add(contract("main", ACCOUNT, 1, "2023-12-20T10:00:00Z", api));
        RateLine storage = rate("storage", "0.25", "USD", "2024-03-01T00:00:00Z", "2024-12-01T00:00:00Z");
        f.add(contract("add-on", ACCOUNT, 1, "2024-02-20T10:00:00Z", storage));
        f.add(usage(ACCOUNT, "u1", "api-calls", "1500", "2024-03-20T00:00:00Z"));

        // the add-on's version 1 stands beside the main plan's: the plan's commitment and start still count
        assertThat(value(f, Feature.UTILISATION, "2024-04-01T00:00:00Z")).isCloseTo(1.5, within(1e-9));
        assertThat(value(f, Feature.MONTHS_SINCE_CONTRACT_START, "2025-01-01T00:00:00Z")).isCloseTo(12.0, within(0.05));
        // the main plan has no end, so neither has the account's contracting
        assertThat(value(f, Feature.MONTHS_TO_CONTRACT_END, "2024-04-01T00:00:00Z")).isEqualTo(24.0);
        assertThat(f.activeAt(at("2025-01-01T00:00:00Z"))).isTrue();
        f.add(contract("add-on", ACCOUNT, 2, "2024-05-10T10:00:00Z", storage));
        assertThat(value(f, Feature.CONTRACT_AMENDMENTS, "2024-06-01T00:00:00Z")).isEqualTo(1.0);
        assertThat(value(f, Feature.UTILISATION, "2024-04-01T00:00:00Z")).isCloseTo(1.5, within(1e-9));
        AccountFeatures back = AccountFeaturesCodec.decode(AccountFeaturesCodec.encode(f));
        assertThat(back).isEqualTo(f);
        assertThat(back.snapshot(ACCOUNT, at("2024-06-01T00:00:00Z")).values())
                .containsExactly(f.snapshot(ACCOUNT, at("2024-06-01T00:00:00Z")).values());
    }

    @Test
    void shouldSeeOnlyEventsBeforeTheSnapshotInstant() {
        AccountFeatures f = withContract();
        f.add(payment(ACCOUNT, "p1", "i1", "10", "USD", PaymentStatus.FAILED, "2024-03-01T00:00:00Z"));
        f.add(alert("DUPLICATE_CHARGE", "-5", "2024-03-01T00:00:00Z"));
        assertThat(value(f, Feature.PAYMENT_FAILURES_90D, "2024-03-01T00:00:00Z")).isZero();
        assertThat(value(f, Feature.DUPLICATE_CHARGE_COUNT_90D, "2024-03-01T00:00:00Z")).isZero();
        assertThat(value(f, Feature.PAYMENT_FAILURES_90D, "2024-03-01T00:00:00.001Z")).isEqualTo(1);
    }

    @Test
    void shouldPruneWhatNoWindowCanSeeAnyMore() {
        AccountFeatures f = withContract();
        for (int day = 0; day < 600; day += 5) {
            Instant t = at("2024-01-01T00:00:00Z").plusSeconds(day * 86_400L);
            f.add(usage(ACCOUNT, "u" + day, "storage", "1", t.toString()));
            f.add(payment(ACCOUNT, "p" + day, "i" + day, "1", "USD", PaymentStatus.FAILED, t.toString()));
            f.add(alert("DUPLICATE_CHARGE", "-1", t.toString()));
            f.add(provisioned(ACCOUNT, "c" + day, "seats", String.valueOf(day + 1), t.toString()));
        }
        for (int m = 0; m < 20; m++) {
            bill(f, YearMonth.of(2024, 1).plusMonths(m), "10");
        }
        assertThat(f.usage().get("storage").size()).isLessThanOrEqualTo(24);
        assertThat(f.payments()).hasSizeLessThanOrEqualTo(19);
        assertThat(f.alerts()).hasSizeLessThanOrEqualTo(18);
        assertThat(f.provisioning().get("seats")).hasSizeLessThanOrEqualTo(20);
        assertThat(f.lineCounts()).hasSizeLessThanOrEqualTo(RevenueMonths.REVENUE_MONTHS);
        assertThat(AccountFeaturesCodec.encode(f).length).isLessThan(6_000);
        // the window still reads correctly after pruning
        // latest event: the last bill, 2025-09-01T06:00; its 90 days start on day 519 -> alerts of days 520..595
        String justAfterLatest = f.latestEvent().plusMillis(1).toString();
        assertThat(value(f, Feature.DUPLICATE_CHARGE_COUNT_90D, justAfterLatest)).isEqualTo(16);
    }

    @Test
    void shouldSeeALateLineInTheMonthlyRevenueOfAMonthAlreadySnapshotted() {
        // monthly revenue is kept per month until the revenue changes: a late line must still reach the next snapshot
        AccountFeatures f = withContract();
        for (int m = 1; m <= 3; m++) {
            bill(f, YearMonth.of(2024, m), "100");     // revenue of Feb, Mar, Apr
        }
        Instant may = at("2024-05-15T00:00:00Z");
        assertThat(f.snapshot(ACCOUNT, may).monthlyRevenue()).isEqualByComparingTo("100.00");

        f.add(line(ACCOUNT, "inv-late", "L1", "seats", "2024-04-01T00:00:00Z", "2024-05-01T00:00:00Z", "1", "60", "60",
                "USD", "2024-04-10T06:00:00Z"));

        assertThat(f.snapshot(ACCOUNT, may).monthlyRevenue()).isEqualByComparingTo("120.00");
        assertThat(f.monthlyRevenue(at("2024-04-15T00:00:00Z"))).as("another month").isEqualByComparingTo("100.00");
    }

    @Test
    void shouldPruneAsSoonAsAnEntryLeavesItsWindowAndNotBefore() {
        // Pruning waits until the latest event passes the instant the oldest entry leaves its window; the state must
        // be what pruning on every event gave: after each event that moves the latest time on, nothing is left that a
        // full prune would remove. Late events of every kind, some far too old.
        java.util.Random random = new java.util.Random(5);
        AccountFeatures f = withContract();
        Instant clock = at("2024-01-01T00:00:00Z");
        String[] services = {"storage", "api-calls", "seats"};
        for (int i = 0; i < 3_000; i++) {
            clock = clock.plusSeconds(random.nextInt(2 * 86_400));
            Instant t = random.nextInt(7) == 0 ? clock.minusSeconds(86_400L * random.nextInt(500)) : clock;
            String service = services[random.nextInt(services.length)];
            Instant before = f.latestEvent();
            int kind = random.nextInt(5);
            switch (kind) {
                case 0 -> f.add(usage(ACCOUNT, "u" + i, service, "1", t.toString()));
                case 1 -> f.add(payment(ACCOUNT, "p" + i, "i" + random.nextInt(50), "1", "USD",
                        random.nextBoolean() ? PaymentStatus.FAILED : PaymentStatus.SUCCEEDED, t.toString()));
                case 2 -> f.add(alert("DUPLICATE_CHARGE", "-1", t.toString()));
                case 3 -> f.add(provisioned(ACCOUNT, "c" + i, service, String.valueOf(1 + random.nextInt(9)), t.toString()));
                default -> f.add(line(ACCOUNT, "i" + random.nextInt(50), "L" + i, "seats", t.toString(), t.toString(),
                        "1", "2", "2", "USD", t.toString()));
            }
            boolean advanced = before == null || f.latestEvent().isAfter(before);
            if (advanced) {
                AccountFeatures kept = AccountFeaturesCodec.decode(AccountFeaturesCodec.encode(f));
                f.pruneNow();
                assertThat(f).as("event %d", i).isEqualTo(kept);
            }
        }
        assertThat(f.pruneDue()).isGreaterThan(f.latestEvent().toEpochMilli());
        assertThat(f.usage()).isNotEmpty();
        assertThat(f.payments()).isNotEmpty();
    }

    @Test
    void shouldRoundTripThroughTheBinaryCodec() {
        AccountFeatures f = withContract();
        RateLine api = rate("api-calls", "0.01", "USD", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
        api.setCommittedQuantity(dec("1000", 6));
        f.add(contract(ACCOUNT, 2, "2024-02-20T10:00:00Z", api));
        for (int m = 1; m <= 7; m++) {
            bill(f, YearMonth.of(2024, m), "1000.25");
        }
        f.add(usage(ACCOUNT, "u1", "api-calls", "700.5", "2024-07-05T00:00:00Z"));
        f.add(payment(ACCOUNT, "p1", "inv-2024-01", "10", "USD", PaymentStatus.REFUNDED, "2024-07-10T00:00:00Z"));
        f.add(payment(ACCOUNT, "p2", null, "10", "USD", PaymentStatus.FAILED, "2024-07-11T00:00:00Z"));
        f.add(provisioned(ACCOUNT, "c1", "seats", "20", "2024-07-01T00:00:00Z"));
        f.add(alert("RATE_MISMATCH", "12.34", "2024-07-12T00:00:00Z"));
        byte[] bytes = AccountFeaturesCodec.encode(f);
        assertThat(bytes[0] & 0xFF).isEqualTo(AccountFeaturesCodec.VERSION);
        AccountFeatures back = AccountFeaturesCodec.decode(bytes);
        assertThat(back).isEqualTo(f);
        Instant asOf = at("2024-09-01T00:00:00Z");
        assertThat(back.snapshot(ACCOUNT, asOf).values()).containsExactly(f.snapshot(ACCOUNT, asOf).values());
        assertThat(back.monthlyRevenue(asOf)).isEqualTo(f.monthlyRevenue(asOf));
        assertThat(AccountFeaturesCodec.decode(AccountFeaturesCodec.encode(new AccountFeatures())))
                .isEqualTo(new AccountFeatures());
    }

    @Test
    void shouldReadTheFormatWithoutContractIdsAsTheAccountsOneContract() {
        AccountFeatures f = withContract();
        byte[] current = AccountFeaturesCodec.encode(f);
        // the older format is the same bytes without the contract id ("ctr-acct-1", its length first)
        byte[] id = ("\n" + "ctr-" + ACCOUNT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = java.util.Collections.indexOfSubList(
                java.util.Arrays.asList(box(current)), java.util.Arrays.asList(box(id)));
        assertThat(at).isPositive();
        byte[] older = new byte[current.length - id.length];
        System.arraycopy(current, 0, older, 0, at);
        System.arraycopy(current, at + id.length, older, at, current.length - at - id.length);
        older[0] = (byte) AccountFeaturesCodec.WITHOUT_CONTRACT_IDS;

        AccountFeatures back = AccountFeaturesCodec.decode(older);
        AccountFeatures amended = withContract();
        RateLine seats = rate("seats", "12", "USD", "2024-01-01T00:00:00Z", null);
        back.add(contract(ACCOUNT, 2, "2024-06-01T10:00:00Z", seats));
        amended.add(contract(ACCOUNT, 2, "2024-06-01T10:00:00Z", seats));

        // its versions are the contract's that comes next: version 2 amends it, not a second contract beside it
        assertThat(back).isEqualTo(amended);
        assertThat(value(back, Feature.CONTRACT_AMENDMENTS, "2024-07-01T00:00:00Z")).isEqualTo(1.0);
    }

    private static Byte[] box(byte[] bytes) {
        Byte[] boxed = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            boxed[i] = bytes[i];
        }
        return boxed;
    }

    @Test
    void shouldIgnoreLinesInAnotherCurrencyForRevenue() {
        AccountFeatures f = withContract();
        f.add(line(ACCOUNT, "inv-e", "L1", "seats", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "1", "99", "99",
                "EUR", "2024-02-01T06:00:00Z"));
        assertThat(f.monthlyRevenue(at("2024-03-01T00:00:00Z"))).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(f.currency()).isEqualTo("USD");
    }
}
