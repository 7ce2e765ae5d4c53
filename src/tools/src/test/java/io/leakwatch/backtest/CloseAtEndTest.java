package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.DetectionSettings;
import io.leakwatch.topology.TopologySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --close-at-end}: a history cut on 2024-06-03, after May's invoices were issued (06-01) but before May's close
 * (06-06, close grace 5 days). Without it May is left open; with it May is judged as the whole history judges it, and
 * June, which had not ended, stays open.
 */
class CloseAtEndTest {
    private static final Instant CUT = Instant.parse("2024-06-03T00:00:00Z");
    private static final BillingPeriod MAY = BillingPeriod.parse("2024-05");
    private static final BillingPeriod JUNE = BillingPeriod.parse("2024-06");
    /** The types judged at a period's close. */
    private static final Set<String> PERIOD_TYPES = Set.of("UNBILLED_USAGE", "MISSING_INVOICE", "PROVISIONING_MISMATCH",
            "UNATTRIBUTED_REVENUE", "REVENUE_DROP", "REVENUE_SPIKE", "REVENUE_EROSION");

    @TempDir
    static Path dir;
    static BacktestResult whole;
    static BacktestResult cut;
    static BacktestResult closed;

    @BeforeAll
    static void replay() throws Exception {
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(60, 8, 11)), dir.resolve("world"));
        whole = run(ReplayRange.ALL, false);
        cut = run(new ReplayRange(null, CUT), false);
        closed = run(new ReplayRange(null, CUT), true);
    }

    private static BacktestResult run(ReplayRange range, boolean closeAtEnd) throws Exception {
        Backtest backtest = new Backtest(TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver()).withCloseAtEnd(closeAtEnd));
        return backtest.run(backtest.read(new JsonLinesSource(dir.resolve("world"), range)), Progress.silent());
    }

    private static Set<String> periodAlerts(BacktestResult result, BillingPeriod period) {
        return result.alerts().stream()
                .filter(a -> PERIOD_TYPES.contains(a.getType()))
                .filter(a -> BillingPeriod.of(a.getEventTime()).equals(period))
                .map(Alert::getAlertId)
                .collect(Collectors.toSet());
    }

    @Test
    void shouldLeaveTheLastEndedMonthOpenWithoutCloseAtEnd() {
        assertThat(periodAlerts(whole, MAY)).isNotEmpty();
        assertThat(periodAlerts(cut, MAY)).isEmpty();
        assertThat(OpenAtEnd.of(cut.lastRecord(), DetectionSettings.defaults()).firstOpenPeriod()).isEqualTo(MAY);
    }

    @Test
    void shouldJudgeTheLastEndedMonthAsTheWholeHistoryDoesWithCloseAtEnd() {
        assertThat(periodAlerts(closed, MAY)).isEqualTo(periodAlerts(whole, MAY));
        assertThat(OpenAtEnd.closed(closed.lastRecord(), DetectionSettings.defaults()).firstOpenPeriod()).isEqualTo(JUNE);
    }

    @Test
    void shouldNotJudgeTheMonthThatHadNotEndedWithCloseAtEnd() {
        assertThat(closed.lastRecord()).isBefore(JUNE.end());
        assertThat(periodAlerts(whole, JUNE)).isNotEmpty();
        assertThat(periodAlerts(closed, JUNE)).isEmpty();
    }

    @Test
    void shouldJudgeOnlyTheDeadlinesDueByTheLastEventWithCloseAtEnd() {
        Instant last = closed.lastRecord();
        List<Alert> late = closed.alerts().stream()
                .filter(a -> a.getType().equals("UNPAID_INVOICE") || a.getType().equals("UNDERPAYMENT"))
                .filter(a -> a.getDetectedAt().isAfter(last))
                .toList();
        assertThat(closed.alerts().size()).isGreaterThan(cut.alerts().size());
        // judged at due + grace, after the last event, for invoices due by the last event
        assertThat(late).allSatisfy(a -> assertThat(a.getDetectedAt()).isBeforeOrEqualTo(
                last.plus(DetectionSettings.defaults().paymentGrace())));
    }

    @Test
    void shouldWriteByteIdenticalAlertsOnEveryClosedReplay() throws Exception {
        Path first = BacktestFiles.writeAlerts(closed.alerts(), dir.resolve("run1"));
        Path second = BacktestFiles.writeAlerts(run(new ReplayRange(null, CUT), true).alerts(), dir.resolve("run2"));

        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
    }
}
