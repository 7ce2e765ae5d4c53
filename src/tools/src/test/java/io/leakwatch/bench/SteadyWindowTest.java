package io.leakwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SteadyWindowTest {
    private static final long S = 1_000_000_000L;

    @Test
    void shouldMeasureFromTheFirstSampleAtTenPercentToTheFirstAtNinetyLeavingOutAStartAndATail() {
        SteadyWindow window = new SteadyWindow(1000);
        window.sample(0, 0, 0);
        window.sample(2 * S, 50, S);            // slow start: not in the window
        window.sample(3 * S, 120, 2 * S);       // first at >= 10%: the window opens here
        window.sample(4 * S, 520, 3 * S);
        window.sample(5 * S, 920, 4 * S);       // first at >= 90%: closes here
        window.sample(9 * S, 1000, 8 * S);      // the tail: not in the window

        assertThat(window.recordsPerSecond()).isCloseTo(400, within(1e-9));        // 800 records in 2 s
        assertThat(window.cpuMicrosPerRecord()).isCloseTo(2.5e3, within(1e-9));    // 2 s of CPU for 800 records
    }

    @Test
    void shouldGiveNaNWhenTheSamplesNeverReachTheEndOfTheWindow() {
        SteadyWindow window = new SteadyWindow(1000);
        window.sample(0, 0, 0);
        window.sample(S, 500, S);

        assertThat(window.recordsPerSecond()).isNaN();
        assertThat(window.cpuMicrosPerRecord()).isNaN();
    }

    @Test
    void shouldNotCloseTheWindowOnTheSampleThatOpensIt() {
        SteadyWindow window = new SteadyWindow(1000);
        window.sample(S, 950, S);               // one sample past both thresholds (a very fast run)
        assertThat(window.recordsPerSecond()).isNaN();
        window.sample(2 * S, 1000, 2 * S);

        assertThat(window.recordsPerSecond()).isCloseTo(50, within(1e-9));
    }
}
