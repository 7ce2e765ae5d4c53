package io.leakwatch.backtest;

import static io.leakwatch.testing.Events.at;
import static io.leakwatch.testing.Events.contract;
import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertIds;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.FeedbackAction;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backtest reads alert-feedback.jsonl like the other inputs, and its scorecard counts people's decisions. */
class BacktestFeedbackTest {
    private static final BundledSchemaResolver SCHEMAS = new BundledSchemaResolver();
    @TempDir
    Path dir;

    private static <T extends SpecificRecord> void write(Path file, EventType<T> type, List<T> records) throws Exception {
        List<String> lines = new ArrayList<>();
        for (T r : records) {
            lines.add(new String(WireFormat.JSON.codec(type, "files", SCHEMAS).encode(r), StandardCharsets.UTF_8));
        }
        Files.write(file, lines);
    }

    /** Two accounts billed below their contract in March 2026; Dana marks acct-1's a false positive in December. */
    private Path world() throws Exception {
        Path world = Files.createDirectories(dir.resolve("world"));
        write(world.resolve("contracts.jsonl"), EventType.CONTRACT, List.of(
                contract("acct-1", 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null)),
                contract("acct-2", 1, "2026-01-01T00:00:00Z", rate("seats", "10", "USD", "2026-01-01T00:00:00Z", null))));
        write(world.resolve("invoices.jsonl"), EventType.INVOICE_LINE, List.of(
                line("acct-1", "inv-1", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2", "9",
                        "18.00", "USD", "2026-04-01T06:00:00Z"),
                line("acct-2", "inv-2", "L1", "seats", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2", "9",
                        "18.00", "USD", "2026-04-01T07:00:00Z")));
        write(world.resolve("alert-feedback.jsonl"), EventType.ALERT_FEEDBACK, List.of(AlertFeedback.newBuilder()
                .setFeedbackId("f-1").setAlertId(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1"))
                .setAccountId("acct-1").setAction(FeedbackAction.FALSE_POSITIVE).setComment("side letter")
                .setBy("Dana").setGivenAt(at("2026-12-07T10:00:00Z")).build()));
        return world;
    }

    private static Backtest backtest() {
        return new Backtest(TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, SCHEMAS));
    }

    @Test
    void shouldApplyTheFeedbackFileToTheAlertsThatStand() throws Exception {
        BacktestResult result = backtest().run(world(), Progress.silent());

        List<Alert> mismatches = result.alerts().stream().filter(a -> a.getType().equals("RATE_MISMATCH")).toList();
        assertThat(mismatches).extracting(Alert::getAccountId, Alert::getStatus).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("acct-1", AlertStatus.FALSE_POSITIVE),
                org.assertj.core.groups.Tuple.tuple("acct-2", AlertStatus.OPEN));
        assertThat(mismatches.stream().filter(a -> a.getAccountId().equals("acct-1")).findFirst().orElseThrow()
                .getStatusReason()).isEqualTo("Marked a false positive by Dana: side letter.");
        assertThat(result.deadLetters()).isEmpty();
    }

    @Test
    void shouldCountPeoplesDecisionsPerTypeBesidePrecisionAndRecall() throws Exception {
        BacktestResult result = backtest().run(world(), Progress.silent());

        Scorecard score = Scorecard.score(result.alerts(), List.of()).withLifecycle(result.log());

        assertThat(score.toJson()).contains("\"feedback\" : {\n    \"RATE_MISMATCH\" : {\n      \"acknowledged\" : 0,\n"
                + "      \"resolved\" : 0,\n      \"false_positive\" : 1\n    }\n  }");
        assertThat(score.toTable()).containsPattern("RATE_MISMATCH +0 +0 +1");
        assertThat(score.perType().get("RATE_MISMATCH").fp()).as("the rules' findings are still scored").isEqualTo(2);
    }

    @Test
    void shouldWriteByteIdenticalAlertsWhenTheFeedbackIsReplayedAgain() throws Exception {
        Path world = world();
        Path first = BacktestFiles.writeAlerts(backtest().run(world, Progress.silent()).alerts(), dir.resolve("run1"));
        Path second = BacktestFiles.writeAlerts(backtest().run(world, Progress.silent()).alerts(), dir.resolve("run2"));

        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
    }
}
