package dev.loopline.core.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Aggregates of the scores of many runs over several tasks, as recommended by Agarwal et al.
 * ("Deep Reinforcement Learning at the Edge of the Statistical Precipice", NeurIPS 2021, the
 * {@code rliable} library): the interquartile mean, stratified bootstrap intervals, the probability of
 * improvement and performance profiles.
 *
 * <p>Scores come as {@code double[task][run]}; tasks may have different numbers of runs. Higher scores
 * are better. Scores of different tasks should be on a common scale (normalise them first) when they
 * are pooled.
 */
public final class RobustAggregates {
    private RobustAggregates() {}

    /**
     * The interquartile mean: the mean of the values left after dropping {@code floor(n/4)} of the
     * smallest and as many of the largest (SciPy's {@code trim_mean(x, 0.25)}, which rliable uses).
     */
    public static double iqm(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the interquartile mean of no values is undefined");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int cut = (int) (0.25 * sorted.length);
        double s = 0;
        for (int i = cut; i < sorted.length - cut; i++) {
            s += sorted[i];
        }
        return s / (sorted.length - 2 * cut);
    }

    /** The interquartile mean of all runs of all tasks pooled. */
    public static double iqm(double[][] byTask) {
        return iqm(flatten(byTask));
    }

    /** The mean of all runs of all tasks pooled. */
    public static double mean(double[][] byTask) {
        double[] all = flatten(byTask);
        if (all.length == 0) {
            throw new IllegalArgumentException("the mean of no values is undefined");
        }
        double s = 0;
        for (double v : all) {
            s += v;
        }
        return s / all.length;
    }

    /**
     * One stratified resample: within each task, as many runs as it has, drawn with replacement from
     * that task's runs.
     */
    public static double[][] stratifiedResample(double[][] byTask, SplittableRandom random) {
        double[][] out = new double[byTask.length][];
        for (int t = 0; t < byTask.length; t++) {
            double[] runs = byTask[t];
            double[] r = new double[runs.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = runs[random.nextInt(runs.length)];
            }
            out[t] = r;
        }
        return out;
    }

    /** A percentile interval of a statistic of the score matrix, by the stratified bootstrap. */
    public static Interval stratifiedInterval(double[][] byTask, ToDoubleFunction<double[][]> statistic,
            Bootstrap.Config config) {
        requireRuns(byTask);
        SplittableRandom random = new SplittableRandom(config.seed());
        double[] reps = new double[config.resamples()];
        for (int b = 0; b < reps.length; b++) {
            reps[b] = statistic.applyAsDouble(stratifiedResample(byTask, random));
        }
        return Bootstrap.percentile(reps, config.level());
    }

    /** The interquartile mean with its stratified bootstrap interval. */
    public static Interval iqmInterval(double[][] byTask, Bootstrap.Config config) {
        return stratifiedInterval(byTask, RobustAggregates::iqm, config);
    }

    /**
     * The probability of improvement P(X > Y): per task, the chance that a random run of X scores
     * higher than a random run of Y (ties count one half, the Mann-Whitney U statistic divided by the
     * number of pairs), averaged over tasks.
     *
     * @param x scores of X by task
     * @param y scores of Y by task, the same tasks in the same order
     */
    public static double probabilityOfImprovement(double[][] x, double[][] y) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("both policies need scores on the same tasks; got "
                    + x.length + " and " + y.length + " tasks");
        }
        double total = 0;
        for (int t = 0; t < x.length; t++) {
            if (x[t].length == 0 || y[t].length == 0) {
                throw new IllegalArgumentException("task " + t + " has no runs for one of the policies");
            }
            double wins = 0;
            for (double a : x[t]) {
                for (double b : y[t]) {
                    wins += a > b ? 1 : a == b ? 0.5 : 0;
                }
            }
            total += wins / ((double) x[t].length * y[t].length);
        }
        return total / x.length;
    }

    /** P(X > Y) with an interval from resampling the runs of both policies within each task. */
    public static Interval probabilityOfImprovementInterval(double[][] x, double[][] y, Bootstrap.Config config) {
        requireRuns(x);
        requireRuns(y);
        probabilityOfImprovement(x, y);
        SplittableRandom random = new SplittableRandom(config.seed());
        double[] reps = new double[config.resamples()];
        for (int b = 0; b < reps.length; b++) {
            reps[b] = probabilityOfImprovement(stratifiedResample(x, random), stratifiedResample(y, random));
        }
        return Bootstrap.percentile(reps, config.level());
    }

    /**
     * The run-score performance profile: for each threshold tau, the fraction of runs scoring above
     * tau, computed per task and averaged over tasks.
     */
    public static double[] performanceProfile(double[][] byTask, double[] taus) {
        requireRuns(byTask);
        double[] out = new double[taus.length];
        for (int i = 0; i < taus.length; i++) {
            double s = 0;
            for (double[] runs : byTask) {
                int above = 0;
                for (double v : runs) {
                    if (v > taus[i]) {
                        above++;
                    }
                }
                s += (double) above / runs.length;
            }
            out[i] = s / byTask.length;
        }
        return out;
    }

    /** Stratified bootstrap intervals of each point of the performance profile (one shared set of resamples). */
    public static Interval[] performanceProfileIntervals(double[][] byTask, double[] taus, Bootstrap.Config config) {
        requireRuns(byTask);
        SplittableRandom random = new SplittableRandom(config.seed());
        double[][] reps = new double[taus.length][config.resamples()];
        for (int b = 0; b < config.resamples(); b++) {
            double[] p = performanceProfile(stratifiedResample(byTask, random), taus);
            for (int i = 0; i < taus.length; i++) {
                reps[i][b] = p[i];
            }
        }
        Interval[] out = new Interval[taus.length];
        for (int i = 0; i < taus.length; i++) {
            out[i] = Bootstrap.percentile(reps[i], config.level());
        }
        return out;
    }

    /** {@code points} evenly spaced thresholds from the smallest to the largest score of all the matrices. */
    public static double[] thresholds(int points, double[][]... matrices) {
        if (points < 2) {
            throw new IllegalArgumentException("a performance profile needs at least 2 thresholds, got " + points);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[][] m : matrices) {
            for (double v : flatten(m)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException("no scores to place thresholds on");
        }
        double[] taus = new double[points];
        for (int i = 0; i < points; i++) {
            taus[i] = lo + (hi - lo) * i / (points - 1);
        }
        return taus;
    }

    private static double[] flatten(double[][] byTask) {
        int n = 0;
        for (double[] runs : byTask) {
            n += runs.length;
        }
        double[] all = new double[n];
        int k = 0;
        for (double[] runs : byTask) {
            for (double v : runs) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("scores must be finite, got " + v);
                }
                all[k++] = v;
            }
        }
        return all;
    }

    private static void requireRuns(double[][] byTask) {
        if (byTask.length == 0) {
            throw new IllegalArgumentException("no tasks");
        }
        for (int t = 0; t < byTask.length; t++) {
            if (byTask[t].length == 0) {
                throw new IllegalArgumentException("task " + t + " has no runs");
            }
        }
    }
}
