package dev.loopline.core.bandit;

import java.io.DataInput;
import java.io.DataOutput;
import java.util.SplittableRandom;

/** Scores every action 0 and learns nothing: the scorer under the uniform baseline. */
public final class ConstantScorer implements Scorer {
    public static final String KIND = "constant";

    public record Config() implements ScorerConfig {
        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean hasWidths() {
            return false;
        }

        @Override
        public boolean learns() {
            return false;
        }

        @Override
        public Scorer create() {
            return new ConstantScorer();
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean hasWidths() {
        return false;
    }

    @Override
    public void score(Featurized features, DecisionInput input, double[] means, double[] widths) {
        java.util.Arrays.fill(means, 0, input.size(), 0.0);
    }

    @Override
    public void learn(Featurized features, DecisionInput input, int chosen, double reward, double weight,
            SplittableRandom random) {
    }

    @Override
    public ConstantScorer copy() {
        return new ConstantScorer();
    }

    @Override
    public void write(DataOutput out) {
    }

    @Override
    public void read(DataInput in) {
    }
}
