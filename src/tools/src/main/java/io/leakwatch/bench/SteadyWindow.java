package io.leakwatch.bench;

/**
 * Throughput and CPU per record over the middle of a run: from the first sample at which {@value #FROM} of the
 * input has been processed to the first at which {@value #TO} has.
 *
 * <p>Why: a run's whole interval carries two costs that do not depend on what the topology does per record. At the
 * start, tasks still open their stores and the JIT compiles new paths. At the end, input partitions run dry one by
 * one and each task waits {@code max.task.idle.ms} (1 s) for the empty one before it processes the others, a tail
 * of seconds in which few records move. On this machine the pass-through variant moved about 150k records/s in the
 * middle of a run and 40k/s over the whole of it: the fixed start and tail weigh the same in every variant and pull
 * every ratio towards 1. The whole-run figures are still reported beside these.
 */
final class SteadyWindow {
    static final double FROM = 0.1;
    static final double TO = 0.9;

    private final double from;
    private final double to;
    private long startNanos = -1;
    private double startProcessed;
    private long startCpu;
    private long endNanos = -1;
    private double endProcessed;
    private long endCpu;

    /** @param records the run's input records */
    SteadyWindow(long records) {
        this.from = FROM * records;
        this.to = TO * records;
    }

    /** A sample: wall clock, records processed so far, the stream threads' CPU so far (both clocks in ns). */
    void sample(long nanos, double processed, long cpuNanos) {
        if (startNanos < 0 && processed >= from) {
            startNanos = nanos;
            startProcessed = processed;
            startCpu = cpuNanos;
        }
        if (endNanos < 0 && processed >= to && startNanos >= 0 && nanos > startNanos) {
            endNanos = nanos;
            endProcessed = processed;
            endCpu = cpuNanos;
        }
    }

    /** Records per second in the window, or NaN when the samples never spanned it. */
    double recordsPerSecond() {
        return endNanos < 0 ? Double.NaN : (endProcessed - startProcessed) / ((endNanos - startNanos) / 1e9);
    }

    /** Stream-thread CPU microseconds per record in the window, or NaN. */
    double cpuMicrosPerRecord() {
        return endNanos < 0 || endProcessed <= startProcessed ? Double.NaN
                : (endCpu - startCpu) / 1e3 / (endProcessed - startProcessed);
    }
}
