package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * LinUCB's rule (Li et al. 2010): the action with the largest upper bound {@code mean + alpha *
 * width}, where the width is the scorer's {@code sqrt(x' A^-1 x)}. Over the per-action ridge scorer it
 * is disjoint LinUCB; over the hybrid scorer, hybrid LinUCB. Deterministic but for exact ties.
 */
public final class UpperConfidence implements Exploration {
    public static final String NAME = "ucb";

    /** @param alpha the width of the confidence bound in standard errors */
    public record Config(double alpha) implements ExplorationConfig {
        public Config {
            if (!(alpha >= 0 && alpha <= 100)) {
                throw new IllegalArgumentException("linucb alpha=" + alpha
                        + " is outside [0, 100]; 0.1-2 is usual (larger explores more, 0 is greedy)");
            }
        }

        public static Config defaults() {
            return new Config(0.5);
        }

        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new UpperConfidence(this);
        }
    }

    private final Config config;

    public UpperConfidence(Config config) {
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
        double[] bonus = new double[k];
        double[] bounds = new double[k];
        for (int a = 0; a < k; a++) {
            bonus[a] = config.alpha() * sheet.widths()[a];
            bounds[a] = sheet.means()[a] + bonus[a];
        }
        return new Spread(Spread.argmaxSet(bounds), -1, bonus, false);
    }
}
