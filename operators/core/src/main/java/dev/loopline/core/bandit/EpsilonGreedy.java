package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * With probability {@code epsilon} a uniformly drawn action, otherwise the best-scored one. With a
 * decay, {@code epsilon_t = max(minEpsilon, epsilon * (1 + t)^-decay)} after {@code t} learned outcomes.
 */
public final class EpsilonGreedy implements Exploration {
    public static final String NAME = "epsilon-greedy";

    /**
     * @param epsilon    the share of uniform exploration at the start
     * @param decay      exponent of the decay with learned outcomes; 0 keeps epsilon constant, 1/3 is the
     *                   rate with the best worst-case regret
     * @param minEpsilon the floor the decay stops at
     */
    public record Config(double epsilon, double decay, double minEpsilon) implements ExplorationConfig {
        public Config {
            if (!(epsilon >= 0 && epsilon <= 1)) {
                throw new IllegalArgumentException("epsilon-greedy epsilon=" + epsilon
                        + " is outside [0, 1]; 0.05 explores one decision in twenty");
            }
            if (!(decay >= 0 && decay <= 1)) {
                throw new IllegalArgumentException("epsilon-greedy decay=" + decay
                        + " is outside [0, 1]; 0 keeps epsilon constant, 1/3 decays like t^-1/3");
            }
            if (!(minEpsilon >= 0 && minEpsilon <= epsilon)) {
                throw new IllegalArgumentException("epsilon-greedy minEpsilon=" + minEpsilon
                        + " is outside [0, epsilon=" + epsilon + "]; it is the floor of the decay");
            }
        }

        public static Config defaults() {
            return new Config(0.05, 0.0, 0.0);
        }

        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new EpsilonGreedy(this);
        }
    }

    private final Config config;

    public EpsilonGreedy(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    public double epsilon(long learned) {
        return Math.max(config.minEpsilon(), config.epsilon() * Math.pow(1.0 + learned, -config.decay()));
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        double epsilon = epsilon(sheet.learned());
        double[] p = Spread.argmaxSet(sheet.means());
        int k = p.length;
        for (int a = 0; a < k; a++) {
            p[a] = (1 - epsilon) * p[a] + epsilon / k;
        }
        return Spread.of(p);
    }
}
