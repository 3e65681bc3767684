package dev.loopline.core.ope;

import dev.loopline.core.stats.Bootstrap;
import dev.loopline.core.stats.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs every estimator on one log, each with a percentile bootstrap interval. The replicates
 * resample logged decisions with replacement; all estimators see the same resamples, so their
 * intervals are comparable.
 */
public final class OffPolicyEvaluation {
    private OffPolicyEvaluation() {}

    /**
     * @param bootstrap     replicates, level and seed of the intervals
     * @param switchTau     switch-DR's weight threshold; {@code null} tunes it on the whole sample
     *                      ({@link Estimator.SwitchDoublyRobust#tune}) and keeps it for every replicate
     * @param priorStrength the tabular reward model's shrinkage ({@link TabularRewardModel#fit}), at least 0
     * @param folds         cross-fitting folds of the reward model ({@link OpeSample#crossFitted}), in
     *                      [1, 20]; 1 fits it on all rows
     */
    public record Config(Bootstrap.Config bootstrap, Double switchTau, double priorStrength, int folds)
            implements java.io.Serializable {
        public Config {
            if (bootstrap == null) {
                throw new IllegalArgumentException("the bootstrap config is missing; use Bootstrap.Config.defaults()");
            }
            if (switchTau != null && !(switchTau >= 0)) {
                throw new IllegalArgumentException("switch-dr tau=" + switchTau
                        + " must be >= 0, Infinity (plain DR), or absent to tune it");
            }
            if (!(priorStrength >= 0 && Double.isFinite(priorStrength))) {
                throw new IllegalArgumentException("reward model prior strength " + priorStrength
                        + " must be a finite number >= 0; 10 pseudo-observations is a mild default");
            }
            if (folds < 1 || folds > 20) {
                throw new IllegalArgumentException("cross-fitting folds=" + folds
                        + " is outside [1, 20]; 2 is usual, 1 fits the reward model on all rows");
            }
        }

        /** 2,000 resamples, 95 % intervals, seed 42, tuned switch threshold, prior strength 10, 2 folds. */
        public static Config defaults() {
            return new Config(Bootstrap.Config.defaults(), null, 10.0, 2);
        }
    }

    /** One estimator's point estimate and interval. */
    public record Estimate(String estimator, double value, Interval interval) {}

    /**
     * How far the target is from the logging policy, seen through the importance weights.
     *
     * @param rows                the number of logged decisions
     * @param meanWeight          should be close to 1 when the propensities are right
     * @param maxWeight           the largest weight
     * @param effectiveSampleSize {@code (Σw)² / Σw²}: how many decisions the weighted sample is worth
     * @param zeroWeightShare     the share of decisions the target would never take
     */
    public record WeightDiagnostics(int rows, double meanWeight, double maxWeight, double effectiveSampleSize,
            double zeroWeightShare) {}

    /**
     * @param estimates IPS, SNIPS, DM, DR and switch-DR, in that order
     * @param weights   the weight diagnostics
     * @param switchTau the threshold switch-DR used
     */
    public record Report(List<Estimate> estimates, WeightDiagnostics weights, double switchTau) {
        public Report {
            estimates = List.copyOf(estimates);
        }

        /** The estimate of the named estimator. */
        public Estimate get(String estimator) {
            return estimates.stream().filter(e -> e.estimator().equals(estimator)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no estimator named " + estimator));
        }
    }

    /**
     * Evaluates a stratified target policy on a log. The tabular reward model is cross-fitted on
     * the log (row i in fold {@code i mod folds}) and fitted again on every bootstrap resample (a
     * resampled row keeps its original fold), so the intervals of DM, DR and switch-DR carry the
     * reward model's uncertainty too.
     */
    public static Report evaluate(BanditLog log, StratifiedPolicy target, Config config) {
        int n = log.size();
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[i] = i % config.folds();
        }
        OpeSample sample = OpeSample.crossFitted(log, target, config.priorStrength(), fold, config.folds());
        int[] all = identity(n);
        return evaluate(sample, config, (idx, estimators, out) -> {
            int[] resampledFold = new int[n];
            for (int i = 0; i < n; i++) {
                resampledFold[i] = fold[idx[i]];
            }
            OpeSample s = OpeSample.crossFitted(resample(log, idx), target, config.priorStrength(), resampledFold,
                    config.folds());
            for (int e = 0; e < estimators.size(); e++) {
                out[e] = estimators.get(e).estimate(s, all);
            }
        });
    }

    /**
     * Evaluates on a sample whose reward model is already fitted (for instance by an online learner);
     * the replicates resample rows with that model fixed, so DM's interval does not include the
     * model's own uncertainty. The config's {@code priorStrength} and {@code folds} play no part.
     */
    public static Report evaluate(OpeSample sample, Config config) {
        return evaluate(sample, config, (idx, estimators, out) -> {
            for (int e = 0; e < estimators.size(); e++) {
                out[e] = estimators.get(e).estimate(sample, idx);
            }
        });
    }

    /** One bootstrap replicate: every estimator's value on the resampled rows {@code idx}. */
    private interface Replicate {
        void compute(int[] idx, List<Estimator> estimators, double[] out);
    }

    private static Report evaluate(OpeSample sample, Config config, Replicate replicate) {
        double tau = config.switchTau() != null ? config.switchTau() : Estimator.SwitchDoublyRobust.tune(sample);
        List<Estimator> estimators = List.of(new Estimator.Ips(), new Estimator.SelfNormalizedIps(),
                new Estimator.DirectMethod(), new Estimator.DoublyRobust(), new Estimator.SwitchDoublyRobust(tau));
        int n = sample.size();
        Bootstrap.Config b = config.bootstrap();
        double[][] reps = new double[estimators.size()][b.resamples()];
        double[] values = new double[estimators.size()];
        SplittableRandom random = new SplittableRandom(b.seed());
        for (int r = 0; r < b.resamples(); r++) {
            replicate.compute(Bootstrap.resample(n, random), estimators, values);
            for (int e = 0; e < estimators.size(); e++) {
                reps[e][r] = values[e];
            }
        }
        int[] all = identity(n);
        List<Estimate> out = new ArrayList<>();
        for (int e = 0; e < estimators.size(); e++) {
            out.add(new Estimate(estimators.get(e).name(), estimators.get(e).estimate(sample, all),
                    Bootstrap.percentile(reps[e], b.level())));
        }
        return new Report(out, diagnostics(sample), tau);
    }

    private static BanditLog resample(BanditLog log, int[] idx) {
        int n = idx.length;
        int[] s = new int[n];
        int[] a = new int[n];
        double[] r = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = log.stratum()[idx[i]];
            a[i] = log.action()[idx[i]];
            r[i] = log.reward()[idx[i]];
            p[i] = log.propensity()[idx[i]];
        }
        return new BanditLog(log.strata(), log.actions(), s, a, r, p);
    }

    private static int[] identity(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    public static WeightDiagnostics diagnostics(OpeSample sample) {
        double sum = 0;
        double sq = 0;
        double max = 0;
        int zeros = 0;
        for (double w : sample.weights()) {
            sum += w;
            sq += w * w;
            max = Math.max(max, w);
            if (w == 0) {
                zeros++;
            }
        }
        int n = sample.size();
        return new WeightDiagnostics(n, sum / n, max, sq == 0 ? 0 : sum * sum / sq, (double) zeros / n);
    }
}
