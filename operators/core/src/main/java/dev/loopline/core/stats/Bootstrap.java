package dev.loopline.core.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The nonparametric bootstrap (Efron 1979) with percentile intervals. Every draw comes from a
 * {@link SplittableRandom} seeded from the config, so a rerun gives the same interval.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /**
     * @param resamples number of bootstrap replicates, in [50, 10,000,000]; 2,000 is plenty for 95 % intervals
     * @param level     coverage of the percentile interval, in (0, 1)
     * @param seed      root of every draw
     */
    public record Config(int resamples, double level, long seed) implements java.io.Serializable {
        public Config {
            if (resamples < 50 || resamples > 10_000_000) {
                throw new IllegalArgumentException("bootstrap resamples=" + resamples
                        + " is outside [50, 10000000]; use about 2000 for a 95% interval");
            }
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("bootstrap level=" + level
                        + " is outside (0, 1); use 0.95 for a 95% interval");
            }
        }

        public static Config defaults() {
            return new Config(2000, 0.95, 42L);
        }
    }

    /**
     * The {@code q}-quantile of sorted values, interpolating linearly between order statistics
     * (Hyndman and Fan's type 7, the default of NumPy and R).
     */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("quantile of no values");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile q=" + q + " is outside [0, 1]");
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The percentile interval of bootstrap replicates: their (1−level)/2 and (1+level)/2 quantiles. */
    public static Interval percentile(double[] replicates, double level) {
        double[] sorted = replicates.clone();
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return new Interval(quantile(sorted, tail), quantile(sorted, 1 - tail), level);
    }

    /** {@code n} indices drawn uniformly with replacement from {@code 0..n-1}. */
    public static int[] resample(int n, SplittableRandom random) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = random.nextInt(n);
        }
        return idx;
    }

    /**
     * Bootstrap replicates of a statistic of {@code n} exchangeable rows: each replicate passes a
     * resampled index array to {@code statistic}.
     */
    public static double[] replicates(int n, ToDoubleFunction<int[]> statistic, Config config) {
        if (n < 1) {
            throw new IllegalArgumentException("the bootstrap needs at least one row");
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        double[] out = new double[config.resamples()];
        for (int b = 0; b < out.length; b++) {
            out[b] = statistic.applyAsDouble(resample(n, random));
        }
        return out;
    }

    /** The percentile interval of a statistic of {@code n} rows. */
    public static Interval interval(int n, ToDoubleFunction<int[]> statistic, Config config) {
        return percentile(replicates(n, statistic, config), config.level());
    }

    /** The mean of values with a percentile bootstrap interval. */
    public static Interval meanInterval(double[] values, Config config) {
        return interval(values.length, idx -> {
            double s = 0;
            for (int i : idx) {
                s += values[i];
            }
            return s / idx.length;
        }, config);
    }
}
