package io.leakwatch.detect.unattributed;

import java.util.List;

/**
 * What one task sends to the summary: changes to its accounts' totals of closed periods (the full totals when a
 * period closes, the difference when late data changes them afterwards) and, when its stream time has closed more
 * periods, its watermark: every period up to {@code closedThrough} is closed for all of its accounts.
 *
 * @param partition     the input partition of the sending task
 * @param closedThrough {@code yyyy-MM}: the latest period this task has closed; null when it did not move
 * @param totals        changes to totals per period and currency (amounts and counts may be negative)
 */
public record TaskPartial(int partition, String closedThrough, List<PeriodTotals> totals) {
}
