package io.leakwatch.topology;

import io.leakwatch.alerts.AlertType;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.dec;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.provisioned;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.tier;
import static io.leakwatch.testing.Events.tiered;
import static io.leakwatch.testing.Events.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.RateLine;
import io.leakwatch.testing.TopologyHarness;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * UNBILLED_USAGE, MISSING_INVOICE and PROVISIONING_MISMATCH end to end: periods close when stream time reaches
 * end(P) + 5 days (the default grace), here 2026-04-06T00:00:00Z for March 2026.
 */
class PeriodDetectorsTopologyTest {
    private static final String ACCOUNT = "acct-7";
    private static final String MARCH_START = "2026-03-01T00:00:00Z";
    private static final String APRIL_START = "2026-04-01T00:00:00Z";
    private static final String MARCH_CLOSE = "2026-04-06T00:00:00Z";
    private final TopologyHarness lw = new TopologyHarness().watching(AlertType.UNBILLED_USAGE, AlertType.MISSING_INVOICE, AlertType.PROVISIONING_MISMATCH);

    @AfterEach
    void close() {
        lw.close();
    }

    private static RateLine committed(RateLine line, String quantity) {
        line.setCommittedQuantity(dec(quantity, 6));
        return line;
    }

    private static InvoiceLine marchLine(String lineId, String service, String quantity, String rate, String total) {
        return line(ACCOUNT, "inv-3", lineId, service, MARCH_START, APRIL_START, quantity, rate, total, "USD",
                "2026-04-01T06:00:00Z");
    }

    private static InvoiceLine aprilLine(String lineId, String service, String quantity, String rate, String total) {
        return line(ACCOUNT, "inv-4", lineId, service, APRIL_START, "2026-05-01T00:00:00Z", quantity, rate, total, "USD",
                "2026-05-01T06:00:00Z");
    }

    @Test
    void shouldNotAlertWhenUsageIsExactlyAtTheCommitment() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, committed(rate("api", "2", "USD", MARCH_START, null), "100")));
        lw.usage(usage(ACCOUNT, "u1", "api", "60", "2026-03-10T00:00:00Z"));
        lw.usage(usage(ACCOUNT, "u2", "api", "40", "2026-03-20T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "100", "2", "200.00"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldAlertOneUnitAboveTheCommitmentPricedAtTheRate() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, committed(rate("api", "2", "USD", MARCH_START, null), "100")));
        lw.usage(usage(ACCOUNT, "u1", "api", "101", "2026-03-10T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "100", "2", "200.00"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNBILLED_USAGE");
            assertThat(a.getAccountId()).isEqualTo(ACCOUNT);
            assertThat(a.getEvidenceKey()).isEqualTo("api/2026-03");
            assertThat(a.getAmount()).isEqualByComparingTo("2.00");
            assertThat(a.getCurrency()).isEqualTo("USD");
            assertThat(a.getEventTime()).isEqualTo(at(MARCH_START));
            assertThat(a.getDetectedAt()).isEqualTo(at(MARCH_CLOSE));
            assertThat(a.getEvidence()).containsEntry("used_quantity", "101").containsEntry("billed_quantity", "100")
                    .containsEntry("committed_quantity", "100").containsEntry("unit_rate", "2")
                    .containsEntry("contract_id", "ctr-acct-7").containsEntry("contract_version", "1");
            assertThat(a.getRecommendedAction()).isNotBlank();
        });
    }

    @Test
    void shouldNotClosePeriodBeforeEndPlusGrace() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "2", "USD", MARCH_START, null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "150", "2026-03-10T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "100", "2", "200.00"));

        lw.advanceStreamTimeTo(at("2026-04-05T23:59:59.999Z"));
        assertThat(lw.alerts()).isEmpty();

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));
        assertThat(lw.alerts()).extracting(Alert::getType).containsExactly("UNBILLED_USAGE");
    }

    @Test
    void shouldCountLateUsageArrivingWithinTheCloseGrace() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "2", "USD", MARCH_START, null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "100", "2026-03-10T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "100", "2", "200.00"));
        lw.advanceStreamTimeTo(at("2026-04-05T12:00:00Z"));

        // occurred on 31 March, arrives 5 days later but before the close
        lw.usage(usage(ACCOUNT, "u2", "api", "10", "2026-03-31T23:00:00Z"));
        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("20.00");
            assertThat(a.getEvidence()).containsEntry("used_quantity", "110");
        });
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldJudgeThePeriodAgainWhenUsageForItArrivesAfterItClosed() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "2", "USD", MARCH_START, null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "100", "2026-03-10T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "100", "2", "200.00"));
        lw.advanceStreamTimeTo(at("2026-04-06T01:00:00Z"));
        assertThat(lw.alerts()).isEmpty();

        // occurred on 31 March, reaches us after March was judged
        lw.usage(usage(ACCOUNT, "u2", "api", "10", "2026-03-31T23:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNBILLED_USAGE");
            assertThat(a.getAmount()).isEqualByComparingTo("20.00");
            assertThat(a.getEvidence()).containsEntry("used_quantity", "110");
            assertThat(a.getDetectedAt()).isEqualTo(at(MARCH_CLOSE));
        });
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldJudgeUsageAtItsOccurrenceWhenItsProducerStampedItAfterThePeriodClosed() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "2", "USD", MARCH_START, null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "100", "2026-03-10T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "100", "2", "200.00"));

        // occurred on 31 March; its producer stamped the record with the time it sent it, after March closed
        lw.usageAt(usage(ACCOUNT, "u2", "api", "10", "2026-03-31T23:00:00Z"), at("2026-04-07T00:00:00Z"));
        lw.advanceStreamTimeTo(at("2026-04-08T00:00:00Z"));

        assertThat(lw.deadLetters()).isEmpty();
        assertThat(lw.standing()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("UNBILLED_USAGE");
            assertThat(a.getAmount()).isEqualByComparingTo("20.00");
            assertThat(a.getEvidence()).containsEntry("used_quantity", "110");
            assertThat(a.getDetectedAt()).isEqualTo(at(MARCH_CLOSE));
        });
    }

    @Test
    void shouldIgnoreAnInvoiceLineForAClosedPeriod() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "2", "USD", MARCH_START, null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "150", "2026-03-10T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "100", "2", "200.00"));
        lw.advanceStreamTimeTo(at(MARCH_CLOSE));
        assertThat(lw.alerts()).hasSize(1);

        lw.invoice(line(ACCOUNT, "inv-3b", "L1", "api", MARCH_START, APRIL_START, "50", "2", "100.00", "USD",
                "2026-04-08T06:00:00Z"));
        lw.advanceStreamTimeTo(at("2026-05-06T00:00:00Z"));

        assertThat(lw.alerts()).isEmpty();
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldPriceWithTheTermsAtPeriodStartWhenAmendedMidPeriod() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "10", "USD", MARCH_START, null)));
        lw.contract(contract(ACCOUNT, 2, "2026-03-10T00:00:00Z",
                rate("api", "10", "USD", MARCH_START, "2026-03-15T00:00:00Z"),
                rate("api", "8", "USD", "2026-03-15T00:00:00Z", null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "120", "2026-03-20T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "40", "10", "400.00"));
        lw.invoice(line(ACCOUNT, "inv-3", "L2", "api", "2026-03-15T00:00:00Z", APRIL_START, "60", "8", "480.00", "USD",
                "2026-04-01T06:00:00Z"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        // 20 units unbilled, priced at 10 (the rate in force on 1 March), from the version held at the close
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("200.00");
            assertThat(a.getEvidence()).containsEntry("unit_rate", "10").containsEntry("contract_version", "2");
        });
    }

    @Test
    void shouldNotAlertWhenAmendedMidPeriodAndBilledCorrectly() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "10", "USD", MARCH_START, null)));
        lw.contract(contract(ACCOUNT, 2, "2026-03-10T00:00:00Z",
                rate("api", "10", "USD", MARCH_START, "2026-03-15T00:00:00Z"),
                rate("api", "8", "USD", "2026-03-15T00:00:00Z", null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "40", "2026-03-12T00:00:00Z"));
        lw.usage(usage(ACCOUNT, "u2", "api", "60", "2026-03-20T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "40", "10", "400.00"));
        lw.invoice(line(ACCOUNT, "inv-3", "L2", "api", "2026-03-15T00:00:00Z", APRIL_START, "60", "8", "480.00", "USD",
                "2026-04-01T06:00:00Z"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldPriceUnbilledUsageWithVolumeTiers() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START,
                tiered("api", "1.00", "USD", MARCH_START, tier("1000", "0.80"), tier("5000", "0.50"))));
        lw.usage(usage(ACCOUNT, "u1", "api", "1200", "2026-03-10T00:00:00Z"));
        lw.invoice(marchLine("L1", "api", "900", "1.00", "900.00"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        // price(1200) = 1200 x 0.80 = 960.00; price(900) = 900 x 1.00 = 900.00
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getAmount()).isEqualByComparingTo("60.00");
            assertThat(a.getEvidence()).containsEntry("expected_unit_rate", "0.8");
        });
    }

    @Test
    void shouldRaiseMissingInvoiceForTheSumOfMeteredProvisionedAndCommittedServices() {
        lw.provisioning(provisioned(ACCOUNT, "p1", "seats", "4", "2026-02-20T00:00:00Z"));
        lw.contract(contract(ACCOUNT, 1, MARCH_START,
                rate("api", "0.10", "USD", MARCH_START, null),
                rate("seats", "25", "USD", MARCH_START, null),
                committed(rate("support", "99", "USD", MARCH_START, null), "1")));
        lw.usage(usage(ACCOUNT, "u1", "api", "1500", "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        // api 1500 x 0.10 = 150.00, seats 4 x 25 = 100.00, support 1 x 99 = 99.00
        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("MISSING_INVOICE");
            assertThat(a.getEvidenceKey()).isEqualTo("2026-03");
            assertThat(a.getAmount()).isEqualByComparingTo("349.00");
            assertThat(a.getEventTime()).isEqualTo(at(MARCH_START));
            assertThat(a.getDetectedAt()).isEqualTo(at(MARCH_CLOSE));
            assertThat(a.getEvidence()).containsEntry("api.basis", "metered").containsEntry("seats.basis", "provisioned")
                    .containsEntry("support.basis", "committed");
        });
    }

    @Test
    void shouldRaiseMissingInvoiceForAContractedAccountWithNoActivityAtAll() {
        lw.contract(contract(ACCOUNT, 1, "2026-02-20T00:00:00Z",
                committed(rate("support", "99", "USD", MARCH_START, null), "1")));

        lw.advanceStreamTimeTo(at("2026-05-06T00:00:00Z"));

        assertThat(lw.alerts()).extracting(Alert::getType, Alert::getEvidenceKey).containsExactly(
                org.assertj.core.groups.Tuple.tuple("MISSING_INVOICE", "2026-03"),
                org.assertj.core.groups.Tuple.tuple("MISSING_INVOICE", "2026-04"));
    }

    @Test
    void shouldNotRaiseMissingInvoiceWhenTheContractEndedBeforeThePeriod() {
        lw.contract(contract(ACCOUNT, 1, "2026-02-01T00:00:00Z",
                committed(rate("support", "99", "USD", "2026-02-01T00:00:00Z", MARCH_START), "1")));
        lw.invoice(line(ACCOUNT, "inv-2", "L1", "support", "2026-02-01T00:00:00Z", MARCH_START, "1", "99", "99.00",
                "USD", "2026-03-01T06:00:00Z"));
        lw.usage(usage(ACCOUNT, "u1", "support", "3", "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at("2026-05-06T00:00:00Z"));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldNotRaiseUnbilledUsageWhenTheWholeInvoiceIsMissing() {
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "2", "USD", MARCH_START, null)));
        lw.usage(usage(ACCOUNT, "u1", "api", "100", "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).extracting(Alert::getType).containsExactly("MISSING_INVOICE");
    }

    @Test
    void shouldFlagAnUpgradeEffectiveOnTheFirstThatWasNotBilled() {
        seatsUpgradedOn(MARCH_START);
        lw.invoice(marchLine("L1", "seats", "10", "25", "250.00"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("PROVISIONING_MISMATCH");
            assertThat(a.getEvidenceKey()).isEqualTo("seats/2026-03");
            assertThat(a.getAmount()).isEqualByComparingTo("125.00");
            assertThat(a.getEvidence()).containsEntry("provisioned_quantity", "15").containsEntry("billed_quantity", "10");
        });
    }

    @Test
    void shouldNotFlagAnUpgradeEffectiveOnTheFirstThatWasBilled() {
        seatsUpgradedOn(MARCH_START);
        lw.invoice(marchLine("L1", "seats", "15", "25", "375.00"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldCountAMidPeriodUpgradeFromTheNextPeriod() {
        seatsUpgradedOn("2026-03-15T00:00:00Z");
        lw.invoice(marchLine("L1", "seats", "10", "25", "250.00"));
        lw.advanceStreamTimeTo(at(MARCH_CLOSE));
        assertThat(lw.alerts()).isEmpty();

        lw.invoice(aprilLine("L1", "seats", "10", "25", "250.00"));
        lw.advanceStreamTimeTo(at("2026-05-06T00:00:00Z"));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("PROVISIONING_MISMATCH");
            assertThat(a.getEvidenceKey()).isEqualTo("seats/2026-04");
            assertThat(a.getAmount()).isEqualByComparingTo("125.00");
        });
    }

    @Test
    void shouldJudgeThePeriodAgainWhenAProvisioningChangeForItArrivesAfterItClosed() {
        seatsUpgradedOn(MARCH_START);
        lw.invoice(marchLine("L1", "seats", "15", "25", "375.00"));
        lw.advanceStreamTimeTo(at(MARCH_CLOSE));
        assertThat(lw.alerts()).isEmpty();

        lw.provisioning(provisioned(ACCOUNT, "p3", "seats", "20", MARCH_START));

        assertThat(lw.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo("PROVISIONING_MISMATCH");
            assertThat(a.getEvidenceKey()).isEqualTo("seats/2026-03");
            assertThat(a.getAmount()).isEqualByComparingTo("125.00");
        });
        assertThat(lw.deadLetters()).isEmpty();
    }

    @Test
    void shouldNotJudgeAnAccountWithoutContract() {
        lw.usage(usage(ACCOUNT, "u1", "api", "100", "2026-03-10T00:00:00Z"));

        lw.advanceStreamTimeTo(at(MARCH_CLOSE));

        assertThat(lw.alerts()).isEmpty();
    }

    @Test
    void shouldEmitTheSameAlertBytesWhateverWhenThePeriodIsClosed() {
        Consumer<TopologyHarness> march = h -> {
            h.contract(contract(ACCOUNT, 1, MARCH_START, rate("api", "2", "USD", MARCH_START, null),
                    rate("storage", "0.5", "USD", MARCH_START, null)));
            h.usage(usage(ACCOUNT, "u1", "api", "150", "2026-03-10T00:00:00Z"));
            h.usage(usage(ACCOUNT, "u2", "storage", "30", "2026-03-11T00:00:00Z"));
            h.invoice(marchLine("L1", "api", "100", "2", "200.00"));
        };
        march.accept(lw);
        lw.advanceStreamTimeTo(at(MARCH_CLOSE));
        List<TestRecord<String, byte[]>> closedOnTime = lw.alertRecords();

        try (TopologyHarness replay = new TopologyHarness()) {
            march.accept(replay);
            replay.advanceStreamTimeTo(at("2026-04-20T13:37:00Z"));
            List<TestRecord<String, byte[]>> closedLater = replay.alertRecords();

            assertThat(closedOnTime).hasSize(2);
            assertThat(closedLater).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(closedLater.get(i).value()).isEqualTo(closedOnTime.get(i).value());
                assertThat(closedLater.get(i).timestamp()).isEqualTo(at(MARCH_CLOSE).toEpochMilli());
            }
        }
    }

    /** seats priced at 25: 10 seats from 1 Feb, 15 from {@code upgradeAt}; contract from 1 March. */
    private void seatsUpgradedOn(String upgradeAt) {
        lw.provisioning(provisioned(ACCOUNT, "p1", "seats", "10", "2026-02-01T00:00:00Z"));
        lw.contract(contract(ACCOUNT, 1, MARCH_START, rate("seats", "25", "USD", MARCH_START, null)));
        lw.provisioning(provisioned(ACCOUNT, "p2", "seats", "15", upgradeAt));
    }
}
