package dev.loopline.core.ope;

/**
 * A target policy whose action distribution depends only on the stratum: {@code probability[s][a] =
 * π(a | s)}. Covers slot- or position-wise policies, a policy's empirical behaviour read from its own
 * log, uniform random and fixed-action policies.
 */
public record StratifiedPolicy(double[][] probability) {
    public StratifiedPolicy {
        if (probability.length == 0) {
            throw new IllegalArgumentException("a policy needs at least one stratum");
        }
        int k = probability[0].length;
        double[][] copy = new double[probability.length][];
        for (int s = 0; s < probability.length; s++) {
            if (probability[s].length != k) {
                throw new IllegalArgumentException("stratum " + s + " has " + probability[s].length
                        + " action probabilities, stratum 0 has " + k);
            }
            double sum = 0;
            for (double p : probability[s]) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("stratum " + s + " has probability " + p + " outside [0, 1]");
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-6) {
                throw new IllegalArgumentException("stratum " + s + " probabilities sum to " + sum + ", not 1");
            }
            copy[s] = probability[s].clone();
        }
        probability = copy;
    }

    public int strata() {
        return probability.length;
    }

    public int actions() {
        return probability[0].length;
    }

    public double probability(int stratum, int action) {
        return probability[stratum][action];
    }

    /**
     * The empirical behaviour of a policy from its own log: per stratum, how often each action was taken.
     *
     * @throws IllegalArgumentException if a stratum never occurs (its distribution would be unknown)
     */
    public static StratifiedPolicy empirical(int strata, int actions, int[] stratum, int[] action) {
        double[][] counts = new double[strata][actions];
        double[] totals = new double[strata];
        for (int i = 0; i < stratum.length; i++) {
            counts[stratum[i]][action[i]]++;
            totals[stratum[i]]++;
        }
        for (int s = 0; s < strata; s++) {
            if (totals[s] == 0) {
                throw new IllegalArgumentException("the policy's log has no row in stratum " + s
                        + ", so its action distribution there is unknown");
            }
            for (int a = 0; a < actions; a++) {
                counts[s][a] /= totals[s];
            }
        }
        return new StratifiedPolicy(counts);
    }

    /** Every action equally likely in every stratum. */
    public static StratifiedPolicy uniform(int strata, int actions) {
        double[][] p = new double[strata][actions];
        for (double[] row : p) {
            java.util.Arrays.fill(row, 1.0 / actions);
        }
        return new StratifiedPolicy(p);
    }

    /** Always the same action. */
    public static StratifiedPolicy always(int strata, int actions, int action) {
        if (action < 0 || action >= actions) {
            throw new IllegalArgumentException("action " + action + " is outside [0, " + actions + ")");
        }
        double[][] p = new double[strata][actions];
        for (double[] row : p) {
            row[action] = 1;
        }
        return new StratifiedPolicy(p);
    }
}
