package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/**
 * The best-scored action, always; exact ties are split uniformly. The bake-off found plain greedy on
 * a good regression oracle a strong baseline: the data's own variety often explores enough.
 */
public final class Greedy implements Exploration {
    public static final String NAME = "greedy";

    public record Config() implements ExplorationConfig {
        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new Greedy();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        return Spread.of(Spread.argmaxSet(sheet.means()));
    }
}
