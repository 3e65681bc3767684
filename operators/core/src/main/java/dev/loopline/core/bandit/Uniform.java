package dev.loopline.core.bandit;

import java.util.SplittableRandom;

/** Every offered action equally likely, whatever the scores: the baseline and the safe default. */
public final class Uniform implements Exploration {
    public static final String NAME = "uniform";

    public record Config() implements ExplorationConfig {
        @Override
        public String strategy() {
            return NAME;
        }

        @Override
        public Exploration create() {
            return new Uniform();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Spread explore(ScoreSheet sheet, SplittableRandom random) {
        return Spread.of(Spread.uniform(sheet.size()));
    }
}
