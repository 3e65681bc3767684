package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * RegCB-optimistic (Foster, Agarwal, Dudík, Luo and Schapire 2018): act greedily on the most
 * optimistic prediction of any regressor whose squared loss is within {@code Delta_t = c0 ln(K t)} of
 * the best one's. For ridge regression the loss excess of {@code theta} is {@code (theta - theta_hat)'
 * A (theta - theta_hat)}, so the optimistic prediction is {@code mean + sqrt(c0 ln(K t)) * width}. As
 * in the paper (and Vowpal Wabbit), bounds are clipped to the range of rewards seen so far, so several
 * plausible actions can tie at the top; ties are split uniformly. The bake-off's best method overall.
 */
public final class RegCbOptimistic implements Exploration {
    public static final String NAME = "regcb-opt";

    /** @param c0 the mellowness {@code c0}: how much extra loss a regressor may have and stay plausible */
    public record Config(double c0) implements ExplorationConfig {
        public Config {
            if (!(c0 > 0 && c0 <= 100)) {
                throw new IllegalArgumentException("regcb-opt c0=" + c0
                        + " is outside (0, 100]; the bake-off's grid is 0.001-0.1 (larger explores more)");
            }
        }

        /**
         * c0 = 0.001, the setting the Contextual Bandit Bake-off found best for RegCB-opt across its 500+
         * data sets (Vowpal Wabbit's own default mellowness, 0.1, explores more).
         */
        public static Config defaults() {
            return new Config(0.001);
        }

        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new RegCbOptimistic(this);
        }
    }

    private final Config config;

    public RegCbOptimistic(Config config) {
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

    public double radius(int actions, long learned) {
        return Math.sqrt(config.c0() * Math.log(Math.max(1.0, (double) actions * Math.max(1, learned))));
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        int k = sheet.size();
        double radius = radius(k, sheet.learned());
        double[] bounds = new double[k];
        double[] bonus = new double[k];
        for (int a = 0; a < k; a++) {
            double upper = sheet.means()[a] + radius * sheet.widths()[a];
            if (sheet.rewardRangeKnown()) {
                upper = Math.max(sheet.rewardMin(), Math.min(sheet.rewardMax(), upper));
            }
            bounds[a] = upper;
            bonus[a] = upper - sheet.means()[a];
        }
        return new Spread(Spread.argmaxSet(bounds), -1, bonus, false);
    }
}
