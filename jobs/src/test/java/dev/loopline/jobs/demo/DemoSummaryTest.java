package dev.loopline.jobs.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopline.envs.stats.WindowPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo summary's end-of-run figures, computed from the simulator's per-second windows. */
class DemoSummaryTest {
    private static WindowPoint window(long start, long decisions, double meanReward) {
        return new WindowPoint(start, decisions, meanReward, 0, 0, 0, 0, 0, -1, -1, 0, decisions);
    }

    @Test
    void meanRewardOfTheLastDecisionsWeighsTheBoundaryWindowInProportion() {
        List<WindowPoint> windows = List.of(window(0, 100, 0.2), window(1000, 100, 0.4), window(2000, 0, Double.NaN),
                window(3000, 100, 0.8));
        // The last 150 decisions: all 100 of the last window (0.8) and 50 of the one before (0.4).
        assertEquals((100 * 0.8 + 50 * 0.4) / 150, DemoRun.meanRewardOfLast(windows, 150), 1e-12);
        assertEquals((0.2 + 0.4 + 0.8) / 3, DemoRun.meanRewardOfLast(windows, 1_000), 1e-12, "more than ran: all of them");
        assertTrue(Double.isNaN(DemoRun.meanRewardOfLast(List.of(), 10)));
    }
}
