package dev.loopline.core.ope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EstimatorTest {
    // Three decisions: weights 2, 0, 1; rewards 1, 1, 0; model says 0.5 for the logged actions and
    // 0.4 for the target at each context.
    static final OpeSample SAMPLE = new OpeSample(new double[] {2, 0, 1}, new double[] {1, 1, 0},
            new double[] {0.5, 0.5, 0.5}, new double[] {0.4, 0.4, 0.4});
    static final int[] ALL = {0, 1, 2};

    @Test
    void handComputedValues() {
        assertEquals((2 * 1 + 0 + 0) / 3.0, new Estimator.Ips().estimate(SAMPLE, ALL), 1e-12);
        assertEquals(2.0 / 3.0, new Estimator.SelfNormalizedIps().estimate(SAMPLE, ALL), 1e-12);
        assertEquals(0.4, new Estimator.DirectMethod().estimate(SAMPLE, ALL), 1e-12);
        // 0.4 + mean(2·0.5, 0·0.5, 1·(−0.5)) = 0.4 + 0.5/3
        assertEquals(0.4 + 0.5 / 3, new Estimator.DoublyRobust().estimate(SAMPLE, ALL), 1e-12);
        // tau = 1.5 drops the correction of row 0 (weight 2): 0.4 + (0 − 0.5)/3
        assertEquals(0.4 - 0.5 / 3, new Estimator.SwitchDoublyRobust(1.5).estimate(SAMPLE, ALL), 1e-12);
    }

    @Test
    void switchDrSpansDmToDr() {
        assertEquals(new Estimator.DoublyRobust().estimate(SAMPLE, ALL),
                new Estimator.SwitchDoublyRobust(Double.POSITIVE_INFINITY).estimate(SAMPLE, ALL), 1e-15);
        OpeSample positive = new OpeSample(new double[] {2, 0.5, 1}, new double[] {1, 1, 0},
                new double[] {0.5, 0.5, 0.5}, new double[] {0.4, 0.4, 0.4});
        assertEquals(new Estimator.DirectMethod().estimate(positive, ALL),
                new Estimator.SwitchDoublyRobust(0.1).estimate(positive, ALL), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Estimator.SwitchDoublyRobust(-1));
    }

    @Test
    void rowsMayRepeat() {
        int[] twiceFirst = {0, 0, 2};
        assertEquals((2 + 2 + 0) / 3.0, new Estimator.Ips().estimate(SAMPLE, twiceFirst), 1e-12);
    }

    @Test
    void snipsOfAllZeroWeightsIsZero() {
        OpeSample zero = new OpeSample(new double[] {0, 0}, new double[] {1, 1}, new double[2], new double[2]);
        assertEquals(0, new Estimator.SelfNormalizedIps().estimate(zero, new int[] {0, 1}));
    }

    @Test
    void tuningKeepsDrWhenWeightsAreTame() {
        OpeSample ones = new OpeSample(new double[] {1, 1, 1, 1}, new double[] {1, 0, 1, 0},
                new double[] {0.5, 0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5, 0.5});
        assertEquals(Double.POSITIVE_INFINITY, Estimator.SwitchDoublyRobust.tune(ones));
    }

    @Test
    void tuningCutsLargeWeightsWhoseCorrectionsAreNoiseThatAveragesOut() {
        // 990 rows with weight 1 and no residual; 10 rows with weight 1000 and residuals of +-0.5 that
        // cancel. Their corrections add variance (about 1000² · 0.25 / 100 / 1000) and no bias: cut.
        int n = 1000;
        double[] w = new double[n];
        double[] r = new double[n];
        double[] q = new double[n];
        java.util.Arrays.fill(w, 1);
        java.util.Arrays.fill(q, 0.5);
        java.util.Arrays.fill(r, 0.5);
        for (int i = 0; i < 10; i++) {
            w[i] = 1000;
            r[i] = i % 2;
        }
        OpeSample s = new OpeSample(w, r, q, new double[n]);
        assertEquals(1.0, Estimator.SwitchDoublyRobust.tune(s), 0, "the threshold falls below the large weights");
        // The same large weights with residuals that all point one way are bias, not noise: keep them.
        for (int i = 0; i < 10; i++) {
            r[i] = 1;
        }
        assertEquals(Double.POSITIVE_INFINITY, Estimator.SwitchDoublyRobust.tune(new OpeSample(w, r, q, new double[n])));
    }

    @Test
    void badSamplesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new OpeSample(new double[] {-1}, new double[] {0}, new double[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> new OpeSample(new double[] {1}, new double[] {0, 1}, new double[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new OpeSample(new double[0], new double[0], new double[0], new double[0]));
    }
}
