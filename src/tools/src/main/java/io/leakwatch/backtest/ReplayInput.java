package io.leakwatch.backtest;

import java.util.List;

/**
 * A history read for a replay: its records in replay order, which inputs it has, and the range it was read for.
 *
 * @param records  the records, in the order they are replayed ({@link ReplayRecord#ORDER}), streamed at each pass
 * @param coverage the inputs present and missing, and so which detectors can judge
 * @param range    the event times the records were read for; the replay reports only findings of the range
 */
public record ReplayInput(ReplayRecords records, InputCoverage coverage, ReplayRange range) {
    /** Records held in memory. */
    public ReplayInput(List<ReplayRecord> records, InputCoverage coverage, ReplayRange range) {
        this(ReplayRecords.of(records), coverage, range);
    }

    /** A whole history held in memory. */
    public ReplayInput(List<ReplayRecord> records, InputCoverage coverage) {
        this(records, coverage, ReplayRange.ALL);
    }
}
