package dev.loopline.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    @Test
    void quantilesInterpolateLikeNumpy() {
        double[] x = {1, 2, 3, 4};
        assertEquals(1.75, Bootstrap.quantile(x, 0.25), 1e-12); // numpy.quantile([1,2,3,4], 0.25)
        assertEquals(2.5, Bootstrap.quantile(x, 0.5), 1e-12);
        assertEquals(3.97, Bootstrap.quantile(x, 0.99), 1e-12);
        assertEquals(1, Bootstrap.quantile(x, 0), 0);
        assertEquals(4, Bootstrap.quantile(x, 1), 0);
    }

    @Test
    void percentileIntervalIsTheTailQuantiles() {
        double[] reps = new double[101];
        for (int i = 0; i <= 100; i++) {
            reps[100 - i] = i; // unsorted on purpose
        }
        Interval ci = Bootstrap.percentile(reps, 0.9);
        assertEquals(5, ci.low(), 1e-12);
        assertEquals(95, ci.high(), 1e-12);
        assertEquals(0.9, ci.level());
    }

    @Test
    void sameSeedSameInterval() {
        double[] x = normal(1, 200, 3, 2);
        Bootstrap.Config c = new Bootstrap.Config(1000, 0.95, 7);
        assertEquals(Bootstrap.meanInterval(x, c), Bootstrap.meanInterval(x, c));
    }

    @Test
    void meanIntervalCoversTheTrueMeanAboutAsOftenAsPromised() {
        // 1000 samples of 100 normals; a 90 % interval should miss about 100 times. Measured: 122
        // misses (the percentile interval runs a little narrow at this n; over 4000 other samples it
        // missed 10.5 %). The bounds are the expectation give or take four binomial standard deviations.
        int misses = 0;
        for (int s = 0; s < 1000; s++) {
            Interval ci = Bootstrap.meanInterval(normal(100 + s, 100, 0, 1), new Bootstrap.Config(500, 0.9, s));
            if (!ci.contains(0)) {
                misses++;
            }
        }
        assertTrue(misses >= 62 && misses <= 138, misses + " misses of 1000 at 90 %");
    }

    @Test
    void configIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bootstrap.Config(10, 0.95, 1));
        assertTrue(e.getMessage().contains("resamples=10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap.Config(1000, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Interval(2, 1, 0.9));
    }

    static double[] normal(long seed, int n, double mu, double sd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            x[i] = mu + sd * z;
        }
        return x;
    }
}
