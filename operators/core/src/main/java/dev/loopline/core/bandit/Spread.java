package dev.loopline.core.bandit;

/**
 * A strategy's answer.
 *
 * @param probabilities the distribution over the offered actions (sums to 1)
 * @param chosen        the index the strategy drew itself, or -1 to sample from {@code probabilities}
 * @param bonus         what the strategy added to each prediction (UCB bonus, Thompson perturbation),
 *                      or null when it adds nothing
 * @param estimated     whether {@code probabilities} is an estimate (Monte Carlo) rather than exact
 */
public record Spread(double[] probabilities, int chosen, double[] bonus, boolean estimated) {
    public static Spread of(double[] probabilities) {
        return new Spread(probabilities, -1, null, false);
    }

    /** Uniform over the actions whose value equals the maximum (exact ties), zero elsewhere. */
    static double[] argmaxSet(double[] values) {
        double best = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            best = Math.max(best, v);
        }
        int ties = 0;
        for (double v : values) {
            if (v == best) {
                ties++;
            }
        }
        double[] p = new double[values.length];
        if (ties == 0) {
            // All NaN or all -infinity: nothing to prefer.
            java.util.Arrays.fill(p, 1.0 / values.length);
            return p;
        }
        for (int i = 0; i < values.length; i++) {
            p[i] = values[i] == best ? 1.0 / ties : 0.0;
        }
        return p;
    }

    static double[] uniform(int k) {
        double[] p = new double[k];
        java.util.Arrays.fill(p, 1.0 / k);
        return p;
    }
}
