package io.leakwatch.backtest;

import io.leakwatch.events.Alert;
import java.util.List;

/**
 * What a replay produced.
 *
 * @param alerts      in event-time order (then detection time, then alert id)
 * @param deadLetters in the order the topology refused them
 * @param replayed    how many input records were replayed
 */
public record BacktestResult(List<Alert> alerts, List<DeadLetter> deadLetters, long replayed) {
}
