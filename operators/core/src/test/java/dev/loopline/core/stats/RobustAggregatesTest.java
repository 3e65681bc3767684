package dev.loopline.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RobustAggregatesTest {
    @Test
    void interquartileMeanDropsAQuarterOnEachSide() {
        // scipy.stats.trim_mean(x, 0.25)
        assertEquals(4.5, RobustAggregates.iqm(new double[] {8, 1, 7, 2, 6, 3, 5, 4}), 1e-12);
        assertEquals(4.5, RobustAggregates.iqm(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), 1e-12);
        assertEquals(2.0, RobustAggregates.iqm(new double[] {1, 2, 3}), 1e-12);
        assertEquals(7.0, RobustAggregates.iqm(new double[] {7}), 1e-12);
        // Robust to one wild run.
        assertEquals(2.5, RobustAggregates.iqm(new double[] {1, 2, 3, 1e9}), 1e-12);
    }

    @Test
    void interquartileMeanPoolsTasks() {
        assertEquals(4.5, RobustAggregates.iqm(new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}), 1e-12);
    }

    @Test
    void stratifiedResamplingKeepsEachTaskItsOwnRuns() {
        double[][] byTask = {{1, 1, 1}, {5, 5}, {9, 9, 9, 9}};
        double[][] r = RobustAggregates.stratifiedResample(byTask, new SplittableRandom(3));
        assertArrayEquals(new double[] {1, 1, 1}, r[0]);
        assertArrayEquals(new double[] {5, 5}, r[1]);
        assertArrayEquals(new double[] {9, 9, 9, 9}, r[2]);
    }

    @Test
    void iqmIntervalIsReproducibleAndHoldsTheEstimate() {
        double[][] byTask = {BootstrapTest.normal(1, 10, 0, 1), BootstrapTest.normal(2, 10, 1, 1)};
        Bootstrap.Config c = new Bootstrap.Config(2000, 0.95, 11);
        Interval ci = RobustAggregates.iqmInterval(byTask, c);
        assertEquals(ci, RobustAggregates.iqmInterval(byTask, c));
        assertTrue(ci.contains(RobustAggregates.iqm(byTask)), ci.toString());
        assertTrue(ci.width() > 0.1 && ci.width() < 2, ci.toString());
    }

    @Test
    void probabilityOfImprovementCountsPairsWithHalfTies() {
        // (1>1: ½) (1>0: 1) (2>1: 1) (2>0: 1) = 3.5 / 4
        assertEquals(0.875, RobustAggregates.probabilityOfImprovement(new double[][] {{1, 2}}, new double[][] {{1, 0}}), 1e-12);
        // Averaged over tasks: task 1 gives 1, task 2 gives 0.
        assertEquals(0.5, RobustAggregates.probabilityOfImprovement(new double[][] {{3}, {0}}, new double[][] {{1}, {2}}), 1e-12);
        double[][] same = {{1, 2, 3}};
        assertEquals(0.5, RobustAggregates.probabilityOfImprovement(same, same), 1e-12);
    }

    @Test
    void probabilityOfImprovementIntervalSeparatesClearlyDifferentPolicies() {
        double[][] x = {BootstrapTest.normal(3, 10, 2, 0.5)};
        double[][] y = {BootstrapTest.normal(4, 10, 0, 0.5)};
        Interval ci = RobustAggregates.probabilityOfImprovementInterval(x, y, new Bootstrap.Config(1000, 0.95, 5));
        assertTrue(ci.low() > 0.9, ci.toString());
        assertThrows(IllegalArgumentException.class,
                () -> RobustAggregates.probabilityOfImprovement(new double[][] {{1}}, new double[][] {{1}, {2}}));
    }

    @Test
    void performanceProfileIsTheShareAboveEachThreshold() {
        double[][] byTask = {{0, 1, 2, 3}, {10, 10}};
        // tau = 0.5: task 1 has 3/4 runs above, task 2 has 2/2 -> (0.75 + 1) / 2
        // tau = 2.5: 1/4 and 2/2 -> 0.625; tau = 10: nothing is strictly above -> 0
        assertArrayEquals(new double[] {0.875, 0.625, 0},
                RobustAggregates.performanceProfile(byTask, new double[] {0.5, 2.5, 10}), 1e-12);
        Interval[] ci = RobustAggregates.performanceProfileIntervals(byTask, new double[] {-1, 10},
                new Bootstrap.Config(500, 0.9, 1));
        assertEquals(new Interval(1, 1, 0.9), ci[0]);
        assertEquals(new Interval(0, 0, 0.9), ci[1]);
        assertArrayEquals(new double[] {0, 5, 10}, RobustAggregates.thresholds(3, byTask), 1e-12);
    }
}
