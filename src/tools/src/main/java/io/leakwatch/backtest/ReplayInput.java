package io.leakwatch.backtest;

import java.util.List;

/**
 * An input directory read for a replay: its records in replay order, and which inputs it has.
 *
 * @param records  every line of the input files, in the order they are replayed ({@link JsonLinesInput})
 * @param coverage the inputs present and missing, and so which detectors can judge
 */
public record ReplayInput(List<ReplayRecord> records, InputCoverage coverage) {
}
