package io.leakwatch.features;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.payment;
import static io.leakwatch.testing.Events.provisioned;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Contract;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.metrics.TimeSpent;
import io.leakwatch.serde.EventSerde;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.TopologyHarness;
import io.leakwatch.topology.RiskSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scoring ticks of {@link AccountFeatureProcessor}, on a topology of just the processor. */
class AccountFeatureProcessorTest {
    private TopologyTestDriver driver;
    private TestInputTopic<String, Contract> contracts;
    private TestInputTopic<String, Payment> payments;
    private TestInputTopic<String, ProvisioningChange> provisioning;
    private TestOutputTopic<String, String> batches;

    /** Batches as "asOf periodEnd account,account,...". */
    private static final Serializer<FeatureBatch> BATCH_TEXT = (topic, b) -> (b.asOf() + " " + b.periodEnd() + " "
            + b.snapshots().stream().map(FeatureSnapshot::accountId).collect(Collectors.joining(","))).getBytes();

    private void start(boolean scoring, int batchSize, boolean periodEnd) throws Exception {
        start(scoring, Duration.ofDays(7), batchSize, periodEnd);
    }

    private void start(boolean scoring, Duration routineDelay, int batchSize, boolean periodEnd) throws Exception {
        Topology topology = new Topology();
        EventSerde<Contract> contractSerde = new EventSerde<>(WireFormat.JSON.codec(EventType.CONTRACT, TopologyHarness.SCHEMAS));
        EventSerde<Payment> paymentSerde = new EventSerde<>(WireFormat.JSON.codec(EventType.PAYMENT, TopologyHarness.SCHEMAS));
        topology.addSource("contracts", new StringDeserializer(), contractSerde.deserializer(), "contracts");
        EventSerde<ProvisioningChange> provisioningSerde =
                new EventSerde<>(WireFormat.JSON.codec(EventType.PROVISIONING, TopologyHarness.SCHEMAS));
        topology.addSource("payments", new StringDeserializer(), paymentSerde.deserializer(), "payments");
        topology.addSource("provisioning", new StringDeserializer(), provisioningSerde.deserializer(), "provisioning");
        topology.addProcessor("features", AccountFeatureProcessor.supplier(scoring, Duration.ofDays(1), routineDelay, batchSize,
                periodEnd), "contracts", "payments", "provisioning");
        topology.addSink("batches", "batches", new StringSerializer(), BATCH_TEXT, "features");
        Path state = Files.createTempDirectory("features-ttd");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "features-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(topology, props);
        contracts = driver.createInputTopic("contracts", new StringSerializer(), contractSerde.serializer());
        payments = driver.createInputTopic("payments", new StringSerializer(), paymentSerde.serializer());
        provisioning = driver.createInputTopic("provisioning", new StringSerializer(), provisioningSerde.serializer());
        batches = driver.createOutputTopic("batches", new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void contractOf(String account) {
        Contract c = contract(account, 1, "2024-01-01T10:00:00Z", rate("seats", "10", "USD", "2024-01-01T00:00:00Z", null));
        contracts.pipeInput(account, c, c.getSignedAt());
    }

    private void failedPayment(String account, String at) {
        payments.pipeInput(account, payment(account, "p-" + account + at, "i1", "10", "USD", PaymentStatus.FAILED, at),
                at(at));
    }

    private void paidPayment(String account, String at) {
        payments.pipeInput(account, payment(account, "p-" + account + at, "i1", "10", "USD", PaymentStatus.SUCCEEDED, at),
                at(at));
    }

    private void seats(String account, String level, String at) {
        provisioning.pipeInput(account, provisioned(account, "prov-" + account + at, "seats", level, at), at(at));
    }

    /** Moves stream time with a tombstone (ignored by the processor). */
    private void clock(String at) {
        contracts.pipeInput("clock", null, at(at));
    }

    @Test
    void shouldScoreARoutineChangeOnlyOnceTheRoutineDelayHasPassed() throws Exception {
        start(true, 10, false);
        contractOf("a");
        batches.readValuesToList();
        // Given a payment that went through (routine) on 01-02
        paidPayment("a", "2024-01-02T10:00:00Z");
        // When the daily ticks (at midnight UTC) pass until just before the delay ends, nothing is scored
        clock("2024-01-09T09:59:59Z");
        assertThat(batches.readValuesToList()).isEmpty();
        // Then the first tick after the delay scores it, once
        clock("2024-01-10T00:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-01-10T00:00:00Z false a");
        clock("2024-01-12T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
    }

    @Test
    void shouldScoreARoutineChangeAtThePeriodEndAtTheLatest() throws Exception {
        start(true, 10, false);
        contractOf("a");
        batches.readValuesToList();
        // Given a payment that went through (routine) on 01-28: its P7D delay would end on 02-04
        paidPayment("a", "2024-01-28T10:00:00Z");
        clock("2024-01-31T23:59:59Z");
        assertThat(batches.readValuesToList()).isEmpty();
        // Then it is scored at the period end, where the models were trained
        clock("2024-02-01T00:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-02-01T00:00:00Z false a");
        clock("2024-02-05T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
    }

    @Test
    void shouldScoreEveryRoutineChangeOfAMonthTogetherAtItsEndByDefault() throws Exception {
        start(true, RiskSettings.DEFAULT_ROUTINE_DELAY, 10, false);
        contractOf("a");
        contractOf("b");
        clock("2024-01-02T00:00:00Z");     // the contracts are prompt changes: scored at the ticks of 01-01 and 01-02
        assertThat(batches.readValuesToList()).containsExactly("2024-01-01T10:00:00Z false a", "2024-01-02T00:00:00Z false b");
        // routine changes early and late in January, including one at the very end of the month
        paidPayment("b", "2024-01-02T10:00:00Z");
        paidPayment("a", "2024-01-20T10:00:00Z");
        paidPayment("b", "2024-01-31T23:59:59.999Z");
        clock("2024-01-31T23:59:59.999Z");
        assertThat(batches.readValuesToList()).isEmpty();
        clock("2024-02-01T00:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-02-01T00:00:00Z false a,b");
        // a change at the boundary itself belongs to February: it waits for March
        paidPayment("a", "2024-02-01T00:00:00Z");
        clock("2024-02-29T23:59:59Z");
        assertThat(batches.readValuesToList()).isEmpty();
        clock("2024-03-01T00:00:00Z");
        // b had no change in February and is scored too: every account under contract is, at each period end
        assertThat(batches.readValuesToList()).containsExactly("2024-03-01T00:00:00Z false a,b");
    }

    @Test
    void shouldScoreEveryAccountUnderContractAtEachPeriodEndEvenWhenItWentSilent() throws Exception {
        start(true, RiskSettings.DEFAULT_ROUTINE_DELAY, 10, false);
        contractOf("a");
        contractOf("b");
        failedPayment("c", "2024-01-03T10:00:00Z");    // no contract: never scored
        clock("2024-01-31T10:00:00Z");
        batches.readValuesToList();
        // Given no record for a or b after January: their windows slide anyway, so each month brings a new score
        clock("2024-02-01T00:00:00Z");
        clock("2024-03-01T00:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-02-01T00:00:00Z false a,b",
                "2024-03-01T00:00:00Z false a,b");
        // and stream time jumping over two period ends scans once, at the tick after both
        clock("2024-05-03T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-05-03T10:00:00Z false a,b");
        clock("2024-05-31T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
    }

    @Test
    void shouldKeepTheNextPeriodEndScanInTheClockStore() throws Exception {
        start(true, RiskSettings.DEFAULT_ROUTINE_DELAY, 10, false);
        KeyValueStore<String, Long> clockStore = driver.getKeyValueStore(AccountFeatureProcessor.CLOCK_STORE);
        clock("2024-01-01T00:00:00Z");      // a tombstone is no record of an account: the schedule starts at the first one
        assertThat(clockStore.get(AccountFeatureProcessor.NEXT_SCAN)).isNull();
        contractOf("a");
        assertThat(clockStore.get(AccountFeatureProcessor.NEXT_SCAN)).isEqualTo(at("2024-02-01T00:00:00Z").toEpochMilli());
        clock("2024-02-01T00:00:00Z");
        assertThat(clockStore.get(AccountFeatureProcessor.NEXT_SCAN)).isEqualTo(at("2024-03-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void shouldTakeEveryChangeTheScanSawAsScored() throws Exception {
        start(true, 10, false);
        contractOf("a");
        clock("2024-01-31T10:00:00Z");
        batches.readValuesToList();
        // Given a routine change (P7D: due on 02-08) that passes the first tick of February and is applied before it
        paidPayment("a", "2024-02-01T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-02-01T10:00:00Z false a");
        // Then the period-end scan, which saw it, leaves nothing due
        clock("2024-02-09T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
    }

    @Test
    void shouldScoreAPendingRoutineChangeAtTheNextTickWhenAPromptOneFollows() throws Exception {
        start(true, 10, false);
        contractOf("a");
        batches.readValuesToList();
        paidPayment("a", "2024-01-02T10:00:00Z");
        clock("2024-01-04T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
        // a failed payment can move the risk at once: the account is scored at the next tick, with both changes
        failedPayment("a", "2024-01-04T12:00:00Z");
        clock("2024-01-05T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-01-05T10:00:00Z false a");
        clock("2024-01-12T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
    }

    @Test
    void shouldScoreADowngradeAtTheNextTickAndAFirstLevelOrARaiseAtThePeriodEnd() throws Exception {
        start(true, RiskSettings.DEFAULT_ROUTINE_DELAY, 10, false);
        contractOf("a");
        batches.readValuesToList();
        // Given the account's first seat level and then a raise: utilisation moves a step, both are routine
        seats("a", "10", "2024-01-03T10:00:00Z");
        seats("a", "12", "2024-01-05T10:00:00Z");
        clock("2024-01-08T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
        // When the seats are cut below the level in force, the account is scored at the next tick (the change itself
        // passes the tick due at 01-09 00:00 and is applied before it)
        seats("a", "8", "2024-01-10T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-01-10T10:00:00Z false a");
        // A level equal to the one in force (a replay) is not a downgrade; the raise above waits for the period end
        seats("a", "8", "2024-01-12T10:00:00Z");
        clock("2024-01-31T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
        clock("2024-02-01T00:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-02-01T00:00:00Z false a");
    }

    @Test
    void shouldJudgeALateProvisioningChangeAgainstTheLevelInForceAtItsOwnTime() throws Exception {
        start(true, RiskSettings.DEFAULT_ROUTINE_DELAY, 10, false);
        contractOf("a");
        seats("a", "10", "2024-01-03T10:00:00Z");
        seats("a", "20", "2024-01-20T10:00:00Z");
        clock("2024-01-21T10:00:00Z");
        batches.readValuesToList();
        // a change effective on 01-10 arrives late: 15 is below today's 20 but above the 10 in force on 01-10, a raise
        seats("a", "15", "2024-01-10T10:00:00Z");
        clock("2024-01-22T10:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
        // and 5 on 01-15 is below the 15 now in force then: a downgrade
        seats("a", "5", "2024-01-15T10:00:00Z");
        clock("2024-01-23T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-01-23T10:00:00Z false a");
    }

    @Test
    void shouldScoreEveryChangeAtTheNextTickWithoutARoutineDelay() throws Exception {
        start(true, Duration.ZERO, 10, false);
        contractOf("a");
        batches.readValuesToList();
        paidPayment("a", "2024-01-02T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-01-02T10:00:00Z false a");
    }

    @Test
    void shouldForwardTheChangedAccountsInAccountOrderOnceADay() throws Exception {
        start(true, 10, false);
        contractOf("b");     // the first record starts the schedule: a tick at its time
        assertThat(batches.readValuesToList()).containsExactly("2024-01-01T10:00:00Z false b");
        contractOf("d");
        contractOf("a");
        assertThat(batches.readValuesToList()).isEmpty();
        failedPayment("c", "2024-01-01T23:59:59.999Z");
        assertThat(batches.readValuesToList()).isEmpty();
        failedPayment("b", "2024-01-02T10:00:00Z");   // stream time passes the next tick (ticks fall on multiples of the interval)
        // c changed too, but has no contract: nothing to score (no currency, no revenue at risk)
        assertThat(batches.readValuesToList()).containsExactly("2024-01-02T10:00:00Z false a,b,d");
    }

    @Test
    void shouldMeasureTheTimeItsRecordsTicksAndWriteBacksTake() throws Exception {
        start(true, 10, false);
        contractOf("a");                                  // a record, and the first tick at its time
        failedPayment("a", "2024-01-02T10:00:00Z");       // a record, and the next day's tick, which scores a
        assertThat(batches.readValuesToList()).containsExactly("2024-01-01T10:00:00Z false a", "2024-01-02T10:00:00Z false a");

        assertThat(TimeSpent.totalCount(driver.metrics(), TimeSpent.FEATURES_UPDATE, Map.of())).isEqualTo(2.0);
        assertThat(TimeSpent.totalNanos(driver.metrics(), TimeSpent.FEATURES_UPDATE, Map.of())).isPositive();
        assertThat(TimeSpent.totalCount(driver.metrics(), TimeSpent.SCORING_TICK, Map.of())).isEqualTo(2.0);
        assertThat(TimeSpent.totalNanos(driver.metrics(), TimeSpent.SCORING_TICK, Map.of())).isPositive();
        // the driver commits after each record: the changed account is written back each time
        Map<String, String> features = Map.of("store", AccountFeatureProcessor.STORE);
        assertThat(TimeSpent.totalCount(driver.metrics(), TimeSpent.WRITE_BACK, features)).isGreaterThanOrEqualTo(2.0);
        assertThat(TimeSpent.totalNanos(driver.metrics(), TimeSpent.WRITE_BACK, features)).isPositive();
        assertThat(driver.metrics().keySet()).extracting(MetricName::tags)
                .contains(Map.of("task-id", "0_0", "store", AccountFeatureProcessor.STORE));
    }

    @Test
    void shouldForwardNoBatchWhenNothingChanged() throws Exception {
        start(true, 10, false);
        contractOf("a");
        failedPayment("a", "2024-01-02T10:00:00Z");
        assertThat(batches.readValuesToList()).hasSize(2);
        // the only record of the next day is late (before stream time): it changes a, so a is in the next tick
        failedPayment("a", "2024-01-02T09:00:00Z");
        failedPayment("b", "2024-01-03T10:00:00Z");
        // b (a payment, no contract) is not scored
        assertThat(batches.readValuesToList()).containsExactly("2024-01-03T10:00:00Z false a");
        // nothing changes between the ticks of 01-04 and 01-05: no batch
        clock("2024-01-05T11:00:00Z");
        assertThat(batches.readValuesToList()).isEmpty();
    }

    @Test
    void shouldCapEachBatchAtTheBatchSize() throws Exception {
        start(true, 2, false);
        for (String account : List.of("e", "d", "c", "b", "a", "f")) {
            contractOf(account);
        }
        batches.readValuesToList();   // the first tick, with e only
        failedPayment("a", "2024-01-02T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-01-02T10:00:00Z false a,b",
                "2024-01-02T10:00:00Z false c,d", "2024-01-02T10:00:00Z false f");
    }

    @Test
    void shouldForwardNoScoringBatchWithoutAScorer() throws Exception {
        start(false, 10, true);
        contractOf("a");
        failedPayment("a", "2024-01-02T10:00:00Z");
        failedPayment("a", "2024-02-05T10:00:00Z");
        assertThat(batches.readValuesToList()).containsExactly("2024-02-01T00:00:00Z true a");
    }
}
