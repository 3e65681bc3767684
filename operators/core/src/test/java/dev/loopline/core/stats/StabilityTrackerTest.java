package dev.loopline.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The online tracker says, after every window, what the offline evaluation of the series so far says. */
class StabilityTrackerTest {
    private static final long WINDOW = 1000;

    @Test
    void afterEveryWindowItMatchesTheOfflineEvaluationOfTheSeriesSoFar() {
        SplittableRandom random = new SplittableRandom(5);
        double[] rewards = new double[120];
        for (int w = 0; w < rewards.length; w++) {
            double level = w < 40 ? 0.8 : w < 45 ? 0.45 + 0.07 * (w - 40) : w < 80 ? 0.8 : w < 90 ? 0.3 : 0.6;
            rewards[w] = level + 0.03 * (random.nextDouble() - 0.5);
        }
        int[] shifts = {41, 81};
        for (ContinualEvaluation.Config config : new ContinualEvaluation.Config[] {
                ContinualEvaluation.Config.defaults(), new ContinualEvaluation.Config(3, 0.05)}) {
            StabilityTracker tracker = new StabilityTracker(config);
            for (int w = 0; w < rewards.length; w++) {
                int window = w;
                boolean shift = Arrays.stream(shifts).anyMatch(s -> s == window);
                if (w % 17 == 0) {
                    tracker = StabilityTracker.restore(config, tracker.snapshot());
                }
                Optional<StabilityTracker.Status> status = tracker.window((w + 1) * WINDOW, rewards[w], shift);
                int[] seen = Arrays.stream(shifts).filter(s -> s <= window).toArray();
                if (seen.length == 0) {
                    assertTrue(status.isEmpty(), "window " + w);
                    continue;
                }
                ContinualEvaluation.ShiftReport offline = ContinualEvaluation
                        .evaluate(Arrays.copyOf(rewards, w + 1), seen, config).shifts().get(seen.length - 1);
                StabilityTracker.Status online = status.orElseThrow();
                assertEquals((offline.shiftWindow() + 1) * WINDOW, online.shiftWindowEnd());
                assertEquals(offline.preShiftLevel(), online.preShiftLevel(), 1e-12, "window " + w);
                assertEquals(offline.minimum(), online.minimum(), 0, "window " + w);
                assertEquals(offline.stabilityGap(), online.stabilityGap(), 1e-12, "window " + w);
                assertEquals(offline.windowsToRecover().isPresent(), online.recoveredAfterMillis().isPresent(), "window " + w);
                if (offline.recovered()) {
                    assertEquals(offline.windowsToRecover().getAsInt() * WINDOW, (long) online.recoveredAfterMillis().get());
                }
                assertEquals(w == seen[seen.length - 1], online.newShift());
            }
        }
    }

    @Test
    void aShiftInTheFirstWindowHasNoPreShiftLevelAndIsSkipped() {
        StabilityTracker t = new StabilityTracker(ContinualEvaluation.Config.defaults());
        assertTrue(t.window(WINDOW, 0.5, true).isEmpty());
        assertTrue(t.window(2 * WINDOW, 0.5, false).isEmpty());
    }
}
