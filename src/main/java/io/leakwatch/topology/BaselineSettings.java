package io.leakwatch.topology;

/**
 * Per-account revenue baselines (issue 4).
 *
 * @param window          periods in the trailing baseline (never including the period judged)
 * @param minPeriods      periods of history needed before any judgement (cold start)
 * @param zThreshold      |z| at or above this is a spike or a drop
 * @param historyPeriods  periods of revenue history kept per account
 * @param erosionPeriods  consecutive periods an erosion is measured over
 * @param erosionThreshold cumulative decline (fraction) that makes an erosion
 */
public record BaselineSettings(int window, int minPeriods, double zThreshold, int historyPeriods,
                               int erosionPeriods, double erosionThreshold) {

    public static BaselineSettings defaults() {
        return new BaselineSettings(6, 6, 2.5, 24, 6, 0.15);
    }
}
