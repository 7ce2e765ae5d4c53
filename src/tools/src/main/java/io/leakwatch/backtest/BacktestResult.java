package io.leakwatch.backtest;

import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import java.time.Instant;
import java.util.List;

/**
 * What a replay produced.
 *
 * @param alerts      the alerts that stand at the end (latest revision of each alert id, status OPEN), in event-time
 *                    order (then detection time, then alert id)
 * @param alertLog    every alert record the topology wrote, in the order it wrote them (raised, revised, withdrawn)
 * @param deadLetters in the order the topology refused them
 * @param replayed    how many input records were replayed
 * @param lastRecord  the largest timestamp of a replayed record that was not dead-lettered (where the data ends); null when nothing was
 * @param featureSnapshots the period-end feature snapshots (JSON lines of the {@code account-features} topic) in
 *                    output order; empty unless the settings turn period-end snapshots on
 * @param risks       the published account risk scores ({@code account-risk} records) in output order; empty unless
 *                    risk scoring is on
 * @param coverage    which inputs the replay had: the alerts and the log hold none of a detector that was off
 */
public record BacktestResult(List<Alert> alerts, List<Alert> alertLog, List<DeadLetter> deadLetters, long replayed,
                             Instant lastRecord, List<String> featureSnapshots, List<AccountRisk> risks,
                             InputCoverage coverage) {

    /** The log read as a consumer of the alerts topic reads it. */
    public io.leakwatch.alerts.AlertLog log() {
        return io.leakwatch.alerts.AlertLog.of(alertLog);
    }
}
