package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * SquareCB's inverse-gap weighting (Abe and Long 1999; Foster and Rakhlin 2020): every action but the
 * best gets {@code 1 / (K + gamma * (best score - its score))}, the best takes the rest. The learning
 * rate follows the schedule {@code gamma_t = max(gammaMin, gamma0 * max(1, t)^exponent)} over the {@code t}
 * examples behind the scores: the outcomes the policy learned, or those a served model was trained on
 * (Vowpal Wabbit's {@code --gamma_scale} and {@code --gamma_exponent}, with a floor).
 */
public final class InverseGap implements Exploration {
    public static final String NAME = "squarecb";

    /**
     * @param gamma0   the scale of the schedule, in 1/reward units (larger: greedier)
     * @param exponent how fast gamma grows with learned outcomes; 1/2 is the theory's rate
     * @param gammaMin the smallest gamma, whatever the examples: a floor on how greedy a young model is
     */
    public record Config(double gamma0, double exponent, double gammaMin) implements ExplorationConfig {
        public Config(double gamma0, double exponent) {
            this(gamma0, exponent, 0.0);
        }

        public Config {
            if (!(gamma0 > 0 && gamma0 <= 1e6)) {
                throw new IllegalArgumentException("squarecb gamma0=" + gamma0
                        + " is outside (0, 1e6]; 10 is Vowpal Wabbit's default for rewards in [0, 1]");
            }
            if (!(exponent >= 0 && exponent <= 1)) {
                throw new IllegalArgumentException("squarecb exponent=" + exponent
                        + " is outside [0, 1]; 0.5 follows the theory (gamma ~ sqrt(t)), 0 keeps gamma fixed");
            }
            if (!(gammaMin >= 0 && gammaMin <= 1e6)) {
                throw new IllegalArgumentException("squarecb gammaMin=" + gammaMin + " must be in [0, 1e6]");
            }
        }

        public static Config defaults() {
            return new Config(10.0, 0.5);
        }

        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new InverseGap(this);
        }
    }

    private final Config config;

    public InverseGap(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    public double gamma(long learned) {
        double t = Math.max(1, learned);
        double growth = config.exponent() == 0.5 ? Math.sqrt(t) : Math.pow(t, config.exponent());
        return Math.max(config.gammaMin(), config.gamma0() * growth);
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        double[] means = sheet.means();
        int k = means.length;
        int best = Draws.argmaxRandomTies(means, random);
        double gamma = gamma(sheet.learned());
        double[] p = new double[k];
        double rest = 0;
        for (int a = 0; a < k; a++) {
            if (a != best) {
                p[a] = 1.0 / (k + gamma * (means[best] - means[a]));
                rest += p[a];
            }
        }
        p[best] = Math.max(0.0, 1.0 - rest);
        return Spread.of(p);
    }
}
