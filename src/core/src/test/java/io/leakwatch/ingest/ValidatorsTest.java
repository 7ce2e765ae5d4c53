package io.leakwatch.ingest;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.dec;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.payment;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.tier;
import static io.leakwatch.testing.Events.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import io.leakwatch.events.UsageRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
    private static InvoiceLine goodLine() {
        return line("acct-1", "inv-1", "l-1", "api", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z",
                "10", "2.5", "25", "USD", "2024-02-01T00:00:00Z");
    }

    @Test
    void aPlausibleEventOfEachTypePasses() {
        assertThat(Validators.INVOICE_LINE.problems(goodLine())).isEmpty();
        assertThat(Validators.CONTRACT.problems(contract("acct-1", 1, "2019-03-01T00:00:00Z",
                rate("api", "2.5", "USD", "2019-03-01T00:00:00Z", null)))).isEmpty();
        assertThat(Validators.USAGE.problems(usage("acct-1", "u-1", "api", "3", "2024-01-02T00:00:00Z"))).isEmpty();
        assertThat(Validators.PAYMENT.problems(payment("acct-1", "p-1", "inv-1", "25", "USD",
                PaymentStatus.FAILED, "2024-02-03T00:00:00Z"))).isEmpty();
    }

    @Test
    void historyYearsBackIsPlausibleButTheEpochAndTheFarFutureAreNot() {
        InvoiceLine old = goodLine();
        old.setServicePeriodStart(at("1994-01-01T00:00:00Z"));
        old.setServicePeriodEnd(at("1994-02-01T00:00:00Z"));
        old.setIssuedAt(at("1994-02-01T00:00:00Z"));
        assertThat(Validators.INVOICE_LINE.problems(old)).isEmpty();

        InvoiceLine epoch = goodLine();
        epoch.setDueAt(at("1970-01-01T00:00:00Z"));
        assertThat(Validators.INVOICE_LINE.problems(epoch)).singleElement().asString()
                .contains("due_at").contains("1990-01-01 .. 2100-01-01");

        InvoiceLine far = goodLine();
        far.setServicePeriodEnd(at("9999-12-31T00:00:00Z"));
        assertThat(Validators.INVOICE_LINE.problems(far)).singleElement().asString().contains("service_period_end");
    }

    @Test
    void quantitiesRatesAndAmountsBeyondAnythingBilledAreRefused() {
        InvoiceLine huge = goodLine();
        huge.setQuantity(dec("1000000000001", 6));
        huge.setUnitRate(dec("1000000001", 8));
        huge.setLineTotal(dec("10000000000001", 4));
        assertThat(Validators.INVOICE_LINE.problems(huge)).hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("quantity 1000000000001 is more than"))
                .anySatisfy(p -> assertThat(p).startsWith("unit_rate"))
                .anySatisfy(p -> assertThat(p).startsWith("line_total 10000000000001"));

        Payment payment = payment("acct-1", "p-1", "inv-1", "10000000000000.0001", "USD", PaymentStatus.SUCCEEDED,
                "2024-02-03T00:00:00Z");
        assertThat(Validators.PAYMENT.problems(payment)).singleElement().asString().startsWith("amount");
    }

    @Test
    void aCreditLineWithANegativeQuantityAndTotalIsValidWithOrWithoutAnAccount() {
        InvoiceLine credit = goodLine();
        credit.setQuantity(credit.getQuantity().negate());
        credit.setLineTotal(credit.getLineTotal().negate());
        assertThat(Validators.INVOICE_LINE.problems(credit)).isEmpty();

        credit.setAccountId(null);
        assertThat(Validators.INVOICE_LINE.problems(credit)).isEmpty();
    }

    @Test
    void aLineWhoseTotalHasTheOppositeSignOfQuantityTimesRateIsRefusedWithOrWithoutAnAccount() {
        InvoiceLine adjustment = goodLine();
        adjustment.setLineTotal(adjustment.getLineTotal().negate());
        assertThat(Validators.INVOICE_LINE.problems(adjustment)).singleElement().asString()
                .contains("has the opposite sign of quantity x unit_rate");

        adjustment.setAccountId(null);
        assertThat(Validators.INVOICE_LINE.problems(adjustment)).singleElement().asString()
                .contains("has the opposite sign of quantity x unit_rate");

        InvoiceLine negativeRate = goodLine();
        negativeRate.setUnitRate(negativeRate.getUnitRate().negate());
        negativeRate.setLineTotal(negativeRate.getLineTotal().negate());
        assertThat(Validators.INVOICE_LINE.problems(negativeRate)).singleElement().asString()
                .startsWith("unit_rate must not be negative");
    }

    @Test
    void longTextIsRefusedAndNotEchoedBack() {
        String megabyte = "x".repeat(1 << 20);
        UsageRecord usage = usage(megabyte, "u-1", "api", "3", "2024-01-02T00:00:00Z");
        List<String> problems = Validators.USAGE.problems(usage);
        assertThat(problems).singleElement().asString().contains("account_id").contains("1,048,576 characters")
                .hasSizeLessThan(200);

        Payment payment = payment("acct-1", "p-1", "inv-1", "25", "USD", PaymentStatus.FAILED, "2024-02-03T00:00:00Z");
        payment.setFailureReason("z".repeat(70_000));
        assertThat(Validators.PAYMENT.problems(payment)).singleElement().asString()
                .isEqualTo("failure_reason is longer than 2000 characters (70,000)");

        Payment currency = payment("acct-1", "p-1", "inv-1", "25", "USD", PaymentStatus.FAILED, "2024-02-03T00:00:00Z");
        currency.setCurrency("€".repeat(600_000));
        assertThat(Validators.PAYMENT.problems(currency)).singleElement().asString()
                .contains("is not an ISO-4217 currency").hasSizeLessThan(200);
    }

    @Test
    void aContractWithMoreLinesOrTiersThanAnyPriceBookIsRefusedWithoutListingEach() {
        RateLine line = rate("api", "2.5", "USD", "2019-03-01T00:00:00Z", null);
        Contract many = contract("acct-1", 1, "2019-03-01T00:00:00Z");
        many.setLines(new ArrayList<>(Collections.nCopies(1_001, line)));
        assertThat(Validators.CONTRACT.problems(many)).singleElement().asString()
                .isEqualTo("a contract may have at most 1000 rate lines, not 1001");

        RateLine tiered = rate("api", "2.5", "USD", "2019-03-01T00:00:00Z", null);
        List<Tier> tiers = new ArrayList<>(Collections.nCopies(101, tier("-1", "1")));
        tiered.setTiers(tiers);
        assertThat(Validators.CONTRACT.problems(contract("acct-1", 1, "2019-03-01T00:00:00Z", tiered)))
                .singleElement().asString().isEqualTo("lines[0].tiers: at most 100, not 101");
    }
}
