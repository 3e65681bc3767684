package dev.loopline.core.bandit;

import dev.loopline.core.model.ServingModel;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scores with a reward model trained elsewhere (the DJL trainer's {@link ServingModel}), on the raw
 * features it was trained on. It does not learn: the trainer does, and the serving side swaps
 * versions in with {@link #use}. Before the first version every action scores 0, so any strategy
 * explores uniformly. Its state is the model, which lives in broadcast state, so snapshots hold
 * nothing.
 */
public final class ServingModelScorer implements Scorer {
    public static final String KIND = "serving-model";

    /** No parameters: the model arrives at run time. */
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
            return new ServingModelScorer();
        }
    }

    private ServingModel model;

    /** Serves {@code model} from now on ({@code null}: none yet). */
    public void use(ServingModel model) {
        this.model = model;
    }

    public ServingModel model() {
        return model;
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
        if (widths != null) {
            throw new IllegalStateException("the serving-model scorer has no confidence widths");
        }
        if (model == null) {
            java.util.Arrays.fill(means, 0, input.size(), 0.0);
            return;
        }
        List<Map<String, Double>> own = new ArrayList<>(input.size());
        for (Map<String, Double> action : input.actionFeatures()) {
            own.add(action == null ? Map.of() : finite(action));
        }
        double[] scores = model.scoreAll(finite(input.context()), input.actionIds(), own);
        System.arraycopy(scores, 0, means, 0, scores.length);
    }

    /** The map itself when every value is finite, else a copy without the others (they read as missing). */
    private static Map<String, Double> finite(Map<String, Double> features) {
        for (Double v : features.values()) {
            if (v == null || !Double.isFinite(v)) {
                Map<String, Double> clean = new HashMap<>();
                features.forEach((k, x) -> {
                    if (x != null && Double.isFinite(x)) {
                        clean.put(k, x);
                    }
                });
                return clean;
            }
        }
        return features;
    }

    @Override
    public void learn(Featurized features, DecisionInput input, int chosen, double reward, double weight,
            SplittableRandom random) {
        // The trainer learns; this side only serves.
    }

    @Override
    public long modelVersion() {
        return model == null ? 0L : model.version();
    }

    @Override
    public boolean learns() {
        return false;
    }

    @Override
    public long trainedExamples() {
        return model == null ? 0L : model.trainedExamples();
    }

    @Override
    public boolean ready() {
        return model != null;
    }

    @Override
    public ServingModelScorer copy() {
        ServingModelScorer c = new ServingModelScorer();
        c.model = model; // immutable
        return c;
    }

    @Override
    public void write(DataOutput out) {
    }

    @Override
    public void read(DataInput in) {
    }
}
