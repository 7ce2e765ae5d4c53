package io.leakwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leakwatch.bench.ThroughputBenchmark.Measurement;
import io.leakwatch.bench.ThroughputBenchmark.Result;
import io.leakwatch.bench.ThroughputBenchmark.ScoringTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputBenchmarkResultTest {
    private static final ScoringTime NONE = new ScoringTime(0, 0, 0, 0);

    private static Measurement run(double recordsPerSecond, double cpuMicros, ScoringTime scoring) {
        return new Measurement(recordsPerSecond, cpuMicros, 1.0, scoring, 1.3 * recordsPerSecond, 0.9 * cpuMicros);
    }

    @Test
    void shouldCountTheScorerAsPartOfTheTicksNotOnTopOfThem() {
        ScoringTime time = new ScoringTime(1.5, 4.0, 1.2, 1.7);

        assertThat(time.total()).isCloseTo(6.7, within(1e-9));
        assertThat(run(12_000, 53.6, time).scoringShare()).isCloseTo(0.125, within(1e-9));
        assertThat(run(40_000, 3.0, NONE).scoringShare()).isZero();
    }

    @Test
    void shouldTakeTheMedianShareAndTheMedianRatioPerRound() {
        Result result = new Result(250_000,
                List.of(run(40_000, 3, NONE), run(40_000, 3, NONE), run(40_000, 3, NONE)),
                List.of(run(14_000, 45, NONE), run(10_000, 60, NONE), run(13_000, 46, NONE)),
                List.of(run(12_600, 50, new ScoringTime(1, 4, 1, 2)),      // 0.90 of leakwatch, share 0.12
                        run(10_000, 60, new ScoringTime(1, 4.4, 1.8, 2)),  // 1.00, share 0.12
                        run(10_400, 52, new ScoringTime(1, 4.2, 1.3, 2)))); // 0.80, share 0.125

        assertThat(result.scoringRatio()).isCloseTo(0.90, within(1e-9));

        assertThat(result.scoringShareMedian()).isCloseTo(0.12, within(1e-9));
    }

    @Test
    void shouldTakeTheSteadyRatiosFromTheSteadyFiguresOfEachRound() {
        Result result = new Result(250_000,
                List.of(steady(40_000, 3, 150_000, 2.5), steady(40_000, 3, 150_000, 2.5)),
                List.of(steady(14_000, 45, 17_000, 44), steady(12_000, 50, 15_000, 48)),
                List.of(steady(13_000, 50, 15_300, 50), steady(11_000, 55, 14_250, 50)));

        assertThat(result.steadyScoringRatio()).isCloseTo((0.90 + 0.95) / 2, within(1e-9));
        assertThat(result.steadyScoringCpuRatio()).isCloseTo((0.88 + 0.96) / 2, within(1e-9));
        assertThat(result.leakwatchSteadyMedian()).isCloseTo(16_000, within(1e-9));
        assertThat(result.passThroughSteadyMedian()).isCloseTo(150_000, within(1e-9));
    }

    private static Measurement steady(double recordsPerSecond, double cpuMicros, double steadyRecordsPerSecond,
                                      double steadyCpuMicros) {
        return new Measurement(recordsPerSecond, cpuMicros, 1.0, NONE, steadyRecordsPerSecond, steadyCpuMicros);
    }

    @Test
    void shouldHaveNoShareWithoutAScoringVariant() {
        Result result = new Result(1, List.of(run(1, 1, NONE)), List.of(run(1, 1, NONE)), List.of());

        assertThat(result.scoringShareMedian()).isNaN();
    }
}
