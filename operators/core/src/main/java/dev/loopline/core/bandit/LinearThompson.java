package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * Linear Thompson sampling (Agrawal and Goyal 2013): draw {@code theta_a ~ N(theta_hat_a, v^2
 * A_a^-1)} for each action and take the action whose draw scores best. For the decision only
 * {@code theta_a' x} matters, which is normal with mean {@code theta_hat_a' x} and deviation {@code v *
 * width_a}, so the draw is made on that scalar directly (the same law, {@code O(1)} per action).
 *
 * <p>The probability of each action being the argmax has no closed form, so it is estimated by Monte
 * Carlo: {@link Config#draws()} independent draws from the event's own random stream, the first of
 * which is the one that decided. The chosen action therefore always has a positive estimate, and the
 * decision says the propensity is estimated.
 */
public final class LinearThompson implements Exploration {
    public static final String NAME = "thompson";

    /**
     * @param scale the posterior scale {@code v}: 1 samples the ridge posterior as is, smaller trusts the
     *              mean more
     * @param draws Monte Carlo draws behind the logged propensities (the error is about {@code
     *              sqrt(p (1 - p) / draws)})
     */
    public record Config(double scale, int draws) implements ExplorationConfig {
        public Config {
            if (!(scale > 0 && scale <= 100)) {
                throw new IllegalArgumentException("lin-ts scale=" + scale
                        + " is outside (0, 100]; 0.1-1 is usual for rewards in [0, 1] (larger explores more)");
            }
            if (draws < 16 || draws > 1_000_000) {
                throw new IllegalArgumentException("lin-ts draws=" + draws
                        + " is outside [16, 1000000]; 1000 estimates a propensity within about 0.016");
            }
        }

        public static Config defaults() {
            return new Config(0.25, 1000);
        }

        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new LinearThompson(this);
        }
    }

    private final Config config;

    public LinearThompson(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsWidths() {
        return true;
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        int k = sheet.size();
        double[] means = sheet.means();
        double[] deviation = new double[k];
        for (int a = 0; a < k; a++) {
            deviation[a] = config.scale() * sheet.widths()[a];
        }
        double[] sample = new double[k];
        double[] wins = new double[k];
        double[] bonus = new double[k];
        int chosen = -1;
        for (int draw = 0; draw < config.draws(); draw++) {
            for (int a = 0; a < k; a++) {
                sample[a] = means[a] + deviation[a] * random.nextGaussian();
            }
            int best = Draws.argmaxRandomTies(sample, random);
            wins[best]++;
            if (draw == 0) {
                chosen = best;
                for (int a = 0; a < k; a++) {
                    bonus[a] = sample[a] - means[a];
                }
            }
        }
        for (int a = 0; a < k; a++) {
            wins[a] /= config.draws();
        }
        return new Spread(wins, chosen, bonus, true);
    }
}
