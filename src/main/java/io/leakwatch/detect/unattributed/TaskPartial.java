package io.leakwatch.detect.unattributed;

import java.util.List;

/**
 * What one task sends to the summary when its stream time closes more periods: its totals of every period up to
 * and including {@code closedThrough} (periods it had no lines in are simply absent), and the promise that it will
 * send nothing more for those periods.
 *
 * @param partition     the input partition of the sending task
 * @param closedThrough {@code yyyy-MM}: the latest period this task has closed
 * @param totals        the task's totals per period and currency, for periods &lt;= closedThrough
 */
public record TaskPartial(int partition, String closedThrough, List<PeriodTotals> totals) {
}
