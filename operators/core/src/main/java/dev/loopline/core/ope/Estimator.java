package dev.loopline.core.ope;

/**
 * An off-policy estimator of a target policy's value from logged decisions. Each works on the rows
 * {@code rows} of an {@link OpeSample} (a bootstrap passes resampled rows; rows may repeat).
 */
public sealed interface Estimator {

    /** Short name used in reports: {@code ips}, {@code snips}, {@code dm}, {@code dr}, {@code switch-dr}. */
    String name();

    double estimate(OpeSample sample, int[] rows);

    /** Inverse propensity scoring (Horvitz-Thompson): {@code mean(w r)}. Unbiased, high variance. */
    record Ips() implements Estimator {
        @Override
        public String name() {
            return "ips";
        }

        @Override
        public double estimate(OpeSample s, int[] rows) {
            double sum = 0;
            for (int i : rows) {
                sum += s.weights()[i] * s.rewards()[i];
            }
            return sum / rows.length;
        }
    }

    /**
     * Self-normalised IPS (Swaminathan and Joachims 2015): {@code Σ w r / Σ w}. Slightly biased, much
     * steadier; 0 when every weight is 0.
     */
    record SelfNormalizedIps() implements Estimator {
        @Override
        public String name() {
            return "snips";
        }

        @Override
        public double estimate(OpeSample s, int[] rows) {
            return snips(s.weights(), s.rewards(), rows);
        }
    }

    /**
     * Self-normalised IPS of importance weights {@code w} and rewards {@code r} over {@code rows} (a
     * bootstrap resample may repeat rows): the one SNIPS of the off-policy estimators, the online replay
     * and the promotion gate.
     */
    static double snips(double[] w, double[] r, int[] rows) {
        double num = 0;
        double den = 0;
        for (int i : rows) {
            num += w[i] * r[i];
            den += w[i];
        }
        return den == 0 ? 0 : num / den;
    }

    /** The direct method: {@code mean(Σ_a π(a|x) q̂(x, a))}; as good as the reward model. */
    record DirectMethod() implements Estimator {
        @Override
        public String name() {
            return "dm";
        }

        @Override
        public double estimate(OpeSample s, int[] rows) {
            double sum = 0;
            for (int i : rows) {
                sum += s.modelTarget()[i];
            }
            return sum / rows.length;
        }
    }

    /**
     * Doubly robust (Dudík, Langford and Li 2011): the direct method plus the importance-weighted
     * residual, {@code mean(q̂_π(x) + w (r − q̂(x, a)))}; unbiased when either the propensities or the
     * reward model are right.
     */
    record DoublyRobust() implements Estimator {
        @Override
        public String name() {
            return "dr";
        }

        @Override
        public double estimate(OpeSample s, int[] rows) {
            double sum = 0;
            for (int i : rows) {
                sum += s.modelTarget()[i] + s.weights()[i] * (s.rewards()[i] - s.modelLogged()[i]);
            }
            return sum / rows.length;
        }
    }

    /**
     * Switch doubly robust (Wang, Agarwal and Dudík 2017, in the form of the Open Bandit Pipeline):
     * the doubly robust correction only where the weight is at most {@code tau}; rows with larger
     * weights fall back to the direct method. {@code tau = ∞} is DR, {@code tau = 0} is DM.
     *
     * @param tau the weight threshold, at least 0 (may be infinite)
     */
    record SwitchDoublyRobust(double tau) implements Estimator {
        public SwitchDoublyRobust {
            if (!(tau >= 0)) {
                throw new IllegalArgumentException("switch-dr tau=" + tau
                        + " must be >= 0 (Infinity gives plain DR, 0 the direct method)");
            }
        }

        @Override
        public String name() {
            return "switch-dr";
        }

        @Override
        public double estimate(OpeSample s, int[] rows) {
            double sum = 0;
            for (int i : rows) {
                sum += term(s, i);
            }
            return sum / rows.length;
        }

        double term(OpeSample s, int i) {
            double w = s.weights()[i];
            return s.modelTarget()[i] + (w <= tau ? w * (s.rewards()[i] - s.modelLogged()[i]) : 0);
        }

        /**
         * The threshold that minimises an estimate of the mean squared error: the variance of the
         * per-row terms over n plus the square of the estimated bias, the mean of the corrections
         * that the threshold drops, {@code |mean(w · 1{w > tau} · (r − q̂))|} (the rule of the Open
         * Bandit Pipeline's tuned switch-DR, without its high-probability margin). Candidates are the
         * distinct weights (up to 100 of their quantiles) and ∞; ties go to the larger threshold.
         * Cutting pays only where the dropped corrections are noisy but average out.
         */
        public static double tune(OpeSample s) {
            int n = s.size();
            double[] sorted = s.weights().clone();
            java.util.Arrays.sort(sorted);
            java.util.TreeSet<Double> candidates = new java.util.TreeSet<>();
            int steps = Math.min(100, n);
            for (int q = 1; q <= steps; q++) {
                candidates.add(sorted[(int) Math.ceil((double) q * n / steps) - 1]);
            }
            candidates.add(Double.POSITIVE_INFINITY);
            double bestTau = Double.POSITIVE_INFINITY;
            double bestMse = Double.POSITIVE_INFINITY;
            for (double tau : candidates.descendingSet()) {
                SwitchDoublyRobust e = new SwitchDoublyRobust(tau);
                double mean = 0;
                double dropped = 0;
                for (int i = 0; i < n; i++) {
                    mean += e.term(s, i);
                    if (s.weights()[i] > tau) {
                        dropped += s.weights()[i] * (s.rewards()[i] - s.modelLogged()[i]);
                    }
                }
                mean /= n;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    double d = e.term(s, i) - mean;
                    ss += d * d;
                }
                double variance = n > 1 ? ss / (n - 1) : 0;
                double bias = Math.abs(dropped) / n;
                double mse = variance / n + bias * bias;
                if (mse < bestMse) {
                    bestMse = mse;
                    bestTau = tau;
                }
            }
            return bestTau;
        }
    }
}
