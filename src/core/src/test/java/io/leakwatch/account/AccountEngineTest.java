package io.leakwatch.account;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.payment;
import static io.leakwatch.testing.Events.rate;
import static io.leakwatch.testing.Events.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.features.FeatureSnapshot;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.StubRiskScorer;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.TopologySettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * {@link AccountEngine} as plain Java: one account's events applied in position order, judgements made as the
 * account's history or stream time passes them. Explicit UTC instants; a stub scorer where risk is involved.
 */
class AccountEngineTest {
    static final String ACCOUNT = "acct-1";

    /** What a sink heard, in order. */
    private static final class Heard implements EngineSink {
        final List<String> lines = new ArrayList<>();
        final List<Alert> raised = new ArrayList<>();
        final List<String> withdrawn = new ArrayList<>();
        final List<PeriodTotals> totals = new ArrayList<>();
        final List<AccountRisk> published = new ArrayList<>();
        final List<FeatureSnapshot> snapshots = new ArrayList<>();
        final List<Long> checkpoints = new ArrayList<>();

        @Override
        public void raised(String unit, Alert alert) {
            raised.add(alert);
            lines.add("raised " + alert.getType() + " " + alert.getEvidenceKey() + " " + alert.getAmount().stripTrailingZeros().toPlainString());
        }

        @Override
        public void withdrawn(String unit, String alertId, long judgedAt, String now) {
            withdrawn.add(now);
            lines.add("withdrawn " + unit + ": " + now);
        }

        @Override
        public void contribution(PeriodTotals delta) {
            totals.add(delta);
        }

        @Override
        public void published(AccountRisk risk) {
            published.add(risk);
        }

        @Override
        public void snapshot(FeatureSnapshot snapshot) {
            snapshots.add(snapshot);
        }

        @Override
        public void checkpoint(long boundary) {
            checkpoints.add(boundary);
        }
    }

    static AccountEngine engine(RiskSettings risk) {
        return new AccountEngine(LeakwatchTopology.engineSettings(TopologySettings.defaults(TopicCatalog.bundled(),
                WireFormat.JSON, new BundledSchemaResolver()).withRisk(risk)));
    }

    private static AccountEngine engine() {
        return engine(RiskSettings.off());
    }

    private static AccountEvent event(SpecificRecord value, String time) {
        return AccountEvent.of(at(time).toEpochMilli(), value);
    }

    /** A small but busy account: an amendment, usage beyond what was billed, a mis-rated line, a failed payment. */
    static List<AccountEvent> history() {
        return List.of(
                event(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null),
                        rate("api", "2", "USD", "2026-01-01T00:00:00Z", null)), "2026-01-01T00:00:00Z"),
                event(usage(ACCOUNT, "u1", "api", "120", "2026-01-10T00:00:00Z"), "2026-01-10T00:00:00Z"),
                event(usage(ACCOUNT, "u2", "api", "30", "2026-01-20T00:00:00Z"), "2026-01-20T00:00:00Z"),
                event(line(ACCOUNT, "inv-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "5", "10",
                        "50.00", "USD", "2026-02-01T06:00:00Z"), "2026-02-01T06:00:00Z"),
                event(line(ACCOUNT, "inv-1", "L2", "api", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "100", "2",
                        "200.00", "USD", "2026-02-01T06:00:00Z"), "2026-02-01T06:00:00Z"),
                event(contract(ACCOUNT, 2, "2026-02-10T00:00:00Z",
                        rate("seats", "10", "USD", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
                        rate("seats", "9", "USD", "2026-02-01T00:00:00Z", null),
                        rate("api", "2", "USD", "2026-01-01T00:00:00Z", null)), "2026-02-10T00:00:00Z"),
                event(payment(ACCOUNT, "p1", "inv-1", "250.00", "USD", PaymentStatus.FAILED, "2026-03-03T00:00:00Z"),
                        "2026-03-03T00:00:00Z"),
                event(line(ACCOUNT, "inv-2", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "5", "10",
                        "50.00", "USD", "2026-03-01T06:00:00Z"), "2026-03-01T06:00:00Z"));
    }

    private static List<AccountEvent> inPositionOrder(List<AccountEvent> events) {
        List<AccountEvent> sorted = new ArrayList<>(events);
        sorted.sort((a, b) -> a.position().compareTo(b.position()));
        return sorted;
    }

    static AccountState run(AccountEngine engine, List<AccountEvent> events, String until, EngineSink sink) {
        AccountState state = new AccountState(ACCOUNT);
        for (AccountEvent e : inPositionOrder(events)) {
            engine.apply(state, e, sink);
        }
        engine.advanceTo(state, at(until).toEpochMilli(), sink);
        return state;
    }

    @Test
    void shouldFindWhatEachRuleFindsInTheAccountsHistory() {
        Heard heard = new Heard();
        AccountState state = run(engine(), history(), "2026-05-01T00:00:00Z", heard);

        assertThat(heard.lines).containsExactly(
                "raised UNBILLED_USAGE api/2026-01 100",
                "raised RATE_MISMATCH inv-2/L1 -5",
                "raised FAILED_PAYMENT_NOT_RECOVERED inv-1 250",
                "raised UNPAID_INVOICE inv-2 50");
        assertThat(state.standing().size()).isEqualTo(4);
    }

    @Test
    void shouldReachTheSameStateWhateverOrderTheEventsOfOneInstantArriveIn() {
        AccountEngine engine = engine();
        List<AccountEvent> events = history();
        byte[] reference = AccountStateCodec.encode(run(engine, events, "2026-05-01T00:00:00Z", EngineSink.NONE));
        for (long seed = 1; seed <= 5; seed++) {
            List<AccountEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));

            byte[] state = AccountStateCodec.encode(run(engine, shuffled, "2026-05-01T00:00:00Z", EngineSink.NONE));

            assertThat(state).as("seed " + seed).isEqualTo(reference);
        }
    }

    @Test
    void shouldJudgeAPeriodOnceStreamTimeReachesItsCloseAndNotBefore() {
        AccountEngine engine = engine();
        Heard heard = new Heard();
        AccountState state = new AccountState(ACCOUNT);
        for (AccountEvent e : inPositionOrder(history()).subList(0, 5)) {
            engine.apply(state, e, heard);
        }

        engine.advanceTo(state, at("2026-02-05T23:59:59.999Z").toEpochMilli(), heard);
        assertThat(heard.raised).isEmpty();

        engine.advanceTo(state, at("2026-02-06T00:00:00Z").toEpochMilli(), heard);
        assertThat(heard.raised).extracting(Alert::getType).containsExactly("UNBILLED_USAGE");
        assertThat(heard.raised.get(0).getDetectedAt()).isEqualTo(at("2026-02-06T00:00:00Z"));
        assertThat(engine.nextJudgement(state).time()).isGreaterThan(at("2026-02-06T00:00:00Z").toEpochMilli());
    }

    @Test
    void shouldReportTheClosedPeriodsTotalsForTheUnattributedSummaryAtTheirClose() {
        Heard heard = new Heard();
        run(engine(), history(), "2026-03-06T00:00:00Z", heard);

        assertThat(heard.totals).extracting(PeriodTotals::key).containsExactly("2026-01/USD", "2026-02/USD");
        assertThat(heard.totals.get(0).billedAmount()).isEqualByComparingTo("250.00");
        assertThat(heard.totals.get(0).unattributedAmount()).isEqualByComparingTo("0");
    }

    @Test
    void shouldCountACreditAsNegativeRevenueInThePeriodTotalsAndTheRevenueHistory() {
        Heard heard = new Heard();
        AccountState state = run(engine(), List.of(
                event(contract(ACCOUNT, 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)),
                        "2026-01-01T00:00:00Z"),
                event(line(ACCOUNT, "inv-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "5", "10",
                        "50.00", "USD", "2026-02-01T06:00:00Z"), "2026-02-01T06:00:00Z"),
                event(line(ACCOUNT, "cn-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "-2", "10",
                        "-20.00", "USD", "2026-02-02T06:00:00Z"), "2026-02-02T06:00:00Z")),
                "2026-02-10T00:00:00Z", heard);

        assertThat(heard.raised).isEmpty();
        assertThat(heard.totals).singleElement().satisfies(t -> {
            assertThat(t.billedAmount()).isEqualByComparingTo("30.00");
            assertThat(t.billedLines()).isEqualTo(2);
        });
        assertThat(state.revenue.revenue(java.time.YearMonth.of(2026, 1))).isEqualByComparingTo("30.00");
    }

    @Test
    void shouldCountACreditWithoutAnAccountAgainstUnattributedRevenue() {
        Heard heard = new Heard();
        run(engine(), List.of(
                event(line(null, "inv-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "5", "10",
                        "50.00", "USD", "2026-02-01T06:00:00Z"), "2026-02-01T06:00:00Z"),
                event(line(null, "cn-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "-2", "10",
                        "-20.00", "USD", "2026-02-02T06:00:00Z"), "2026-02-02T06:00:00Z")),
                "2026-02-10T00:00:00Z", heard);

        assertThat(heard.totals).singleElement().satisfies(t -> {
            assertThat(t.unattributedAmount()).isEqualByComparingTo("30.00");
            assertThat(t.unattributedLines()).isEqualTo(2);
        });
    }

    @Test
    void shouldCountLinesOfAnAccountWithoutContractAsUnattributedAndCheckNothing() {
        Heard heard = new Heard();
        run(engine(), List.of(event(line(ACCOUNT, "inv-1", "L1", "seats", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                "5", "10", "50.00", "USD", "2026-02-01T06:00:00Z"), "2026-02-01T06:00:00Z")), "2026-03-01T00:00:00Z", heard);

        assertThat(heard.raised).isEmpty();
        assertThat(heard.totals).singleElement().satisfies(t -> {
            assertThat(t.unattributedAmount()).isEqualByComparingTo("50.00");
            assertThat(t.unattributedLines()).isEqualTo(1);
        });
    }

    @Test
    void shouldCheckpointOnceAtEachMonthBoundaryTheAccountCrosses() {
        Heard heard = new Heard();
        run(engine(), history(), "2026-05-01T00:00:00Z", heard);

        // the last event or judgement is the unpaid invoice of 2026-04-03: the account never reached 2026-05-01
        assertThat(heard.checkpoints).extracting(Instant::ofEpochMilli).containsExactly(
                at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"));
    }

    @Test
    void shouldRestoreAStateThatEncodesToTheSameBytes() {
        AccountState state = run(engine(), history(), "2026-03-02T00:00:00Z", EngineSink.NONE);
        byte[] bytes = AccountStateCodec.encode(state);

        AccountState back = AccountStateCodec.decode(bytes);

        assertThat(AccountStateCodec.encode(back)).isEqualTo(bytes);
        assertThat(back.position()).isEqualTo(state.position());
        assertThat(back.standing().entries()).isEqualTo(state.standing().entries());
    }

    @Test
    void shouldContinueFromARestoredStateExactlyAsFromTheLiveOne() {
        AccountEngine engine = engine();
        List<AccountEvent> events = inPositionOrder(history());
        Heard live = new Heard();
        AccountState state = new AccountState(ACCOUNT);
        Heard restoredHeard = new Heard();
        AccountState restored = null;
        for (int i = 0; i < events.size(); i++) {
            engine.apply(state, events.get(i), live);
            if (i == 4) {
                restored = AccountStateCodec.decode(AccountStateCodec.encode(state));
            } else if (restored != null) {
                engine.apply(restored, events.get(i), restoredHeard);
            }
        }
        engine.advanceTo(state, at("2026-05-01T00:00:00Z").toEpochMilli(), live);
        engine.advanceTo(restored, at("2026-05-01T00:00:00Z").toEpochMilli(), restoredHeard);

        assertThat(AccountStateCodec.encode(restored)).isEqualTo(AccountStateCodec.encode(state));
    }

    @Test
    void shouldScoreEveryAccountUnderContractAtEachMonthBoundaryAndAFailedPaymentAtTheNextMidnight() {
        StubRiskScorer scorer = new StubRiskScorer().set(ACCOUNT, 0.91, 0.05, 0.10, "3 failed payments in 90 days");
        AccountEngine engine = engine(RiskSettings.off().withScorer(scorer));
        Heard heard = new Heard();

        run(engine, history().subList(0, 7), "2026-03-04T00:00:01Z", heard);

        // at the next midnight: each contract version (2026-01-02, 2026-02-11), the unbilled usage found at
        // January's close (2026-02-07) and the failed payment of 2026-03-03 (2026-03-04); and each month boundary under
        // contract (2026-02-01, 2026-03-01): six scores. Usage and lines are routine and wait for the boundary.
        assertThat(scorer.calls()).isEqualTo(6);
        // the first score is published; the same probabilities again only once the monthly revenue moved (0 -> 250)
        assertThat(heard.published).extracting(r -> r.getScoredAt().toString())
                .containsExactly("2026-01-02T00:00:00Z", "2026-03-01T00:00:00Z");
        assertThat(heard.raised).filteredOn(a -> a.getType().equals("HIGH_LEAKAGE_RISK"))
                .singleElement().satisfies(a -> {
                    assertThat(a.getEvidenceKey()).isEqualTo("2026-01-02");
                    // nothing billed yet: no monthly revenue, so no money at risk, and the severity says so
                    assertThat(a.getAmount()).isEqualByComparingTo("0");
                    assertThat(a.getSeverity().name()).isEqualTo("INFO");
                });
    }

    @Test
    void shouldWithdrawARevenueDropWhenALineForTheMonthArrivesWithinTheRevisionGrace() {
        AccountEngine engine = engine(RiskSettings.off().withPeriodEndSnapshots(true));
        Heard heard = new Heard();
        AccountState state = new AccountState(ACCOUNT);
        engine.apply(state, event(contract(ACCOUNT, 1, "2025-12-01T00:00:00Z",
                rate("seats", "10", "USD", "2025-12-01T00:00:00Z", null)), "2025-12-01T00:00:00Z"), heard);
        String[] months = {"2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"};
        for (int i = 0; i < months.length; i++) {
            String start = months[i] + "-01T00:00:00Z";
            String end = (i + 1 < months.length ? months[i + 1] : "2026-08") + "-01T00:00:00Z";
            String seats = i < 6 ? "100" : "30";
            engine.apply(state, event(line(ACCOUNT, "inv-" + months[i], "L1", "seats", start, end, seats, "10",
                    i < 6 ? "1000.00" : "300.00", "USD", end.replace("T00:00", "T06:00")), end.replace("T00:00", "T06:00")), heard);
        }
        engine.advanceTo(state, at("2026-08-06T00:00:00Z").toEpochMilli(), heard);
        assertThat(heard.raised).filteredOn(a -> a.getType().startsWith("REVENUE")).extracting(Alert::getType)
                .containsExactly("REVENUE_DROP");

        // the rest of July's seats, billed on a second invoice a day after July closed (within the 7-day grace)
        engine.apply(state, event(line(ACCOUNT, "inv-2026-07b", "L1", "seats", "2026-07-01T00:00:00Z",
                "2026-08-01T00:00:00Z", "70", "10", "700.00", "USD", "2026-08-07T06:00:00Z"), "2026-08-07T06:00:00Z"), heard);

        assertThat(heard.withdrawn).singleElement().asString()
                .isEqualTo("2026-07 revenue of USD 1,000.00 is within the normal range of its baseline (USD 1,000.00)");
        assertThat(state.standing().entries().values()).noneMatch(e -> e.type().startsWith("REVENUE"));
    }

    @Test
    void shouldPublishAScoreOnlyWhenItOrTheMonthlyRevenueMoved() {
        StubRiskScorer scorer = new StubRiskScorer();
        AccountEngine engine = engine(RiskSettings.off().withScorer(scorer)
                .withPublishing(RiskPublishing.DEFAULTS));
        Heard heard = new Heard();

        run(engine, history().subList(0, 6), "2026-04-01T00:00:01Z", heard);

        // the same low probabilities every time: published the first time, then when the monthly revenue moved by
        // 10% or more (0 -> 250 at March's boundary, 250 -> 125 at April's), not for the scores in between
        assertThat(heard.published).extracting(r -> r.getScoredAt().toString())
                .containsExactly("2026-01-02T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
    }
}
